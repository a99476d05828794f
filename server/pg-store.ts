/**
 * The PostgreSQL store (node-postgres), for several server processes sharing one database. It
 * provides the primitives (store-procedure.ts), each one statement however many contacts a batch
 * holds; the procedures and the schema (schema.ts) are the ones every store runs.
 *
 * Several processes: the migrations run under a session advisory lock (so processes starting at
 * once migrate exactly once), and every batch takes a transaction advisory lock before anything
 * else (`inBatchTransaction`), which serializes batches across processes.
 */
import pg from 'pg';
import type { RemoteCustomField } from '../src/lib/protocol/sync';
import { migrateSteps, SCHEMA, type SchemaPrimitives, type SchemaVersion } from './schema';
import { runAsync } from './steps';
import type { Store } from './store';
import {
	createStore,
	type BatchPrimitives,
	type ChangeRow,
	type FeedPrimitives,
	type StoredReplay,
	type VersionRow
} from './store-procedure';

/** The PostgreSQL store, with what only it has: the session's durability settings. */
export interface PgStore extends Store {
	/** The settings that make an answer durable (read by tests). */
	durability(): Promise<{ synchronousCommit: string; fsync: string }>;
}

/** Advisory lock keys (bigint, per database): one for the migrations, one for batches. */
const MIGRATION_LOCK = 7_412_309_001;
const BATCH_LOCK = 7_412_309_002;

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
 * Runs `work` in one transaction begun with `begin`, and commits it. On an error the transaction
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

/** The batch primitives on `client`, inside its transaction: one statement each. */
function batchPrimitives(client: pg.PoolClient): BatchPrimitives {
	return {
		async findReplay(key) {
			const { rows } = await client.query<StoredReplay>(
				'SELECT request_hash AS hash, status, body FROM batches WHERE idempotency_key = $1',
				[key]
			);
			return rows[0];
		},
		async readVersions(phones) {
			const { rows } = await client.query<VersionRow>(
				`SELECT 'contact' AS kind, phone, version_at, device_id FROM contacts WHERE phone = ANY($1)
				 UNION ALL
				 SELECT 'tombstone', phone, version_at, device_id FROM tombstones WHERE phone = ANY($1)`,
				[phones]
			);
			return rows;
		},
		async takeSeqs(count) {
			const { rows } = await client.query<{ value: number }>(
				"UPDATE counters SET value = value + $1 WHERE name = 'seq' RETURNING value",
				[count]
			);
			return rows[0].value;
		},
		async upsertContacts(rows, importId, now) {
			await client.query(
				`INSERT INTO contacts (phone, data, import_id, updated_at, version_at, device_id, seq)
				 SELECT u.phone, u.data, $6, $7, u.version_at, u.device_id, u.seq
				 FROM unnest($1::text[], $2::text[], $3::bigint[], $4::text[], $5::bigint[])
				   AS u(phone, data, version_at, device_id, seq)
				 ON CONFLICT (phone) DO UPDATE SET data = EXCLUDED.data, import_id = EXCLUDED.import_id,
				   updated_at = EXCLUDED.updated_at, version_at = EXCLUDED.version_at,
				   device_id = EXCLUDED.device_id, seq = EXCLUDED.seq`,
				[
					rows.map((r) => r.phone),
					rows.map((r) => r.data),
					rows.map((r) => r.version_at),
					rows.map((r) => r.device_id),
					rows.map((r) => r.seq),
					importId,
					now
				]
			);
		},
		async deleteContacts(phones) {
			await client.query('DELETE FROM contacts WHERE phone = ANY($1)', [phones]);
		},
		async upsertTombstones(rows) {
			await client.query(
				`INSERT INTO tombstones (phone, version_at, device_id, seq)
				 SELECT * FROM unnest($1::text[], $2::bigint[], $3::text[], $4::bigint[])
				 ON CONFLICT (phone) DO UPDATE SET version_at = EXCLUDED.version_at,
				   device_id = EXCLUDED.device_id, seq = EXCLUDED.seq`,
				[
					rows.map((r) => r.phone),
					rows.map((r) => r.version_at),
					rows.map((r) => r.device_id),
					rows.map((r) => r.seq)
				]
			);
		},
		async deleteTombstones(phones) {
			await client.query('DELETE FROM tombstones WHERE phone = ANY($1)', [phones]);
		},
		async saveReplay(key, { hash, status, body }, now) {
			await client.query(
				'INSERT INTO batches (idempotency_key, request_hash, status, body, created_at) VALUES ($1, $2, $3, $4, $5)',
				[key, hash, status, body, now]
			);
		}
	};
}

/** The change feed primitives on `client`, inside its snapshot. */
function feedPrimitives(client: pg.PoolClient): FeedPrimitives {
	return {
		async readChangesAfter(seq, limit) {
			const { rows } = await client.query<ChangeRow>(
				// Each side ordered and limited on its own, so each reads its seq index from the
				// cursor (a single ORDER BY over the union would scan and sort both tables).
				`(SELECT seq, phone, data, version_at, device_id FROM contacts WHERE seq > $1
				   ORDER BY seq LIMIT $2)
				 UNION ALL
				 (SELECT seq, phone, NULL, version_at, device_id FROM tombstones WHERE seq > $1
				   ORDER BY seq LIMIT $2)
				 ORDER BY seq LIMIT $2`,
				[seq, limit]
			);
			return rows;
		},
		async countChangesAfter(seq) {
			const { rows } = await client.query<{ n: number }>(
				`SELECT (SELECT COUNT(*) FROM contacts WHERE seq > $1)
				   + (SELECT COUNT(*) FROM tombstones WHERE seq > $1) AS n`,
				[seq]
			);
			return rows[0].n;
		}
	};
}

/** Opens the store at `url` (postgres://…): connects, migrates, and checks the connection. */
export async function openPgStore(url: string): Promise<PgStore> {
	const pool = createPool(url);
	try {
		await migratePg(pool);
	} catch (error) {
		await pool.end();
		throw error;
	}

	const store = createStore({
		inBatchTransaction: (work) =>
			// READ COMMITTED on purpose: each statement after the lock sees every batch committed
			// before the lock was granted. (Under REPEATABLE READ the snapshot would be taken by the
			// lock statement, before the wait, and miss the batch we waited for.)
			transaction(pool, 'BEGIN ISOLATION LEVEL READ COMMITTED', async (client) => {
				// The batch lock, first. It is held to COMMIT, so batches from every process apply one
				// at a time, which gives two guarantees:
				// - the idempotency check is race-free: the same key sent to two processes at once is
				//   applied by one, and the other, waiting here, then finds the stored answer;
				// - change sequence numbers follow commit order: a batch takes its numbers after the
				//   batch before it committed and released the lock, so its numbers are higher and it
				//   commits later. A reader that has seen seq N has therefore seen every smaller seq:
				//   none can commit after it (the feed's invariant, store.ts).
				await client.query('SELECT pg_advisory_xact_lock($1)', [BATCH_LOCK]);
				return runAsync(work(batchPrimitives(client)));
			}),
		// The page and the count of what follows it come from one snapshot.
		inReadSnapshot: (work) =>
			transaction(pool, 'BEGIN ISOLATION LEVEL REPEATABLE READ READ ONLY', (client) =>
				runAsync(work(feedPrimitives(client)))
			),
		async upsertField(field: RemoteCustomField, now: number) {
			await pool.query(
				`INSERT INTO custom_fields (key, label, type, updated_at) VALUES ($1, $2, $3, $4)
				 ON CONFLICT (key) DO UPDATE SET label = EXCLUDED.label, type = EXCLUDED.type,
				   updated_at = EXCLUDED.updated_at`,
				[field.key, field.label, field.type, now]
			);
		},
		async listFields() {
			const { rows } = await pool.query<RemoteCustomField>(
				'SELECT key, label, type FROM custom_fields ORDER BY key'
			);
			return rows;
		},
		async counts() {
			// One statement: both counts from one snapshot.
			const { rows } = await pool.query<{ contacts: number; batches: number }>(
				`SELECT (SELECT COUNT(*) FROM contacts) AS contacts,
				   (SELECT COUNT(*) FROM batches WHERE status < 300) AS batches`
			);
			return rows[0];
		},
		async pageContacts(limit: number, after: string) {
			const { rows } = await pool.query<{ data: string }>(
				'SELECT data FROM contacts WHERE phone > $1 ORDER BY phone LIMIT $2',
				[after, limit]
			);
			return rows.map((r) => r.data);
		},
		close: () => pool.end()
	});
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
