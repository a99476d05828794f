/**
 * The PostgreSQL store (node-postgres), for several server processes sharing one database. What
 * it keeps is the `Store` contract (store.ts), and what a batch writes is `planBatch`'s, applied
 * in the transaction that read the versions it was planned against, exactly as SQLite does.
 *
 * Several processes: the migrations run under a session advisory lock (so processes starting at
 * once migrate exactly once), and every batch takes a transaction advisory lock before anything
 * else (see `applyBatch`), which serializes batches across processes.
 */
import pg from 'pg';
import type {
	ContactBatch,
	RefusedContact,
	RemoteCustomField,
	SyncContact
} from '../src/lib/protocol/sync';
import { finalWrites, phonesOf, planBatch, type PhoneVersions } from './batch-rules';
import { changeOf, KEY_REUSED, type ChangeRow, type Store, type StoredAnswer } from './store';

/** The PostgreSQL store, with what only it has: the session's durability settings. */
export interface PgStore extends Store {
	/** The settings that make an answer durable (read by tests). */
	durability(): Promise<{ synchronousCommit: string; fsync: string }>;
}

/** Advisory lock keys (bigint, per database): one for the migrations, one for batches. */
const MIGRATION_LOCK = 7_412_309_001;
const BATCH_LOCK = 7_412_309_002;

/**
 * The schema, one step per version (rows in `schema_migrations`). A step is never edited once
 * released: a change is a new step, run at start in its own transaction.
 *
 * Phones and field keys are `COLLATE "C"`: ordered by their bytes whatever the database's
 * locale, as SQLite orders them, so pages by phone are the same on both stores. Contact data is
 * TEXT holding the contact's JSON as sent back (JSONB would reorder keys and refuse `\u0000`).
 * Times are milliseconds in BIGINT; `seq` comes from the `counters` row, taken under the batch lock.
 */
export const MIGRATIONS: string[] = [
	`CREATE TABLE contacts (
		phone TEXT COLLATE "C" PRIMARY KEY,
		data TEXT NOT NULL,
		import_id TEXT NOT NULL,
		updated_at BIGINT NOT NULL,
		version_at BIGINT NOT NULL,
		device_id TEXT NOT NULL,
		seq BIGINT NOT NULL
	);
	CREATE INDEX contacts_by_seq ON contacts (seq);
	CREATE TABLE tombstones (
		phone TEXT COLLATE "C" PRIMARY KEY,
		version_at BIGINT NOT NULL,
		device_id TEXT NOT NULL,
		seq BIGINT NOT NULL
	);
	CREATE INDEX tombstones_by_seq ON tombstones (seq);
	CREATE TABLE batches (
		idempotency_key TEXT PRIMARY KEY,
		request_hash TEXT NOT NULL,
		status INTEGER NOT NULL,
		body TEXT NOT NULL,
		created_at BIGINT NOT NULL
	);
	CREATE TABLE custom_fields (
		key TEXT COLLATE "C" PRIMARY KEY,
		label TEXT NOT NULL,
		type TEXT NOT NULL,
		updated_at BIGINT NOT NULL
	);
	CREATE TABLE counters (name TEXT PRIMARY KEY, value BIGINT NOT NULL);
	INSERT INTO counters (name, value) VALUES ('seq', 0);`
];

/**
 * Brings the database up to `steps`: under a session advisory lock (a second process starting at
 * once waits, then finds every step applied), each missing step and its `schema_migrations` row
 * in one transaction. Returns the versions it applied.
 */
export async function migrate(pool: pg.Pool, steps: string[] = MIGRATIONS): Promise<number[]> {
	const client = await pool.connect();
	const applied: number[] = [];
	try {
		await client.query('SELECT pg_advisory_lock($1)', [MIGRATION_LOCK]);
		await client.query(
			`CREATE TABLE IF NOT EXISTS schema_migrations (
				version INTEGER PRIMARY KEY,
				applied_at BIGINT NOT NULL
			)`
		);
		const { rows } = await client.query<{ version: number }>(
			'SELECT version FROM schema_migrations'
		);
		const done = new Set(rows.map((r) => r.version));
		for (let v = 1; v <= steps.length; v++) {
			if (done.has(v)) continue;
			await client.query('BEGIN');
			try {
				await client.query(steps[v - 1]);
				await client.query('INSERT INTO schema_migrations (version, applied_at) VALUES ($1, $2)', [
					v,
					Date.now()
				]);
				await client.query('COMMIT');
			} catch (error) {
				throw new Error(
					`Migration ${v} failed: ${error instanceof Error ? error.message : String(error)}`,
					{ cause: error }
				);
			}
			applied.push(v);
		}
		await client.query('SELECT pg_advisory_unlock($1)', [MIGRATION_LOCK]);
	} catch (error) {
		// The connection is destroyed rather than reused: that ends its session, which rolls back
		// the failed step and releases the session lock, even if the connection itself broke.
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

/** Opens the store at `url` (postgres://…): connects, migrates, and checks the connection. */
export async function openPgStore(url: string): Promise<PgStore> {
	const pool = createPool(url);
	try {
		await migrate(pool);
	} catch (error) {
		await pool.end();
		throw error;
	}

	const applyBatch = (
		key: string,
		hash: string,
		batch: ContactBatch,
		contacts: { contact: SyncContact }[],
		refused: RefusedContact[]
	): Promise<StoredAnswer> =>
		// READ COMMITTED on purpose: each statement after the lock sees every batch committed
		// before the lock was granted. (Under REPEATABLE READ the snapshot would be taken by the lock
		// statement, before the wait, and miss the batch we waited for.)
		transaction(pool, 'BEGIN ISOLATION LEVEL READ COMMITTED', async (client) => {
			// The batch lock, first. It is held to COMMIT, so batches from every process apply one at
			// a time, which gives two guarantees:
			// - the idempotency check is race-free: the same key sent to two processes at once is
			//   applied by one, and the other, waiting here, then finds the stored answer;
			// - change sequence numbers follow commit order: a batch takes its numbers after the
			//   batch before it committed and released the lock, so its numbers are higher and it
			//   commits later. A reader that has seen seq N has therefore seen every smaller seq:
			//   none can commit after it (the feed's invariant, store.ts).
			await client.query('SELECT pg_advisory_xact_lock($1)', [BATCH_LOCK]);
			const seen = await client.query<{ request_hash: string; status: number; body: string }>(
				'SELECT request_hash, status, body FROM batches WHERE idempotency_key = $1',
				[key]
			);
			if (seen.rows.length > 0) {
				const [row] = seen.rows;
				if (row.request_hash !== hash) return KEY_REUSED;
				return { status: row.status, body: JSON.parse(row.body) as unknown, replayed: true };
			}

			const phones = phonesOf(batch, contacts);
			const held = new Map<string, PhoneVersions>();
			const versions = await client.query<{
				kind: 'contact' | 'tombstone';
				phone: string;
				version_at: number;
				device_id: string;
			}>(
				`SELECT 'contact' AS kind, phone, version_at, device_id FROM contacts WHERE phone = ANY($1)
				 UNION ALL
				 SELECT 'tombstone', phone, version_at, device_id FROM tombstones WHERE phone = ANY($1)`,
				[phones]
			);
			for (const row of versions.rows) {
				const entry = held.get(row.phone) ?? {};
				entry[row.kind] = { at: row.version_at, device: row.device_id };
				held.set(row.phone, entry);
			}
			const { writes, ack } = planBatch(batch, contacts, refused, held);
			const final = finalWrites(writes);
			const now = Date.now();

			if (final.length > 0) {
				// The batch's numbers: the counter's next `final.length` values, in plan order.
				const counter = await client.query<{ value: number }>(
					"UPDATE counters SET value = value + $1 WHERE name = 'seq' RETURNING value",
					[final.length]
				);
				let seq = counter.rows[0].value - final.length;
				const up = { phone: [] as string[], data: [] as string[], at: [] as number[] };
				const upDevice: string[] = [];
				const upSeq: number[] = [];
				const del = { phone: [] as string[], at: [] as number[] };
				const delDevice: string[] = [];
				const delSeq: number[] = [];
				for (const write of final) {
					seq++;
					if (write.kind === 'upsert') {
						up.phone.push(write.contact.phone);
						up.data.push(JSON.stringify(write.contact));
						up.at.push(write.version.at);
						upDevice.push(write.version.device);
						upSeq.push(seq);
					} else {
						del.phone.push(write.phone);
						del.at.push(write.version.at);
						delDevice.push(write.version.device);
						delSeq.push(seq);
					}
				}
				if (up.phone.length > 0) {
					await client.query(
						`INSERT INTO contacts (phone, data, import_id, updated_at, version_at, device_id, seq)
						 SELECT u.phone, u.data, $6, $7, u.version_at, u.device_id, u.seq
						 FROM unnest($1::text[], $2::text[], $3::bigint[], $4::text[], $5::bigint[])
						   AS u(phone, data, version_at, device_id, seq)
						 ON CONFLICT (phone) DO UPDATE SET data = EXCLUDED.data, import_id = EXCLUDED.import_id,
						   updated_at = EXCLUDED.updated_at, version_at = EXCLUDED.version_at,
						   device_id = EXCLUDED.device_id, seq = EXCLUDED.seq`,
						[up.phone, up.data, up.at, upDevice, upSeq, batch.importId, now]
					);
					await client.query('DELETE FROM tombstones WHERE phone = ANY($1)', [up.phone]);
				}
				if (del.phone.length > 0) {
					await client.query('DELETE FROM contacts WHERE phone = ANY($1)', [del.phone]);
					await client.query(
						`INSERT INTO tombstones (phone, version_at, device_id, seq)
						 SELECT * FROM unnest($1::text[], $2::bigint[], $3::text[], $4::bigint[])
						 ON CONFLICT (phone) DO UPDATE SET version_at = EXCLUDED.version_at,
						   device_id = EXCLUDED.device_id, seq = EXCLUDED.seq`,
						[del.phone, del.at, delDevice, delSeq]
					);
				}
			}
			await client.query(
				'INSERT INTO batches (idempotency_key, request_hash, status, body, created_at) VALUES ($1, $2, $3, $4, $5)',
				[key, hash, 200, JSON.stringify(ack), now]
			);
			return { status: 200, body: ack, replayed: false };
		});

	return {
		applyBatch,
		async putField(field: RemoteCustomField) {
			await pool.query(
				`INSERT INTO custom_fields (key, label, type, updated_at) VALUES ($1, $2, $3, $4)
				 ON CONFLICT (key) DO UPDATE SET label = EXCLUDED.label, type = EXCLUDED.type,
				   updated_at = EXCLUDED.updated_at`,
				[field.key, field.label, field.type, Date.now()]
			);
		},
		async listFields() {
			const { rows } = await pool.query<RemoteCustomField>(
				'SELECT key, label, type FROM custom_fields ORDER BY key'
			);
			return rows;
		},
		async stats() {
			// One statement: both counts from one snapshot.
			const { rows } = await pool.query<{ contacts: number; batches: number }>(
				`SELECT (SELECT COUNT(*) FROM contacts) AS contacts,
				   (SELECT COUNT(*) FROM batches WHERE status < 300) AS batches`
			);
			return rows[0];
		},
		async listContacts(limit: number, after: string) {
			const { rows } = await pool.query<{ data: string }>(
				'SELECT data FROM contacts WHERE phone > $1 ORDER BY phone LIMIT $2',
				[after, limit]
			);
			return rows.map((r) => JSON.parse(r.data) as unknown);
		},
		listChanges: (since: number, limit: number, count = false) =>
			// The page and the count of what follows it come from one snapshot.
			transaction(pool, 'BEGIN ISOLATION LEVEL REPEATABLE READ READ ONLY', async (client) => {
				const { rows } = await client.query<ChangeRow>(
					// Each side ordered and limited on its own, so each reads its seq index from the
					// cursor (a single ORDER BY over the union would scan and sort both tables).
					`(SELECT seq, phone, data, version_at, device_id FROM contacts WHERE seq > $1
					   ORDER BY seq LIMIT $2)
					 UNION ALL
					 (SELECT seq, phone, NULL, version_at, device_id FROM tombstones WHERE seq > $1
					   ORDER BY seq LIMIT $2)
					 ORDER BY seq LIMIT $2`,
					// One row past the page says whether more follow.
					[since, limit + 1]
				);
				const more = rows.length > limit;
				if (more) rows.pop();
				const changes = rows.map(changeOf);
				if (!count) return { changes, more };
				const last = rows.length > 0 ? rows[rows.length - 1].seq : since;
				const counted = await client.query<{ n: number }>(
					`SELECT (SELECT COUNT(*) FROM contacts WHERE seq > $1)
					   + (SELECT COUNT(*) FROM tombstones WHERE seq > $1) AS n`,
					[last]
				);
				return { changes, more, remaining: counted.rows[0].n };
			}),
		async durability() {
			const { rows } = await pool.query<{ synchronous_commit: string; fsync: string }>(
				"SELECT current_setting('synchronous_commit') AS synchronous_commit, current_setting('fsync') AS fsync"
			);
			return { synchronousCommit: rows[0].synchronous_commit, fsync: rows[0].fsync };
		},
		close: () => pool.end()
	};
}
