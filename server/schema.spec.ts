/**
 * The one schema and its runner: versions applied in order and recorded, a failed one named and
 * left unrecorded, both dialects leaving the same tables at each version; and databases written
 * with the schema steps of the release before the schema was shared (SQLite's three, recorded in
 * `user_version`; PostgreSQL's one combined step, recorded in `schema_migrations`), upgraded in
 * place with nothing lost. Those steps are kept here verbatim: they are what databases in use hold.
 */
import { afterAll, afterEach, describe, expect, it } from 'vitest';
import Database from 'better-sqlite3';
import pg from 'pg';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { migrateSteps, SCHEMA, type SchemaPrimitives } from './schema';
import { migrateSqlite, openSqliteStore } from './sqlite-store';
import { createPool, migratePg, openPgStore } from './pg-store';
import { runAsync, runSync } from './steps';
import type { Store } from './store';
import { pgAdminUrl, scratchDatabase } from './test-postgres';

/** SQLite's schema steps as released, one per `user_version`. */
const RELEASED_SQLITE_STEPS = [
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
	`ALTER TABLE contacts ADD COLUMN version_at INTEGER NOT NULL DEFAULT 0;
	ALTER TABLE contacts ADD COLUMN device_id TEXT NOT NULL DEFAULT '';
	CREATE TABLE tombstones (
		phone TEXT PRIMARY KEY,
		version_at INTEGER NOT NULL,
		device_id TEXT NOT NULL
	);`,
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

/** PostgreSQL's one schema step as released, recorded as version 1 in `schema_migrations`. */
const RELEASED_PG_STEP = `CREATE TABLE contacts (
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
	INSERT INTO counters (name, value) VALUES ('seq', 0);`;

/** How the release recorded that step (its runner's table and row). */
const RELEASED_PG_RECORD = `CREATE TABLE schema_migrations (version INTEGER PRIMARY KEY, applied_at BIGINT NOT NULL);
	INSERT INTO schema_migrations VALUES (1, 1);`;

const A = '+14155550101';
const B = '+14155550102';
const C = '+14155550103';
const contactA = { phone: A, firstName: 'Old', tags: [], custom: {}, updatedAt: 5 };
const ACK = '{"batchId":"b","importId":"i","accepted":1,"refused":[],"stale":0,"deleted":0}';

/**
 * What a store opened on a database holding contact A, a stored answer for key `k` and a custom
 * field (and, with `versioned`, A's version and a tombstone of B) must answer, then write on.
 */
async function expectKept(store: Store, versioned: boolean): Promise<void> {
	expect(await store.stats()).toEqual({ contacts: 1, batches: 1 });
	expect(await store.listContacts(10, '')).toEqual([contactA]);
	expect(await store.listFields()).toEqual([{ key: 'region', label: 'Region', type: 'text' }]);
	// Every stored row is in the change feed, numbered, so a first pull gets it.
	const upsertA = { seq: 1, op: 'upsert', phone: A, contact: contactA };
	expect(await store.listChanges(0, 10, true)).toEqual({
		feedId: expect.stringMatching(/^[0-9a-f]{32}$/),
		horizon: { seq: 0, before: 0, gen: 0 },
		changes: versioned
			? [
					{ ...upsertA, at: 5, deviceId: 'd' },
					{ seq: 2, op: 'delete', phone: B, at: 6, deviceId: 'd' }
				]
			: [{ ...upsertA, at: 0, deviceId: '' }],
		more: false,
		remaining: 0
	});
	const empty = { batchId: 'b', importId: 'i', deviceId: 'e', contacts: [], deletes: [] };
	expect(await store.applyBatch('k', 'h', empty, [], [])).toEqual({
		status: 200,
		body: JSON.parse(ACK),
		replayed: true
	});
	expect((await store.applyBatch('k', 'other', empty, [], [])).status).toBe(422);
	// New writes are numbered after the stored rows; a kept tombstone keeps an older upsert out.
	const upsert = (phone: string, updatedAt: number) => ({
		contact: { phone, firstName: 'New', tags: [], custom: {}, updatedAt }
	});
	expect(
		(await store.applyBatch('k2', 'h2', empty, [upsert(C, 9), upsert(B, 1)], [])).body
	).toMatchObject({ accepted: versioned ? 1 : 2, stale: versioned ? 1 : 0 });
	const last = versioned ? 2 : 1;
	expect((await store.listChanges(last, 10)).changes).toMatchObject(
		versioned
			? [{ seq: 3, phone: C, at: 9, deviceId: 'e' }]
			: [
					{ seq: 2, phone: C },
					{ seq: 3, phone: B }
				]
	);
}

describe('migrateSteps', () => {
	/** A database that records its version and the DDL run, failing on `fail`. */
	const fake = (at: number, fail = '') => {
		const ran: string[] = [];
		const db: SchemaPrimitives & { at: number } = {
			at,
			readVersion: () => db.at,
			applyVersion(version, ddl) {
				if (ddl === fail) throw new Error('boom');
				ran.push(ddl);
				db.at = version;
			}
		};
		return { db, ran };
	};
	const versions = [1, 2, 3].map((version) => ({
		version,
		sqlite: `s${version}`,
		postgres: `p${version}`
	}));

	it('applies the versions above the one recorded, in order, in the dialect asked', () => {
		const { db, ran } = fake(1);
		expect(runSync(migrateSteps(db, 'postgres', versions))).toEqual([2, 3]);
		expect(ran).toEqual(['p2', 'p3']);
		expect(runSync(migrateSteps(db, 'postgres', versions))).toEqual([]);
		const fresh = fake(0);
		expect(runSync(migrateSteps(fresh.db, 'sqlite', versions))).toEqual([1, 2, 3]);
		expect(fresh.ran).toEqual(['s1', 's2', 's3']);
	});

	it('stops at a failed version, naming it, with the ones before it recorded', async () => {
		const { db, ran } = fake(0, 's2');
		expect(() => runSync(migrateSteps(db, 'sqlite', versions))).toThrow(
			/^Migration 2 failed: boom$/
		);
		expect([db.at, ran]).toEqual([1, ['s1']]);
		// The same through an asynchronous database, whose failure is a rejection.
		const rejecting: SchemaPrimitives = {
			readVersion: () => Promise.resolve(0),
			applyVersion: () => Promise.reject(new Error('gone'))
		};
		await expect(runAsync(migrateSteps(rejecting, 'postgres', versions))).rejects.toThrow(
			/^Migration 1 failed: gone$/
		);
	});

	it('refuses a list whose numbers are not its order', () => {
		const { db } = fake(0);
		expect(() => runSync(migrateSteps(db, 'sqlite', [versions[1]]))).toThrow(
			/Schema version 2 is listed at 1/
		);
	});

	it('numbers the schema 1, 2, 3… with both dialects for each version', () => {
		expect(SCHEMA.map((v) => v.version)).toEqual(SCHEMA.map((_, i) => i + 1));
		for (const v of SCHEMA) expect([v.sqlite.trim(), v.postgres.trim()]).not.toContain('');
	});
});

/** Tables, their columns (name, type, null, default, key) and indexes, as SQLite holds them. */
function sqliteCatalog(db: Database.Database) {
	const tables = db
		.prepare<[], { name: string }>(
			"SELECT name FROM sqlite_master WHERE type = 'table' ORDER BY name"
		)
		.all();
	return tables.map(({ name }) => ({
		name,
		columns: db.pragma(`table_xinfo(${name})`),
		indexes: (db.pragma(`index_list(${name})`) as { name: string }[]).map((index) => ({
			...index,
			columns: db.pragma(`index_info(${index.name})`)
		}))
	}));
}

describe('SQLite schema upgrade', () => {
	const dirs: string[] = [];
	afterAll(() => dirs.forEach((d) => rmSync(d, { recursive: true, force: true })));
	const path = () => {
		const dir = mkdtempSync(join(tmpdir(), 'callaro-schema-'));
		dirs.push(dir);
		return join(dir, 'sync.db');
	};
	/** A database at `user_version` `at`, by the released steps, holding what that version holds. */
	const released = (at: 1 | 2 | 3) => {
		const file = path();
		const db = new Database(file);
		for (let v = 1; v <= at; v++) {
			db.exec(RELEASED_SQLITE_STEPS[v - 1]);
			db.pragma(`user_version = ${v}`);
		}
		const data = JSON.stringify(contactA);
		if (at === 1) db.prepare("INSERT INTO contacts VALUES (?, ?, 'i', 1)").run(A, data);
		if (at === 2) {
			db.prepare("INSERT INTO contacts VALUES (?, ?, 'i', 1, 5, 'd')").run(A, data);
			db.prepare("INSERT INTO tombstones VALUES (?, 6, 'd')").run(B);
		}
		if (at === 3) {
			db.prepare("INSERT INTO contacts VALUES (?, ?, 'i', 1, 5, 'd', 1)").run(A, data);
			db.prepare("INSERT INTO tombstones VALUES (?, 6, 'd', 2)").run(B);
			db.exec("UPDATE counters SET value = 2 WHERE name = 'seq'");
		}
		db.prepare("INSERT INTO batches VALUES ('k', 'h', 200, ?, 1)").run(ACK);
		db.exec("INSERT INTO custom_fields VALUES ('region', 'Region', 'text', 1)");
		db.close();
		return file;
	};

	for (const at of [1, 2, 3] as const)
		it(`opens a database at user_version ${at}, keeping its rows, and writes on`, async () => {
			const file = released(at);
			const store = openSqliteStore(file);
			await expectKept(store, at > 1);
			await store.close();
			const db = new Database(file);
			expect(db.pragma('user_version', { simple: true })).toBe(SCHEMA.length);
			expect(migrateSqlite(db)).toEqual([]);
			db.close();
		});

	it('builds a new database exactly as the released steps did, and as they upgrade', () => {
		const fresh = new Database(':memory:');
		expect(migrateSqlite(fresh, SCHEMA.slice(0, 3))).toEqual([1, 2, 3]);
		const old = new Database(':memory:');
		RELEASED_SQLITE_STEPS.forEach((ddl, i) => {
			old.exec(ddl);
			old.pragma(`user_version = ${i + 1}`);
		});
		expect(sqliteCatalog(fresh)).toEqual(sqliteCatalog(old));
		const later = SCHEMA.slice(3).map((v) => v.version);
		expect(migrateSqlite(fresh)).toEqual(later);
		expect(migrateSqlite(old)).toEqual(later);
		expect(sqliteCatalog(fresh)).toEqual(sqliteCatalog(old));
		expect(fresh.prepare('SELECT id, seq FROM workspaces').all()).toEqual([
			{ id: 'default', seq: 0 }
		]);
	});
});

describe.runIf(pgAdminUrl())('PostgreSQL schema upgrade', () => {
	const drops: (() => Promise<void>)[] = [];
	afterEach(async () => {
		for (const drop of drops.splice(0)) await drop();
	});
	const database = async () => {
		const { url, drop } = await scratchDatabase();
		drops.push(drop);
		return url;
	};
	const query = async <T extends pg.QueryResultRow>(url: string, sql: string) => {
		const client = new pg.Client({ connectionString: url });
		await client.connect();
		try {
			return (await client.query<T>(sql)).rows;
		} finally {
			await client.end();
		}
	};
	/** Every column (type, null, default, collation) and index of the database's tables. */
	const catalog = async (url: string) => ({
		columns: await query(
			url,
			`SELECT table_name, column_name, ordinal_position, data_type, is_nullable, column_default,
			   collation_name
			 FROM information_schema.columns WHERE table_schema = current_schema()
			 ORDER BY table_name, ordinal_position`
		),
		indexes: await query(
			url,
			`SELECT indexname, indexdef FROM pg_indexes WHERE schemaname = current_schema()
			 ORDER BY indexname`
		)
	});
	const versions = async (url: string) =>
		(
			await query<{ version: number }>(
				url,
				'SELECT version FROM schema_migrations ORDER BY version'
			)
		).map((r) => r.version);

	it('opens a database built by the released combined step, keeping its rows, and writes on', async () => {
		const url = await database();
		await query(
			url,
			`${RELEASED_PG_STEP};
			 ${RELEASED_PG_RECORD};
			 INSERT INTO contacts VALUES ('${A}', '${JSON.stringify(contactA)}', 'i', 1, 5, 'd', 1);
			 INSERT INTO tombstones VALUES ('${B}', 6, 'd', 2);
			 UPDATE counters SET value = 2 WHERE name = 'seq';
			 INSERT INTO batches VALUES ('k', 'h', 200, '${ACK}', 1);
			 INSERT INTO custom_fields VALUES ('region', 'Region', 'text', 1);`
		);
		const store = await openPgStore(url);
		await expectKept(store, true);
		await store.close();
		// Versions 2 and 3 recorded as made by the combined step (not applied again), the later
		// ones applied: the schema is a new database's.
		expect(await versions(url)).toEqual(SCHEMA.map((v) => v.version));
		const fresh = await database();
		await (await openPgStore(fresh)).close();
		expect(await catalog(url)).toEqual(await catalog(fresh));
		const pool = createPool(url, 1);
		expect(await migratePg(pool)).toEqual([]);
		await pool.end();
	});

	it('builds a new database as the released step did, at the version SQLite records', async () => {
		const url = await database();
		const pool = createPool(url, 1);
		await migratePg(pool, SCHEMA.slice(0, 3));
		await pool.end();
		const released = await database();
		await query(released, `${RELEASED_PG_STEP}; ${RELEASED_PG_RECORD}`);
		expect(await catalog(url)).toEqual(await catalog(released));
		// And from there, the same at every later version.
		await (await openPgStore(url)).close();
		await (await openPgStore(released)).close();
		expect(await catalog(url)).toEqual(await catalog(released));
		const fresh = new Database(':memory:');
		migrateSqlite(fresh);
		expect(await versions(url)).toEqual(SCHEMA.map((v) => v.version));
		expect(fresh.pragma('user_version', { simple: true })).toBe(SCHEMA.length);
		fresh.close();
		expect(await query(url, 'SELECT id, seq::integer AS seq FROM workspaces')).toEqual([
			{ id: 'default', seq: 0 }
		]);
	});

	it('leaves the same tables, columns and indexes as SQLite at every version', async () => {
		for (let at = 1; at <= SCHEMA.length; at++) {
			const url = await database();
			const pool = createPool(url, 1);
			expect(await migratePg(pool, SCHEMA.slice(0, at))).toEqual(
				SCHEMA.slice(0, at).map((v) => v.version)
			);
			await pool.end();
			const lite = new Database(':memory:');
			migrateSqlite(lite, SCHEMA.slice(0, at));
			const pgColumns = await query<{ table_name: string; column_name: string }>(
				url,
				`SELECT table_name, column_name FROM information_schema.columns
				 WHERE table_schema = current_schema() AND table_name <> 'schema_migrations'
				 ORDER BY table_name, ordinal_position`
			);
			const liteColumns = sqliteCatalog(lite).flatMap((table) =>
				(table.columns as { name: string }[]).map((c) => ({
					table_name: table.name,
					column_name: c.name
				}))
			);
			expect(pgColumns, `version ${at}`).toEqual(liteColumns);
			const pgIndexes = await query<{ indexname: string }>(
				url,
				`SELECT indexname FROM pg_indexes WHERE schemaname = current_schema()
				 AND indexname NOT LIKE '%_pkey' ORDER BY indexname`
			);
			const liteIndexes = sqliteCatalog(lite)
				.flatMap((table) => table.indexes.map((index) => index.name))
				.filter((name) => !name.startsWith('sqlite_autoindex'))
				.sort();
			expect(
				pgIndexes.map((r) => r.indexname),
				`version ${at}`
			).toEqual(liteIndexes);
			lite.close();
		}
	});

	it('takes a database recorded at version 1 alone, without the later tables, on from there', async () => {
		const url = await database();
		const pool = createPool(url, 1);
		try {
			expect(await migratePg(pool, SCHEMA.slice(0, 1))).toEqual([1]);
			expect(await migratePg(pool)).toEqual(SCHEMA.slice(1).map((v) => v.version));
		} finally {
			await pool.end();
		}
		expect(await versions(url)).toEqual(SCHEMA.map((v) => v.version));
	});
});
