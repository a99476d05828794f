/**
 * The embedded store: SQLite (better-sqlite3, WAL), the server's default with nothing installed.
 * It provides the primitives (store-procedure.ts) as prepared statements; the procedures and the
 * schema (schema.ts) are the ones every store runs.
 *
 * better-sqlite3 is synchronous and the store has one connection: a procedure runs to its end
 * inside one transaction call (`runSync`), so transactions never overlap and batches apply one
 * at a time, whatever their workspace.
 */
import Database from 'better-sqlite3';
import { chmodSync, closeSync, existsSync, mkdirSync, openSync } from 'node:fs';
import { dirname } from 'node:path';
import type { Horizon, RemoteCustomField } from '../src/lib/protocol/sync';
import { migrateSteps, SCHEMA, type SchemaPrimitives, type SchemaVersion } from './schema';
import { runSync } from './steps';
import type { Store } from './store';
import {
	createStore,
	type BatchPrimitives,
	type CompactionPrimitives,
	type StoreOptions,
	type CallerRow,
	type ChangeRow,
	type FeedPrimitives,
	type MemberPrimitives,
	type MemberRow,
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
export function openSqliteStore(path: string, options: StoreOptions = {}): SqliteStore {
	if (path !== ':memory:') makePrivate(path);
	const db = new Database(path);
	db.pragma('journal_mode = WAL');
	// Acknowledged means durable: with FULL, each commit's WAL frames are synced to disk before
	// the commit returns, so an answered batch survives a power loss (NORMAL could roll it back
	// while the client, told it was stored, never sends it again).
	db.pragma('synchronous = FULL');
	migrateSqlite(db);

	// Every statement on a workspace's data names its workspace first: the tables are keyed by
	// (workspace_id, …), so each reads one workspace's rows, through that key or its seq index.
	const findBatch = db.prepare<[string, string], StoredReplay>(
		'SELECT request_hash AS hash, status, body FROM batches WHERE workspace_id = ? AND idempotency_key = ?'
	);
	const insertBatch = db.prepare<[string, string, string, number, string, number]>(
		'INSERT INTO batches (workspace_id, idempotency_key, request_hash, status, body, created_at) VALUES (?, ?, ?, ?, ?, ?)'
	);
	const contactVersion = db.prepare<[string, string], VersionRow>(
		"SELECT 'contact' AS kind, phone, version_at, device_id FROM contacts WHERE workspace_id = ? AND phone = ?"
	);
	const tombstoneVersion = db.prepare<[string, string], VersionRow>(
		"SELECT 'tombstone' AS kind, phone, version_at, device_id FROM tombstones WHERE workspace_id = ? AND phone = ?"
	);
	const takeSeqs = db.prepare<[number, string], { seq: number }>(
		'UPDATE workspaces SET seq = seq + ? WHERE id = ? RETURNING seq'
	);
	const upsertContact = db.prepare<
		[string, string, string, string, number, number, string, number]
	>(
		`INSERT INTO contacts (workspace_id, phone, data, import_id, updated_at, version_at, device_id, seq) VALUES (?, ?, ?, ?, ?, ?, ?, ?)
		 ON CONFLICT(workspace_id, phone) DO UPDATE SET data = excluded.data, import_id = excluded.import_id,
		   updated_at = excluded.updated_at, version_at = excluded.version_at, device_id = excluded.device_id,
		   seq = excluded.seq`
	);
	const deleteContact = db.prepare<[string, string]>(
		'DELETE FROM contacts WHERE workspace_id = ? AND phone = ?'
	);
	const upsertTombstone = db.prepare<[string, string, number, string, number, number]>(
		`INSERT INTO tombstones (workspace_id, phone, version_at, device_id, seq, updated_at) VALUES (?, ?, ?, ?, ?, ?)
		 ON CONFLICT(workspace_id, phone) DO UPDATE SET version_at = excluded.version_at, device_id = excluded.device_id,
		   seq = excluded.seq, updated_at = excluded.updated_at`
	);
	const readHorizon = db.prepare<[string], Horizon>(
		'SELECT horizon_seq AS seq, horizon_before AS before, horizon_gen AS gen FROM workspaces WHERE id = ?'
	);
	const writeHorizon = db.prepare<[number, number, number, string]>(
		'UPDATE workspaces SET horizon_seq = ?, horizon_before = ?, horizon_gen = ? WHERE id = ?'
	);
	// By the (workspace_id, updated_at) index, oldest first; a chunk at a time.
	const removeOldTombstones = db.prepare<
		[string, number, number, number],
		{ seq: number; version_at: number }
	>(
		`DELETE FROM tombstones WHERE rowid IN (
		   SELECT rowid FROM tombstones WHERE workspace_id = ? AND updated_at < ? AND version_at < ?
		   ORDER BY updated_at LIMIT ?)
		 RETURNING seq, version_at`
	);
	const workspaceIds = db.prepare<[], { id: string }>('SELECT id FROM workspaces ORDER BY id');
	const deleteTombstone = db.prepare<[string, string]>(
		'DELETE FROM tombstones WHERE workspace_id = ? AND phone = ?'
	);
	const changesAfter = db.prepare<[string, number, string, number, number], ChangeRow>(
		`SELECT seq, phone, data, version_at, device_id FROM contacts WHERE workspace_id = ? AND seq > ?
		 UNION ALL SELECT seq, phone, NULL, version_at, device_id FROM tombstones WHERE workspace_id = ? AND seq > ?
		 ORDER BY seq LIMIT ?`
	);
	const feed = db.prepare<
		[string],
		{ feed_id: string; horizon_seq: number; horizon_before: number; horizon_gen: number }
	>('SELECT feed_id, horizon_seq, horizon_before, horizon_gen FROM workspaces WHERE id = ?');
	const countChangesAfter = db.prepare<[string, number, string, number], { n: number }>(
		`SELECT (SELECT COUNT(*) FROM contacts WHERE workspace_id = ? AND seq > ?)
		   + (SELECT COUNT(*) FROM tombstones WHERE workspace_id = ? AND seq > ?) AS n`
	);
	const upsertField = db.prepare<[string, string, string, string, number]>(
		`INSERT INTO custom_fields (workspace_id, key, label, type, updated_at) VALUES (?, ?, ?, ?, ?)
		 ON CONFLICT(workspace_id, key) DO UPDATE SET label = excluded.label, type = excluded.type,
		   updated_at = excluded.updated_at`
	);
	const dncState = db.prepare<[string], { dnc_seq: number; dnc_cleared_seq: number }>(
		'SELECT dnc_seq, dnc_cleared_seq FROM workspaces WHERE id = ?'
	);
	const insertDnc = db.prepare<[string, string, number, number]>(
		`INSERT INTO do_not_call (workspace_id, phone, seq, added_at) VALUES (?, ?, ?, ?)
		 ON CONFLICT(workspace_id, phone) DO NOTHING`
	);
	const setDncSeq = db.prepare<[number, string]>('UPDATE workspaces SET dnc_seq = ? WHERE id = ?');
	const deleteDnc = db.prepare<[string]>('DELETE FROM do_not_call WHERE workspace_id = ?');
	const markDncCleared = db.prepare<[string]>(
		'UPDATE workspaces SET dnc_seq = dnc_seq + 1, dnc_cleared_seq = dnc_seq + 1 WHERE id = ?'
	);
	const dncAfter = db.prepare<[string, number, number], { phone: string; seq: number }>(
		'SELECT phone, seq FROM do_not_call WHERE workspace_id = ? AND seq > ? ORDER BY seq LIMIT ?'
	);
	const dncCount = db.prepare<[string], { n: number }>(
		'SELECT COUNT(*) AS n FROM do_not_call WHERE workspace_id = ?'
	);
	const readHours = db.prepare<[string], { value: string | null; at: number }>(
		'SELECT calling_hours AS value, calling_hours_at AS at FROM workspaces WHERE id = ?'
	);
	const writeHours = db.prepare<[string, number, string, number]>(
		'UPDATE workspaces SET calling_hours = ?, calling_hours_at = ? WHERE id = ? AND calling_hours_at < ?'
	);
	const allFields = db.prepare<[string], RemoteCustomField>(
		'SELECT key, label, type FROM custom_fields WHERE workspace_id = ? ORDER BY key'
	);
	const counts = db.prepare<[string, string], { contacts: number; batches: number }>(
		`SELECT (SELECT COUNT(*) FROM contacts WHERE workspace_id = ?) AS contacts,
		   (SELECT COUNT(*) FROM batches WHERE workspace_id = ? AND status < 300) AS batches`
	);
	const pageContacts = db.prepare<[string, string, number], { data: string }>(
		'SELECT data FROM contacts WHERE workspace_id = ? AND phone > ? ORDER BY phone LIMIT ?'
	);
	const findCaller = db.prepare<[string], CallerRow>(
		`SELECT w.id AS workspace_id, w.name AS workspace_name, m.id AS member_id, m.name AS member_name, m.role,
		   w.feed_id, w.dnc_seq, w.calling_hours_at,
		   (SELECT MAX(MAX(t.created_at, COALESCE(t.revoked_at, 0))) FROM members AS t
		     WHERE t.workspace_id = w.id) AS team_at
		 FROM members AS m JOIN workspaces AS w ON w.id = m.workspace_id
		 WHERE m.token_hash = ? AND m.revoked_at IS NULL`
	);
	const setTokenHash = db.prepare<[string, string]>(
		'UPDATE members SET token_hash = ? WHERE id = ?'
	);
	const insertWorkspace = db.prepare<
		[string, string, number, number, string, number, number, number]
	>(
		`INSERT INTO workspaces (id, name, seq, created_at, feed_id, horizon_seq, horizon_before, horizon_gen)
		 VALUES (?, ?, ?, ?, ?, ?, ?, ?)`
	);
	const insertMember = db.prepare<[string, string, string, string, string, number]>(
		`INSERT INTO members (id, workspace_id, name, role, token_hash, created_at, revoked_at)
		 VALUES (?, ?, ?, ?, ?, ?, NULL)`
	);
	const memberColumns = 'id, workspace_id, name, role, created_at, revoked_at';
	const listMembers = db.prepare<[string], MemberRow>(
		`SELECT ${memberColumns} FROM members WHERE workspace_id = ? ORDER BY created_at, id`
	);
	const findMember = db.prepare<[string, string], MemberRow>(
		`SELECT ${memberColumns} FROM members WHERE workspace_id = ? AND id = ?`
	);
	const countActiveOwners = db.prepare<[string], { n: number }>(
		"SELECT COUNT(*) AS n FROM members WHERE workspace_id = ? AND role = 'owner' AND revoked_at IS NULL"
	);
	const revokeMember = db.prepare<[number, string, string]>(
		'UPDATE members SET revoked_at = ?, token_hash = NULL WHERE workspace_id = ? AND id = ?'
	);

	/** The statements of a workspace's transaction, bound to it. */
	const workspaceTx = (ws: string): BatchPrimitives & MemberPrimitives & CompactionPrimitives => ({
		findReplay: (key) => findBatch.get(ws, key),
		readVersions: (phones) =>
			phones.flatMap((phone) =>
				[contactVersion.get(ws, phone), tombstoneVersion.get(ws, phone)].filter(
					(row) => row !== undefined
				)
			),
		takeSeqs: (count) => takeSeqs.get(count, ws)!.seq,
		upsertContacts(rows, importId, now) {
			for (const row of rows)
				upsertContact.run(
					ws,
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
			for (const phone of phones) deleteContact.run(ws, phone);
		},
		upsertTombstones(rows, now) {
			for (const row of rows)
				upsertTombstone.run(ws, row.phone, row.version_at, row.device_id, row.seq, now);
		},
		deleteTombstones(phones) {
			for (const phone of phones) deleteTombstone.run(ws, phone);
		},
		saveReplay: (key, { hash, status, body }, now) =>
			void insertBatch.run(ws, key, hash, status, body, now),
		findMember: (memberId) => findMember.get(ws, memberId),
		countActiveOwners: () => countActiveOwners.get(ws)!.n,
		revokeMember: (memberId, now) => void revokeMember.run(now, ws, memberId),
		readHorizon: () => readHorizon.get(ws)!,
		removeTombstonesBefore(cutoff, limit) {
			const gone = removeOldTombstones.all(ws, cutoff, cutoff, limit);
			let seq = 0;
			let at = 0;
			for (const row of gone) {
				seq = Math.max(seq, row.seq);
				at = Math.max(at, row.version_at);
			}
			return { removed: gone.length, seq, at };
		},
		writeHorizon: ({ seq, before, gen = 0 }) => void writeHorizon.run(seq, before, gen, ws)
	});
	const feedTx = (ws: string): FeedPrimitives => ({
		readFeed() {
			const row = feed.get(ws)!;
			return {
				feedId: row.feed_id,
				horizon: { seq: row.horizon_seq, before: row.horizon_before, gen: row.horizon_gen }
			};
		},
		readChangesAfter: (seq, limit) => changesAfter.all(ws, seq, ws, seq, limit),
		countChangesAfter: (seq) => countChangesAfter.get(ws, seq, ws, seq)!.n
	});
	const insertMemberRow = (m: MemberRow & { token_hash: string }) =>
		void insertMember.run(m.id, m.workspace_id, m.name, m.role, m.token_hash, m.created_at);

	// Each call has done its work (a batch committed and synced) when it returns. `settle` turns
	// its result, or what it throws, into the promise the contract asks for.
	const settle = <T>(work: () => T): Promise<T> => new Promise((resolve) => resolve(work()));
	const store = createStore(
		{
			// One connection, one transaction at a time: every workspace's transactions are
			// serialized, as the contract asks (and more).
			inWorkspaceTransaction: (ws, work) =>
				settle(() => db.transaction(() => runSync(work(workspaceTx(ws))))()),
			// A read transaction: in WAL mode, its statements all read one snapshot.
			inReadSnapshot: (ws, work) => settle(() => db.transaction(() => runSync(work(feedTx(ws))))()),
			upsertField: (ws, field, now) =>
				settle(() => void upsertField.run(ws, field.key, field.label, field.type, now)),
			listFields: (ws) => settle(() => allFields.all(ws)),
			addDoNotCall: (ws, phones, now) =>
				settle(() =>
					db.transaction(() => {
						const base = dncState.get(ws)!.dnc_seq;
						let added = 0;
						phones.forEach((phone, i) => {
							added += insertDnc.run(ws, phone, base + i + 1, now).changes;
						});
						setDncSeq.run(base + phones.length, ws);
						return { added, count: dncCount.get(ws)!.n };
					})()
				),
			clearDoNotCall: (ws) =>
				settle(() =>
					db.transaction(() => {
						deleteDnc.run(ws);
						markDncCleared.run(ws);
					})()
				),
			// A read transaction: the page, the list's state and its size from one snapshot.
			pageDoNotCall: (ws, since, limit) =>
				settle(() =>
					db.transaction(() => {
						const state = dncState.get(ws)!;
						return {
							rows: dncAfter.all(ws, since, limit),
							seq: state.dnc_seq,
							clearedSeq: state.dnc_cleared_seq,
							count: dncCount.get(ws)!.n
						};
					})()
				),
			readCallingHours: (ws) => settle(() => readHours.get(ws)!),
			writeCallingHours: (ws, value, at) =>
				settle(() =>
					db.transaction(() => {
						writeHours.run(value, at, ws, at);
						return readHours.get(ws)!;
					})()
				),
			counts: (ws) => settle(() => counts.get(ws, ws)!),
			pageContacts: (ws, limit, after) =>
				settle(() => pageContacts.all(ws, after, limit).map((r) => r.data)),
			findCaller: (tokenHash) => settle(() => findCaller.get(tokenHash)),
			setTokenHash: (memberId, tokenHash) =>
				settle(() => void setTokenHash.run(tokenHash, memberId)),
			insertWorkspace: (workspace, owner) =>
				settle(() =>
					db.transaction(() => {
						insertWorkspace.run(
							workspace.id,
							workspace.name,
							workspace.seq,
							workspace.created_at,
							workspace.feed_id,
							workspace.horizon_seq,
							workspace.horizon_before,
							workspace.horizon_gen
						);
						insertMemberRow(owner);
					})()
				),
			insertMember: (member) => settle(() => insertMemberRow(member)),
			listMembers: (ws) => settle(() => listMembers.all(ws)),
			listWorkspaceIds: () => settle(() => workspaceIds.all().map((row) => row.id)),
			close: () => settle(() => void db.close())
		},
		options
	);
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
