/**
 * The embedded store: SQLite (better-sqlite3, WAL), the server's default with nothing installed.
 * It provides the primitives (store-procedure.ts) as prepared statements; the procedures and the
 * schema (schema.ts) are the ones every store runs.
 *
 * better-sqlite3 is synchronous and the store has one connection: a procedure runs to its end
 * inside one transaction call (`runSync`), so transactions never overlap and batches apply one
 * at a time.
 */
import Database from 'better-sqlite3';
import { chmodSync, closeSync, existsSync, mkdirSync, openSync } from 'node:fs';
import { dirname } from 'node:path';
import type { RemoteCustomField } from '../src/lib/protocol/sync';
import { migrateSteps, SCHEMA, type SchemaPrimitives, type SchemaVersion } from './schema';
import { runSync } from './steps';
import type { Store } from './store';
import {
	createStore,
	type BatchPrimitives,
	type ChangeRow,
	type FeedPrimitives,
	type StoredReplay,
	type VersionRow
} from './store-procedure';

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
 * Brings the database up to `versions` (schema.ts); returns the versions it applied. The version
 * is `PRAGMA user_version`, set in the transaction that applied it.
 */
export function migrateSqlite(
	db: Database.Database,
	versions: readonly SchemaVersion[] = SCHEMA
): number[] {
	const schema: SchemaPrimitives = {
		readVersion: () => Number(db.pragma('user_version', { simple: true })),
		applyVersion: (version, ddl) =>
			db.transaction(() => {
				db.exec(ddl);
				db.pragma(`user_version = ${version}`);
			})()
	};
	return runSync(migrateSteps(schema, 'sqlite', versions));
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
	migrateSqlite(db);

	const findBatch = db.prepare<[string], StoredReplay>(
		'SELECT request_hash AS hash, status, body FROM batches WHERE idempotency_key = ?'
	);
	const insertBatch = db.prepare<[string, string, number, string, number]>(
		'INSERT INTO batches (idempotency_key, request_hash, status, body, created_at) VALUES (?, ?, ?, ?, ?)'
	);
	const contactVersion = db.prepare<[string], VersionRow>(
		"SELECT 'contact' AS kind, phone, version_at, device_id FROM contacts WHERE phone = ?"
	);
	const tombstoneVersion = db.prepare<[string], VersionRow>(
		"SELECT 'tombstone' AS kind, phone, version_at, device_id FROM tombstones WHERE phone = ?"
	);
	const takeSeqs = db.prepare<[number], { value: number }>(
		"UPDATE counters SET value = value + ? WHERE name = 'seq' RETURNING value"
	);
	const upsertContact = db.prepare<[string, string, string, number, number, string, number]>(
		`INSERT INTO contacts (phone, data, import_id, updated_at, version_at, device_id, seq) VALUES (?, ?, ?, ?, ?, ?, ?)
		 ON CONFLICT(phone) DO UPDATE SET data = excluded.data, import_id = excluded.import_id,
		   updated_at = excluded.updated_at, version_at = excluded.version_at, device_id = excluded.device_id,
		   seq = excluded.seq`
	);
	const deleteContact = db.prepare<[string]>('DELETE FROM contacts WHERE phone = ?');
	const upsertTombstone = db.prepare<[string, number, string, number]>(
		`INSERT INTO tombstones (phone, version_at, device_id, seq) VALUES (?, ?, ?, ?)
		 ON CONFLICT(phone) DO UPDATE SET version_at = excluded.version_at, device_id = excluded.device_id,
		   seq = excluded.seq`
	);
	const deleteTombstone = db.prepare<[string]>('DELETE FROM tombstones WHERE phone = ?');
	const changesAfter = db.prepare<[number, number, number], ChangeRow>(
		`SELECT seq, phone, data, version_at, device_id FROM contacts WHERE seq > ?
		 UNION ALL SELECT seq, phone, NULL, version_at, device_id FROM tombstones WHERE seq > ?
		 ORDER BY seq LIMIT ?`
	);
	const countChangesAfter = db.prepare<[number, number], { n: number }>(
		`SELECT (SELECT COUNT(*) FROM contacts WHERE seq > ?) + (SELECT COUNT(*) FROM tombstones WHERE seq > ?) AS n`
	);
	const upsertField = db.prepare<[string, string, string, number]>(
		`INSERT INTO custom_fields (key, label, type, updated_at) VALUES (?, ?, ?, ?)
		 ON CONFLICT(key) DO UPDATE SET label = excluded.label, type = excluded.type, updated_at = excluded.updated_at`
	);
	const allFields = db.prepare<[], RemoteCustomField>(
		'SELECT key, label, type FROM custom_fields ORDER BY key'
	);
	const counts = db.prepare<[], { contacts: number; batches: number }>(
		`SELECT (SELECT COUNT(*) FROM contacts) AS contacts,
		   (SELECT COUNT(*) FROM batches WHERE status < 300) AS batches`
	);
	const pageContacts = db.prepare<[string, number], { data: string }>(
		'SELECT data FROM contacts WHERE phone > ? ORDER BY phone LIMIT ?'
	);

	const batch: BatchPrimitives = {
		findReplay: (key) => findBatch.get(key),
		readVersions: (phones) =>
			phones.flatMap((phone) =>
				[contactVersion.get(phone), tombstoneVersion.get(phone)].filter((row) => row !== undefined)
			),
		takeSeqs: (count) => takeSeqs.get(count)!.value,
		upsertContacts(rows, importId, now) {
			for (const row of rows)
				upsertContact.run(
					row.phone,
					row.data,
					importId,
					now,
					row.version_at,
					row.device_id,
					row.seq
				);
		},
		deleteContacts(phones) {
			for (const phone of phones) deleteContact.run(phone);
		},
		upsertTombstones(rows) {
			for (const row of rows)
				upsertTombstone.run(row.phone, row.version_at, row.device_id, row.seq);
		},
		deleteTombstones(phones) {
			for (const phone of phones) deleteTombstone.run(phone);
		},
		saveReplay: (key, { hash, status, body }, now) =>
			void insertBatch.run(key, hash, status, body, now)
	};
	const feed: FeedPrimitives = {
		readChangesAfter: (seq, limit) => changesAfter.all(seq, seq, limit),
		countChangesAfter: (seq) => countChangesAfter.get(seq, seq)!.n
	};

	// Each call has done its work (a batch committed and synced) when it returns. `settle` turns
	// its result, or what it throws, into the promise the contract asks for.
	const settle = <T>(work: () => T): Promise<T> => new Promise((resolve) => resolve(work()));
	const store = createStore({
		inBatchTransaction: (work) => settle(() => db.transaction(() => runSync(work(batch)))()),
		// A read transaction: in WAL mode, its statements all read one snapshot.
		inReadSnapshot: (work) => settle(() => db.transaction(() => runSync(work(feed)))()),
		upsertField: (field, now) =>
			settle(() => void upsertField.run(field.key, field.label, field.type, now)),
		listFields: () => settle(() => allFields.all()),
		counts: () => settle(() => counts.get()!),
		pageContacts: (limit, after) => settle(() => pageContacts.all(after, limit).map((r) => r.data)),
		close: () => settle(() => void db.close())
	});
	return {
		...store,
		durability() {
			return {
				journalMode: String(db.pragma('journal_mode', { simple: true })),
				synchronous: Number(db.pragma('synchronous', { simple: true }))
			};
		}
	};
}
