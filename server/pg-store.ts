/**
 * The PostgreSQL store (node-postgres), for several server processes sharing one database. It
 * provides the primitives (store-procedure.ts), each one statement however many contacts a batch
 * holds; the procedures and the schema (schema.ts) are the ones every store runs.
 *
 * Several processes: the migrations run under a session advisory lock (so processes starting at
 * once migrate exactly once), and every transaction on a workspace (a batch, a revoke) locks that
 * workspace's row before anything else (`inWorkspaceTransaction`), which serializes one
 * workspace's batches across processes while other workspaces' run beside them. Tokens are looked
 * up on every request, so a revoke committed by one process is seen by the next request to any.
 */
import pg from 'pg';
import type { Horizon, RemoteCustomField } from '../src/lib/protocol/sync';
import { migrateSteps, SCHEMA, type SchemaPrimitives, type SchemaVersion } from './schema';
import { runAsync } from './steps';
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

/** The PostgreSQL store, with what only it has: the session's durability settings. */
export interface PgStore extends Store {
	/** The settings that make an answer durable (read by tests). */
	durability(): Promise<{ synchronousCommit: string; fsync: string }>;
}

/** The migrations' advisory lock key (bigint, per database). */
const MIGRATION_LOCK = 7_412_309_001;

/**
 * Planner settings for the store's transactions, sent with their BEGIN. Every statement in them
 * is key lookups (by (workspace_id, phone), (workspace_id, key), …) or one workspace's rows read
 * in an index's order from a cursor, which the (workspace_id, …) indexes answer in a few pages.
 * Without statistics (a table filled faster than autovacuum analyzes it: a new database, or a
 * new workspace importing into a large table) PostgreSQL misjudges how many rows one workspace
 * holds, and plans a scan of all of them for each batch and each page (a hash join or bitmap
 * scan then a sort; while a table is new, a sequential scan per phone): work that grows with
 * the workspace, up to half a second a batch. With these plan kinds off, the plans are the
 * indexes' whatever the statistics say.
 */
const INDEX_PLANS = [
	'SET LOCAL enable_seqscan = off',
	'SET LOCAL enable_hashjoin = off',
	'SET LOCAL enable_mergejoin = off',
	'SET LOCAL enable_bitmapscan = off',
	'SET LOCAL enable_sort = off'
].join('; ');

/**
 * The schema version is the highest `schema_migrations` row, each written in the transaction that
 * applied its version.
 */
function schemaPrimitives(client: pg.PoolClient): SchemaPrimitives {
	return {
		async readVersion() {
			await client.query(
				`CREATE TABLE IF NOT EXISTS schema_migrations (
					version INTEGER PRIMARY KEY,
					applied_at BIGINT NOT NULL
				)`
			);
			// Version 1 recorded alone, with `counters` present (only version 3 creates it), is a
			// database whose one recorded step made the whole of versions 1 to 3: versions 2 and 3
			// are recorded for it, as applied with that step. Version 1 alone without `counters` is
			// a database at version 1, which the runner takes on from there.
			await client.query(
				`INSERT INTO schema_migrations (version, applied_at)
				 SELECT later.version, first.applied_at
				 FROM schema_migrations AS first, generate_series(2, 3) AS later(version)
				 WHERE first.version = 1 AND to_regclass('counters') IS NOT NULL
				   AND NOT EXISTS (SELECT 1 FROM schema_migrations WHERE version > 1)`
			);
			const { rows } = await client.query<{ version: number }>(
				'SELECT COALESCE(MAX(version), 0) AS version FROM schema_migrations'
			);
			return rows[0].version;
		},
		async applyVersion(version, ddl) {
			// On an error the transaction is left open: `migratePg` destroys the connection, which
			// rolls it back.
			await client.query('BEGIN');
			await client.query(ddl);
			await client.query('INSERT INTO schema_migrations (version, applied_at) VALUES ($1, $2)', [
				version,
				Date.now()
			]);
			await client.query('COMMIT');
		}
	};
}

/**
 * Brings the database up to `versions` (schema.ts): under a session advisory lock (a second
 * process starting at once waits, then finds every version applied). Returns the versions it
 * applied.
 */
export async function migratePg(
	pool: pg.Pool,
	versions: readonly SchemaVersion[] = SCHEMA
): Promise<number[]> {
	const client = await pool.connect();
	let applied: number[];
	try {
		await client.query('SELECT pg_advisory_lock($1)', [MIGRATION_LOCK]);
		applied = await runAsync(migrateSteps(schemaPrimitives(client), 'postgres', versions));
		await client.query('SELECT pg_advisory_unlock($1)', [MIGRATION_LOCK]);
	} catch (error) {
		// The connection is destroyed rather than reused: that ends its session, which rolls back
		// the failed version and releases the session lock, even if the connection itself broke.
		client.release(error instanceof Error ? error : new Error(String(error)));
		throw error;
	}
	client.release();
	return applied;
}

/** node-postgres reads int8 (BIGINT, COUNT) as strings; ours are times and counts, safe as numbers. */
const INT8_OID = 20;
const types = {
	getTypeParser: ((oid: number, format?: 'text' | 'binary') =>
		oid === INT8_OID && format !== 'binary'
			? (value: string) => Number(value)
			: pg.types.getTypeParser(oid, format)) as typeof pg.types.getTypeParser
};

/** A pool for `url`, with the settings every connection of the store needs. */
export function createPool(url: string, max = 10): pg.Pool {
	const pool = new pg.Pool({
		connectionString: url,
		max,
		types,
		// An unreachable server fails the start (or the request) instead of hanging it.
		connectionTimeoutMillis: 10_000,
		// Acknowledged means durable: each COMMIT returns once its WAL is flushed to disk. On is
		// PostgreSQL's default; set per connection so that a database or role default of `off`
		// cannot lose an acknowledged batch.
		options: '-c synchronous_commit=on'
	});
	// An idle connection that breaks (a server restart) is dropped by the pool and the next query
	// opens a new one; without a listener the error would end the process.
	pool.on('error', (error) => console.error('PostgreSQL connection error:', error.message));
	return pool;
}

/**
 * Runs `work` in one transaction begun with `begin` (BEGIN, and settings for the transaction),
 * and commits it. On an error the transaction
 * is rolled back and the error rethrown. If a COMMIT fails the outcome is unknown to us: the
 * client gets a 500 and retries under the same key, which replays the stored answer if it did
 * commit.
 */
async function transaction<T>(
	pool: pg.Pool,
	begin: string,
	work: (client: pg.PoolClient) => Promise<T>
): Promise<T> {
	const client = await pool.connect();
	let broken: Error | undefined;
	try {
		await client.query(begin);
		const result = await work(client);
		await client.query('COMMIT');
		return result;
	} catch (error) {
		// A failed ROLLBACK means the connection itself is broken: it is destroyed on release (so
		// its transaction ends with it), and the error that matters is the first one, rethrown.
		await client.query('ROLLBACK').catch((rollback: unknown) => {
			broken = rollback instanceof Error ? rollback : new Error(String(rollback));
		});
		throw error;
	} finally {
		client.release(broken);
	}
}

/**
 * The row of `table` with primary key (workspace $2, `p.phone`), as a lateral subquery of a scan
 * of the phones given (`unnest($1) AS p(phone)`). `OFFSET 0` keeps it a subquery run once per
 * phone, whose one condition is the whole primary key: a lookup in that key each, whatever the
 * planner believes of the table's size. (Joined as a plain join, a planner without statistics
 * can read every row of the workspace once per phone: a batch of 2,000 phones then took 0.5 s on
 * a 10,000-row workspace.)
 */
function byKey(table: 'contacts' | 'tombstones', columns: string): string {
	return `SELECT ${columns} FROM ${table} WHERE workspace_id = $2 AND phone = p.phone OFFSET 0`;
}

/** A member row's columns, its token hash left out. */
const MEMBER_COLUMNS = 'id, workspace_id, name, role, created_at, revoked_at';

/**
 * The statements of workspace `ws`'s transaction on `client` (a batch, a revoke): one statement
 * each, every one naming the workspace.
 */
function workspacePrimitives(
	client: pg.PoolClient,
	ws: string
): BatchPrimitives & MemberPrimitives & CompactionPrimitives {
	return {
		async findReplay(key) {
			const { rows } = await client.query<StoredReplay>(
				`SELECT request_hash AS hash, status, body FROM batches
				 WHERE workspace_id = $1 AND idempotency_key = $2`,
				[ws, key]
			);
			return rows[0];
		},
		async readVersions(phones) {
			const { rows } = await client.query<VersionRow>(
				`SELECT 'contact' AS kind, c.phone, c.version_at, c.device_id
				   FROM unnest($1::text[]) AS p(phone), LATERAL (${byKey('contacts', 'phone, version_at, device_id')}) AS c
				 UNION ALL
				 SELECT 'tombstone', t.phone, t.version_at, t.device_id
				   FROM unnest($1::text[]) AS p(phone), LATERAL (${byKey('tombstones', 'phone, version_at, device_id')}) AS t`,
				[phones, ws]
			);
			return rows;
		},
		async takeSeqs(count) {
			const { rows } = await client.query<{ seq: number }>(
				'UPDATE workspaces SET seq = seq + $1 WHERE id = $2 RETURNING seq',
				[count, ws]
			);
			return rows[0].seq;
		},
		async upsertContacts(rows, importId, now) {
			await client.query(
				`INSERT INTO contacts (workspace_id, phone, data, import_id, updated_at, version_at, device_id, seq)
				 SELECT $8, u.phone, u.data, $6, $7, u.version_at, u.device_id, u.seq
				 FROM unnest($1::text[], $2::text[], $3::bigint[], $4::text[], $5::bigint[])
				   AS u(phone, data, version_at, device_id, seq)
				 ON CONFLICT (workspace_id, phone) DO UPDATE SET data = EXCLUDED.data,
				   import_id = EXCLUDED.import_id, updated_at = EXCLUDED.updated_at,
				   version_at = EXCLUDED.version_at, device_id = EXCLUDED.device_id, seq = EXCLUDED.seq`,
				[
					rows.map((r) => r.phone),
					rows.map((r) => r.data),
					rows.map((r) => r.version_at),
					rows.map((r) => r.device_id),
					rows.map((r) => r.seq),
					importId,
					now,
					ws
				]
			);
		},
		async deleteContacts(phones) {
			await client.query(
				`DELETE FROM contacts WHERE ctid = ANY(ARRAY(
				   SELECT c.ctid FROM unnest($1::text[]) AS p(phone), LATERAL (${byKey('contacts', 'ctid')}) AS c))`,
				[phones, ws]
			);
		},
		async upsertTombstones(rows, now) {
			await client.query(
				`INSERT INTO tombstones (workspace_id, phone, version_at, device_id, seq, updated_at)
				 SELECT $5, u.phone, u.version_at, u.device_id, u.seq, $6
				 FROM unnest($1::text[], $2::bigint[], $3::text[], $4::bigint[])
				   AS u(phone, version_at, device_id, seq)
				 ON CONFLICT (workspace_id, phone) DO UPDATE SET version_at = EXCLUDED.version_at,
				   device_id = EXCLUDED.device_id, seq = EXCLUDED.seq, updated_at = EXCLUDED.updated_at`,
				[
					rows.map((r) => r.phone),
					rows.map((r) => r.version_at),
					rows.map((r) => r.device_id),
					rows.map((r) => r.seq),
					ws,
					now
				]
			);
		},
		async deleteTombstones(phones) {
			await client.query(
				`DELETE FROM tombstones WHERE ctid = ANY(ARRAY(
				   SELECT t.ctid FROM unnest($1::text[]) AS p(phone), LATERAL (${byKey('tombstones', 'ctid')}) AS t))`,
				[phones, ws]
			);
		},
		async saveReplay(key, { hash, status, body }, now) {
			await client.query(
				`INSERT INTO batches (workspace_id, idempotency_key, request_hash, status, body, created_at)
				 VALUES ($1, $2, $3, $4, $5, $6)`,
				[ws, key, hash, status, body, now]
			);
		},
		async findMember(memberId) {
			const { rows } = await client.query<MemberRow>(
				`SELECT ${MEMBER_COLUMNS} FROM members WHERE workspace_id = $1 AND id = $2`,
				[ws, memberId]
			);
			return rows[0];
		},
		async countActiveOwners() {
			const { rows } = await client.query<{ n: number }>(
				`SELECT COUNT(*) AS n FROM members
				 WHERE workspace_id = $1 AND role = 'owner' AND revoked_at IS NULL`,
				[ws]
			);
			return rows[0].n;
		},
		async revokeMember(memberId, now) {
			await client.query(
				'UPDATE members SET revoked_at = $1, token_hash = NULL WHERE workspace_id = $2 AND id = $3',
				[now, ws, memberId]
			);
		},
		async readHorizon() {
			const { rows } = await client.query<Horizon>(
				'SELECT horizon_seq AS seq, horizon_before AS before, horizon_gen AS gen FROM workspaces WHERE id = $1',
				[ws]
			);
			return rows[0];
		},
		async removeTombstonesBefore(cutoff, limit) {
			// The oldest first by the (workspace_id, updated_at) index, one chunk; one statement.
			const { rows } = await client.query<{ removed: number; seq: number; at: number }>(
				`WITH gone AS (
				   DELETE FROM tombstones WHERE ctid = ANY(ARRAY(
				     SELECT ctid FROM tombstones
				     WHERE workspace_id = $1 AND updated_at < $2 AND version_at < $2
				     ORDER BY updated_at LIMIT $3))
				   RETURNING seq, version_at)
				 SELECT COUNT(*)::integer AS removed, COALESCE(MAX(seq), 0) AS seq,
				   COALESCE(MAX(version_at), 0) AS at FROM gone`,
				[ws, cutoff, limit]
			);
			return rows[0];
		},
		async writeHorizon({ seq, before, gen = 0 }) {
			await client.query(
				'UPDATE workspaces SET horizon_seq = $1, horizon_before = $2, horizon_gen = $3 WHERE id = $4',
				[seq, before, gen, ws]
			);
		}
	};
}

/** The change feed primitives of workspace `ws` on `client`, inside its snapshot. */
function feedPrimitives(client: pg.PoolClient, ws: string): FeedPrimitives {
	return {
		async readFeed() {
			const { rows } = await client.query<{
				feed_id: string;
				horizon_seq: number;
				horizon_before: number;
				horizon_gen: number;
			}>('SELECT feed_id, horizon_seq, horizon_before, horizon_gen FROM workspaces WHERE id = $1', [
				ws
			]);
			return {
				feedId: rows[0].feed_id,
				horizon: {
					seq: rows[0].horizon_seq,
					before: rows[0].horizon_before,
					gen: rows[0].horizon_gen
				}
			};
		},
		async readChangesAfter(seq, limit) {
			const { rows } = await client.query<ChangeRow>(
				// Each side ordered and limited on its own, so each reads its (workspace, seq) index
				// from the cursor (a single ORDER BY over the union would scan and sort both tables).
				`(SELECT seq, phone, data, version_at, device_id FROM contacts
				   WHERE workspace_id = $3 AND seq > $1 ORDER BY seq LIMIT $2)
				 UNION ALL
				 (SELECT seq, phone, NULL, version_at, device_id FROM tombstones
				   WHERE workspace_id = $3 AND seq > $1 ORDER BY seq LIMIT $2)
				 ORDER BY seq LIMIT $2`,
				[seq, limit, ws]
			);
			return rows;
		},
		async countChangesAfter(seq) {
			const { rows } = await client.query<{ n: number }>(
				`SELECT (SELECT COUNT(*) FROM contacts WHERE workspace_id = $2 AND seq > $1)
				   + (SELECT COUNT(*) FROM tombstones WHERE workspace_id = $2 AND seq > $1) AS n`,
				[seq, ws]
			);
			return rows[0].n;
		}
	};
}

/** Inserts a member (with its token hash) through `client`, or the pool. */
async function insertMember(
	client: pg.Pool | pg.PoolClient,
	m: MemberRow & { token_hash: string }
): Promise<void> {
	await client.query(
		`INSERT INTO members (id, workspace_id, name, role, token_hash, created_at, revoked_at)
		 VALUES ($1, $2, $3, $4, $5, $6, NULL)`,
		[m.id, m.workspace_id, m.name, m.role, m.token_hash, m.created_at]
	);
}

/**
 * Runs `work` after every earlier call for `key` in this process has settled, in call order.
 * A workspace's transactions wait here, before they take a connection, rather than in
 * PostgreSQL on the workspace's row lock holding one: so one workspace's burst of batches holds
 * at most one of the pool's connections per process, and other workspaces' requests (and every
 * token lookup) still get theirs. Across processes the row lock orders them (the contract's
 * serialization); this queue only decides which connection waits for it.
 */
function queued(): <T>(key: string, work: () => Promise<T>) => Promise<T> {
	const tails = new Map<string, Promise<void>>();
	return (key, work) => {
		const run = (tails.get(key) ?? Promise.resolve()).then(work);
		const tail = run.then(
			() => undefined,
			() => undefined
		);
		tails.set(key, tail);
		void tail.then(() => {
			if (tails.get(key) === tail) tails.delete(key);
		});
		return run;
	};
}

/** A read-only snapshot with the index plans. */
const READ_SNAPSHOT = `BEGIN ISOLATION LEVEL REPEATABLE READ READ ONLY; ${INDEX_PLANS}`;

/** Opens the store at `url` (postgres://…): connects, migrates, and checks the connection. */
export async function openPgStore(url: string, options: StoreOptions = {}): Promise<PgStore> {
	const pool = createPool(url);
	// Each connection's end, so that `close` resolves once every connection is closed, not only
	// asked to close (pool.end's promise): nothing of the store is left on the server after it.
	const ends = new Map<pg.Client, Promise<void>>();
	pool.on('connect', (client) => {
		ends.set(client, new Promise((resolve) => client.once('end', () => resolve())));
	});
	try {
		await migratePg(pool);
	} catch (error) {
		await pool.end();
		throw error;
	}

	const inTurn = queued();
	const store = createStore(
		{
			inWorkspaceTransaction: (ws, work) =>
				inTurn(ws, () =>
					// READ COMMITTED on purpose: each statement after the lock sees every transaction on the
					// workspace committed before the lock was granted. (Under REPEATABLE READ the snapshot
					// would be taken by the lock statement, before the wait, and miss the one we waited for.)
					transaction(
						pool,
						`BEGIN ISOLATION LEVEL READ COMMITTED; ${INDEX_PLANS}`,
						async (client) => {
							// The workspace's row lock, first. It is held to COMMIT, so the workspace's batches
							// (and revokes) from every process apply one at a time, which gives three guarantees:
							// - the idempotency check is race-free: the same key sent to two processes at once is
							//   applied by one, and the other, waiting here, then finds the stored answer;
							// - change sequence numbers follow commit order: a batch takes its numbers after the
							//   batch before it committed and released the lock, so its numbers are higher and it
							//   commits later. A reader that has seen seq N has therefore seen every smaller seq of
							//   the workspace: none can commit after it (the feed's invariant, store.ts);
							// - two owners revoking each other at once leave one: the second sees the first's revoke.
							// Another workspace's row is another lock: its batches do not wait for these.
							await client.query('SELECT 1 FROM workspaces WHERE id = $1 FOR UPDATE', [ws]);
							return runAsync(work(workspacePrimitives(client, ws)));
						}
					)
				),
			// The page and the count of what follows it come from one snapshot.
			inReadSnapshot: (ws, work) =>
				transaction(pool, READ_SNAPSHOT, (client) => runAsync(work(feedPrimitives(client, ws)))),
			async upsertField(ws: string, field: RemoteCustomField, now: number) {
				await pool.query(
					`INSERT INTO custom_fields (workspace_id, key, label, type, updated_at) VALUES ($1, $2, $3, $4, $5)
				 ON CONFLICT (workspace_id, key) DO UPDATE SET label = EXCLUDED.label, type = EXCLUDED.type,
				   updated_at = EXCLUDED.updated_at`,
					[ws, field.key, field.label, field.type, now]
				);
			},
			addDoNotCall: (ws, phones, now) =>
				transaction(pool, 'BEGIN', async (client) => {
					// The workspace's row lock orders the adds of every process: each takes its numbers
					// after the one before it committed, so a reader that has seen a number has seen
					// every smaller one.
					const { rows } = await client.query<{ dnc_seq: number }>(
						'SELECT dnc_seq FROM workspaces WHERE id = $1 FOR UPDATE',
						[ws]
					);
					const base = Number(rows[0].dnc_seq);
					const inserted = await client.query(
						`INSERT INTO do_not_call (workspace_id, phone, seq, added_at)
						 SELECT $1, p.phone, $2 + p.n, $3 FROM unnest($4::text[]) WITH ORDINALITY AS p(phone, n)
						 ON CONFLICT (workspace_id, phone) DO NOTHING`,
						[ws, base, now, phones]
					);
					await client.query('UPDATE workspaces SET dnc_seq = $1 WHERE id = $2', [
						base + phones.length,
						ws
					]);
					const count = await client.query<{ n: number }>(
						'SELECT COUNT(*) AS n FROM do_not_call WHERE workspace_id = $1',
						[ws]
					);
					return { added: inserted.rowCount ?? 0, count: Number(count.rows[0].n) };
				}),
			clearDoNotCall: (ws) =>
				transaction(pool, 'BEGIN', async (client) => {
					await client.query('SELECT 1 FROM workspaces WHERE id = $1 FOR UPDATE', [ws]);
					await client.query('DELETE FROM do_not_call WHERE workspace_id = $1', [ws]);
					await client.query(
						'UPDATE workspaces SET dnc_seq = dnc_seq + 1, dnc_cleared_seq = dnc_seq + 1 WHERE id = $1',
						[ws]
					);
				}),
			// The page, the list's state and its size from one snapshot.
			pageDoNotCall: (ws, since, limit) =>
				transaction(pool, READ_SNAPSHOT, async (client) => {
					const state = await client.query<{ dnc_seq: number; dnc_cleared_seq: number }>(
						'SELECT dnc_seq, dnc_cleared_seq FROM workspaces WHERE id = $1',
						[ws]
					);
					const page = await client.query<{ phone: string; seq: number }>(
						'SELECT phone, seq FROM do_not_call WHERE workspace_id = $1 AND seq > $2 ORDER BY seq LIMIT $3',
						[ws, since, limit]
					);
					const count = await client.query<{ n: number }>(
						'SELECT COUNT(*) AS n FROM do_not_call WHERE workspace_id = $1',
						[ws]
					);
					return {
						rows: page.rows.map((r) => ({ phone: r.phone, seq: Number(r.seq) })),
						seq: Number(state.rows[0].dnc_seq),
						clearedSeq: Number(state.rows[0].dnc_cleared_seq),
						count: Number(count.rows[0].n)
					};
				}),
			async readCallingHours(ws) {
				const { rows } = await pool.query<{ value: string | null; at: number }>(
					'SELECT calling_hours AS value, calling_hours_at AS at FROM workspaces WHERE id = $1',
					[ws]
				);
				return { value: rows[0].value, at: Number(rows[0].at) };
			},
			async writeCallingHours(ws, value, at) {
				// One statement: the newer write wins whichever process it reaches.
				await pool.query(
					'UPDATE workspaces SET calling_hours = $1, calling_hours_at = $2 WHERE id = $3 AND calling_hours_at < $2',
					[value, at, ws]
				);
				const { rows } = await pool.query<{ value: string | null; at: number }>(
					'SELECT calling_hours AS value, calling_hours_at AS at FROM workspaces WHERE id = $1',
					[ws]
				);
				return { value: rows[0].value, at: Number(rows[0].at) };
			},
			async listFields(ws) {
				const { rows } = await pool.query<RemoteCustomField>(
					'SELECT key, label, type FROM custom_fields WHERE workspace_id = $1 ORDER BY key',
					[ws]
				);
				return rows;
			},
			async counts(ws) {
				// One statement: both counts from one snapshot.
				const { rows } = await pool.query<{ contacts: number; batches: number }>(
					`SELECT (SELECT COUNT(*) FROM contacts WHERE workspace_id = $1) AS contacts,
				   (SELECT COUNT(*) FROM batches WHERE workspace_id = $1 AND status < 300) AS batches`,
					[ws]
				);
				return rows[0];
			},
			pageContacts: (ws: string, limit: number, after: string) =>
				// In a transaction of its own for INDEX_PLANS: the page is read in the key's order.
				transaction(pool, READ_SNAPSHOT, async (client) => {
					const { rows } = await client.query<{ data: string }>(
						`SELECT data FROM contacts WHERE workspace_id = $1 AND phone > $2
					 ORDER BY phone LIMIT $3`,
						[ws, after, limit]
					);
					return rows.map((r) => r.data);
				}),
			async findCaller(tokenHash) {
				const { rows } = await pool.query<CallerRow>(
					`SELECT w.id AS workspace_id, w.name AS workspace_name, m.id AS member_id,
				   m.name AS member_name, m.role, w.feed_id, w.dnc_seq, w.calling_hours_at,
				   (SELECT MAX(GREATEST(t.created_at, COALESCE(t.revoked_at, 0))) FROM members AS t
				     WHERE t.workspace_id = w.id) AS team_at
				 FROM members AS m JOIN workspaces AS w ON w.id = m.workspace_id
				 WHERE m.token_hash = $1 AND m.revoked_at IS NULL`,
					[tokenHash]
				);
				return rows[0];
			},
			async setTokenHash(memberId, tokenHash) {
				await pool.query('UPDATE members SET token_hash = $1 WHERE id = $2', [tokenHash, memberId]);
			},
			insertWorkspace: (workspace, owner) =>
				transaction(pool, 'BEGIN', async (client) => {
					await client.query(
						`INSERT INTO workspaces (id, name, seq, created_at, feed_id, horizon_seq, horizon_before, horizon_gen)
					 VALUES ($1, $2, $3, $4, $5, $6, $7, $8)`,
						[
							workspace.id,
							workspace.name,
							workspace.seq,
							workspace.created_at,
							workspace.feed_id,
							workspace.horizon_seq,
							workspace.horizon_before,
							workspace.horizon_gen
						]
					);
					await insertMember(client, owner);
				}),
			insertMember: (member) => insertMember(pool, member),
			async listMembers(ws) {
				const { rows } = await pool.query<MemberRow>(
					`SELECT ${MEMBER_COLUMNS} FROM members WHERE workspace_id = $1 ORDER BY created_at, id`,
					[ws]
				);
				return rows;
			},
			async listWorkspaceIds() {
				const { rows } = await pool.query<{ id: string }>('SELECT id FROM workspaces ORDER BY id');
				return rows.map((row) => row.id);
			},
			async close() {
				await pool.end();
				await Promise.all(ends.values());
			}
		},
		options
	);
	return {
		...store,
		async durability() {
			const { rows } = await pool.query<{ synchronous_commit: string; fsync: string }>(
				"SELECT current_setting('synchronous_commit') AS synchronous_commit, current_setting('fsync') AS fsync"
			);
			return { synchronousCommit: rows[0].synchronous_commit, fsync: rows[0].fsync };
		}
	};
}
