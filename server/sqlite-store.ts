/**
 * The embedded store: SQLite (better-sqlite3, WAL), the server's default with nothing installed.
 * Prepared statements only. What it keeps is the `Store` contract (store.ts); what a batch writes
 * is `planBatch`'s, applied in the transaction that read the versions it was planned against.
 */
import Database from 'better-sqlite3';
import { chmodSync, closeSync, existsSync, mkdirSync, openSync } from 'node:fs';
import { dirname } from 'node:path';
import type {
	ContactBatch,
	RefusedContact,
	RemoteCustomField,
	SyncContact
} from '../src/lib/protocol/sync';
import { finalWrites, phonesOf, planBatch, type PhoneVersions } from './batch-rules';
import type { Version } from '../src/lib/protocol/last-writer';
import { changeOf, KEY_REUSED, type ChangeRow, type Store, type StoredAnswer } from './store';

/** The SQLite store, with what only it has: its durability settings. */
export interface SqliteStore extends Store {
	/** The settings that make an answer durable (read by tests and start-up checks). */
	durability(): { journalMode: string; synchronous: number };
}

/**
 * The database file holds personal data: only the server's own user may read it (0600; SQLite
 * gives its -wal and -shm files the database file's permissions). A new folder is 0700.
 */
function makePrivate(path: string): void {
	mkdirSync(dirname(path), { recursive: true, mode: 0o700 });
	if (!existsSync(path)) closeSync(openSync(path, 'a', 0o600));
	chmodSync(path, 0o600);
}

/**
 * The schema, one step per version (`PRAGMA user_version`): a database written by an earlier
 * release is brought up to date at start, in one transaction per step.
 */
const MIGRATIONS: string[] = [
	`CREATE TABLE IF NOT EXISTS contacts (
		phone TEXT PRIMARY KEY,
		data TEXT NOT NULL,
		import_id TEXT NOT NULL,
		updated_at INTEGER NOT NULL
	);
	CREATE TABLE IF NOT EXISTS batches (
		idempotency_key TEXT PRIMARY KEY,
		request_hash TEXT NOT NULL,
		status INTEGER NOT NULL,
		body TEXT NOT NULL,
		created_at INTEGER NOT NULL
	);
	CREATE TABLE IF NOT EXISTS custom_fields (
		key TEXT PRIMARY KEY,
		label TEXT NOT NULL,
		type TEXT NOT NULL,
		updated_at INTEGER NOT NULL
	);`,
	// Last writer wins: each contact keeps the version (device time and device id) that wrote it,
	// and deletes leave tombstones. Contacts stored by earlier steps get version 0: any new write wins.
	`ALTER TABLE contacts ADD COLUMN version_at INTEGER NOT NULL DEFAULT 0;
	ALTER TABLE contacts ADD COLUMN device_id TEXT NOT NULL DEFAULT '';
	CREATE TABLE tombstones (
		phone TEXT PRIMARY KEY,
		version_at INTEGER NOT NULL,
		device_id TEXT NOT NULL
	);`,
	// The change feed: each row carries the sequence number of the write that left it, taken from
	// one counter in the batch's transaction. Rows stored by earlier steps are numbered once here.
	`ALTER TABLE contacts ADD COLUMN seq INTEGER NOT NULL DEFAULT 0;
	ALTER TABLE tombstones ADD COLUMN seq INTEGER NOT NULL DEFAULT 0;
	UPDATE contacts SET seq = rowid;
	UPDATE tombstones SET seq = rowid + (SELECT COALESCE(MAX(rowid), 0) FROM contacts);
	CREATE TABLE counters (name TEXT PRIMARY KEY, value INTEGER NOT NULL);
	INSERT INTO counters (name, value) SELECT 'seq', COALESCE(MAX(seq), 0)
	  FROM (SELECT seq FROM contacts UNION ALL SELECT seq FROM tombstones);
	CREATE INDEX contacts_by_seq ON contacts (seq);
	CREATE INDEX tombstones_by_seq ON tombstones (seq);`
];

/** Applies the migrations the database has not had yet. */
function migrate(db: Database.Database): void {
	const at = Number(db.pragma('user_version', { simple: true }));
	for (let v = at; v < MIGRATIONS.length; v++) {
		db.transaction(() => {
			db.exec(MIGRATIONS[v]);
			db.pragma(`user_version = ${v + 1}`);
		})();
	}
}

/** Opens (creating if needed) the database at `path` (`:memory:` for tests). */
export function openSqliteStore(path: string): SqliteStore {
	if (path !== ':memory:') makePrivate(path);
	const db = new Database(path);
	db.pragma('journal_mode = WAL');
	// Acknowledged means durable: with FULL, each commit's WAL frames are synced to disk before
	// the commit returns, so an answered batch survives a power loss (NORMAL could roll it back
	// while the client, told it was stored, never sends it again).
	db.pragma('synchronous = FULL');
	migrate(db);
	const findBatch = db.prepare<[string], { request_hash: string; status: number; body: string }>(
		'SELECT request_hash, status, body FROM batches WHERE idempotency_key = ?'
	);
	const insertBatch = db.prepare(
		'INSERT INTO batches (idempotency_key, request_hash, status, body, created_at) VALUES (?, ?, ?, ?, ?)'
	);
	const contactVersion = db.prepare<[string], { version_at: number; device_id: string }>(
		'SELECT version_at, device_id FROM contacts WHERE phone = ?'
	);
	const tombstoneVersion = db.prepare<[string], { version_at: number; device_id: string }>(
		'SELECT version_at, device_id FROM tombstones WHERE phone = ?'
	);
	const upsertContact = db.prepare(
		`INSERT INTO contacts (phone, data, import_id, updated_at, version_at, device_id, seq) VALUES (?, ?, ?, ?, ?, ?, ?)
		 ON CONFLICT(phone) DO UPDATE SET data = excluded.data, import_id = excluded.import_id,
		   updated_at = excluded.updated_at, version_at = excluded.version_at, device_id = excluded.device_id,
		   seq = excluded.seq`
	);
	const deleteContact = db.prepare('DELETE FROM contacts WHERE phone = ?');
	const deleteTombstone = db.prepare('DELETE FROM tombstones WHERE phone = ?');
	const putTombstone = db.prepare(
		`INSERT INTO tombstones (phone, version_at, device_id, seq) VALUES (?, ?, ?, ?)
		 ON CONFLICT(phone) DO UPDATE SET version_at = excluded.version_at, device_id = excluded.device_id,
		   seq = excluded.seq`
	);
	const readSeq = db.prepare<[], { value: number }>(
		"SELECT value FROM counters WHERE name = 'seq'"
	);
	const writeSeq = db.prepare<[number]>("UPDATE counters SET value = ? WHERE name = 'seq'");
	const changesAfter = db.prepare<[number, number, number], ChangeRow>(
		`SELECT seq, phone, data, version_at, device_id FROM contacts WHERE seq > ?
		 UNION ALL SELECT seq, phone, NULL, version_at, device_id FROM tombstones WHERE seq > ?
		 ORDER BY seq LIMIT ?`
	);
	const countChangesAfter = db.prepare<[number, number], { n: number }>(
		`SELECT (SELECT COUNT(*) FROM contacts WHERE seq > ?) + (SELECT COUNT(*) FROM tombstones WHERE seq > ?) AS n`
	);
	const version = (
		row: { version_at: number; device_id: string } | undefined
	): Version | undefined => row && { at: row.version_at, device: row.device_id };
	const upsertField = db.prepare(
		`INSERT INTO custom_fields (key, label, type, updated_at) VALUES (?, ?, ?, ?)
		 ON CONFLICT(key) DO UPDATE SET label = excluded.label, type = excluded.type, updated_at = excluded.updated_at`
	);
	const allFields = db.prepare<[], RemoteCustomField>(
		'SELECT key, label, type FROM custom_fields ORDER BY key'
	);
	const countContacts = db.prepare<[], { n: number }>('SELECT COUNT(*) AS n FROM contacts');
	const countBatches = db.prepare<[], { n: number }>(
		'SELECT COUNT(*) AS n FROM batches WHERE status < 300'
	);
	const pageContacts = db.prepare<[string, number], { data: string }>(
		'SELECT data FROM contacts WHERE phone > ? ORDER BY phone LIMIT ?'
	);

	const applyBatch = db.transaction(
		(
			key: string,
			hash: string,
			batch: ContactBatch,
			contacts: { contact: SyncContact }[],
			refused: RefusedContact[]
		): StoredAnswer => {
			const seen = findBatch.get(key);
			if (seen) {
				if (seen.request_hash !== hash) return KEY_REUSED;
				return { status: seen.status, body: JSON.parse(seen.body), replayed: true };
			}
			const held = new Map<string, PhoneVersions>();
			for (const phone of phonesOf(batch, contacts)) {
				held.set(phone, {
					contact: version(contactVersion.get(phone)),
					tombstone: version(tombstoneVersion.get(phone))
				});
			}
			const { writes, ack } = planBatch(batch, contacts, refused, held);
			const now = Date.now();
			let seq = readSeq.get()!.value;
			for (const write of finalWrites(writes)) {
				seq++;
				if (write.kind === 'upsert') {
					const { contact } = write;
					upsertContact.run(
						contact.phone,
						JSON.stringify(contact),
						batch.importId,
						now,
						write.version.at,
						write.version.device,
						seq
					);
					deleteTombstone.run(contact.phone);
				} else {
					deleteContact.run(write.phone);
					putTombstone.run(write.phone, write.version.at, write.version.device, seq);
				}
			}
			writeSeq.run(seq);
			insertBatch.run(key, hash, 200, JSON.stringify(ack), now);
			return { status: 200, body: ack, replayed: false };
		}
	);

	// better-sqlite3 is synchronous: each call has done its work (a batch committed and synced)
	// when it returns. `settle` turns its result, or what it throws, into the promise the
	// contract asks for.
	const settle = <T>(work: () => T): Promise<T> => new Promise((resolve) => resolve(work()));
	return {
		applyBatch: (key, hash, batch, contacts, refused) =>
			settle(() => applyBatch(key, hash, batch, contacts, refused)),
		putField: (field) =>
			settle(() => void upsertField.run(field.key, field.label, field.type, Date.now())),
		listFields: () => settle(() => allFields.all()),
		stats: () =>
			settle(() => ({ contacts: countContacts.get()!.n, batches: countBatches.get()!.n })),
		listContacts: (limit, after) =>
			settle(() => pageContacts.all(after, limit).map((r) => JSON.parse(r.data) as unknown)),
		listChanges: (since, limit, count = false) =>
			settle(() => {
				const read = db.transaction(() => {
					// One row past the page says whether more follow.
					const rows = changesAfter.all(since, since, limit + 1);
					const more = rows.length > limit;
					if (more) rows.pop();
					const last = rows.length > 0 ? rows[rows.length - 1].seq : since;
					const remaining = count ? countChangesAfter.get(last, last)!.n : undefined;
					return { changes: rows.map(changeOf), more, remaining };
				});
				const { changes, more, remaining } = read();
				return remaining === undefined ? { changes, more } : { changes, more, remaining };
			}),
		durability() {
			return {
				journalMode: String(db.pragma('journal_mode', { simple: true })),
				synchronous: Number(db.pragma('synchronous', { simple: true }))
			};
		},
		close: () => settle(() => void db.close())
	};
}
