/**
 * The stores' one schema, as an ordered list of versions, each written for SQLite and for
 * PostgreSQL side by side: the two differ only where the dialects do. `migrateSteps` is the one
 * runner: it brings a database from the version it records up to the last, one version per
 * transaction, so a database written by any earlier release is upgraded in place at start.
 *
 * Invariants:
 * - A released version is never edited: a change to the schema is a new version.
 * - Both dialects of a version leave the same tables, columns, keys and indexes (column defaults
 *   aside, below), so the stores hold the same data at the same version number.
 * - The version is recorded in the transaction that applied it (SQLite: `PRAGMA user_version`;
 *   PostgreSQL: a `schema_migrations` row per version, where one row 1 may also stand for
 *   versions 1 to 3, see pg-store.ts), so a failed version leaves the database at the one
 *   before, and a start after it applies the failed one again.
 *
 * Dialect choices:
 * - PostgreSQL phones and field keys are `COLLATE "C"`: ordered by their bytes whatever the
 *   database's locale, as SQLite orders TEXT, so pages by phone are the same on both stores.
 * - Contact data is TEXT holding the contact's JSON as sent back (JSONB would reorder keys and
 *   refuse `\u0000`). Times are milliseconds (PostgreSQL BIGINT).
 * - A column added to a table that may hold rows gets a default for them. SQLite keeps it (it
 *   cannot drop one); PostgreSQL drops it once the rows have it, since every write gives every
 *   column.
 */
import { step, type Io, type Steps } from './steps';

export type Dialect = 'sqlite' | 'postgres';

export interface SchemaVersion {
	/** Its number: its place in `SCHEMA`, from 1. */
	version: number;
	sqlite: string;
	postgres: string;
}

export const SCHEMA: readonly SchemaVersion[] = [
	{
		// Contacts upserted by phone, the stored answer per Idempotency-Key, custom fields. On
		// SQLite, `IF NOT EXISTS`: a database from before versions were recorded holds these
		// tables at user_version 0.
		version: 1,
		sqlite: `CREATE TABLE IF NOT EXISTS contacts (
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
		postgres: `CREATE TABLE contacts (
			phone TEXT COLLATE "C" PRIMARY KEY,
			data TEXT NOT NULL,
			import_id TEXT NOT NULL,
			updated_at BIGINT NOT NULL
		);
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
		);`
	},
	{
		// Last writer wins: each contact keeps the version (device time and device id) that wrote
		// it, and deletes leave tombstones. Contacts already stored get version 0: any new write
		// wins.
		version: 2,
		sqlite: `ALTER TABLE contacts ADD COLUMN version_at INTEGER NOT NULL DEFAULT 0;
		ALTER TABLE contacts ADD COLUMN device_id TEXT NOT NULL DEFAULT '';
		CREATE TABLE tombstones (
			phone TEXT PRIMARY KEY,
			version_at INTEGER NOT NULL,
			device_id TEXT NOT NULL
		);`,
		postgres: `ALTER TABLE contacts ADD COLUMN version_at BIGINT NOT NULL DEFAULT 0,
			ADD COLUMN device_id TEXT NOT NULL DEFAULT '';
		ALTER TABLE contacts ALTER COLUMN version_at DROP DEFAULT, ALTER COLUMN device_id DROP DEFAULT;
		CREATE TABLE tombstones (
			phone TEXT COLLATE "C" PRIMARY KEY,
			version_at BIGINT NOT NULL,
			device_id TEXT NOT NULL
		);`
	},
	{
		// The change feed: each row carries the sequence number of the write that left it, taken
		// from one counter in the batch's transaction. Rows already stored are numbered once here,
		// contacts before tombstones (SQLite in rowid order, PostgreSQL, which has none, by phone).
		version: 3,
		sqlite: `ALTER TABLE contacts ADD COLUMN seq INTEGER NOT NULL DEFAULT 0;
		ALTER TABLE tombstones ADD COLUMN seq INTEGER NOT NULL DEFAULT 0;
		UPDATE contacts SET seq = rowid;
		UPDATE tombstones SET seq = rowid + (SELECT COALESCE(MAX(rowid), 0) FROM contacts);
		CREATE TABLE counters (name TEXT PRIMARY KEY, value INTEGER NOT NULL);
		INSERT INTO counters (name, value) SELECT 'seq', COALESCE(MAX(seq), 0)
		  FROM (SELECT seq FROM contacts UNION ALL SELECT seq FROM tombstones);
		CREATE INDEX contacts_by_seq ON contacts (seq);
		CREATE INDEX tombstones_by_seq ON tombstones (seq);`,
		postgres: `ALTER TABLE contacts ADD COLUMN seq BIGINT NOT NULL DEFAULT 0;
		ALTER TABLE tombstones ADD COLUMN seq BIGINT NOT NULL DEFAULT 0;
		UPDATE contacts SET seq = numbered.n
		  FROM (SELECT phone, row_number() OVER (ORDER BY phone) AS n FROM contacts) AS numbered
		  WHERE contacts.phone = numbered.phone;
		UPDATE tombstones SET seq = numbered.n + (SELECT COUNT(*) FROM contacts)
		  FROM (SELECT phone, row_number() OVER (ORDER BY phone) AS n FROM tombstones) AS numbered
		  WHERE tombstones.phone = numbered.phone;
		ALTER TABLE contacts ALTER COLUMN seq DROP DEFAULT;
		ALTER TABLE tombstones ALTER COLUMN seq DROP DEFAULT;
		CREATE TABLE counters (name TEXT PRIMARY KEY, value BIGINT NOT NULL);
		INSERT INTO counters (name, value) SELECT 'seq', COALESCE(MAX(seq), 0)
		  FROM (SELECT seq FROM contacts UNION ALL SELECT seq FROM tombstones) AS rows;
		CREATE INDEX contacts_by_seq ON contacts (seq);
		CREATE INDEX tombstones_by_seq ON tombstones (seq);`
	},
	{
		// Workspaces. Every row of data belongs to one (`workspace_id`, the last column on both
		// dialects), and is keyed by it first: contacts and tombstones by (workspace, phone),
		// stored answers by (workspace, key), custom fields by (workspace, key). Each workspace
		// numbers its own change feed (`workspaces.seq`, the last number taken, replacing
		// `counters`). Members hold only a SHA-256 of their token (`token_hash`, NULL for none).
		// Everything stored before is the default workspace's (id `default`), its feed numbered
		// as it was, and the workspace gets one owner, `sync-token`: the server's SYNC_TOKEN,
		// whose hash each start writes (app.ts). SQLite cannot change a primary key, so it
		// rebuilds its four tables; PostgreSQL adds the column and re-keys them.
		version: 4,
		sqlite: `CREATE TABLE workspaces (
			id TEXT PRIMARY KEY,
			name TEXT NOT NULL,
			seq INTEGER NOT NULL,
			created_at INTEGER NOT NULL
		);
		INSERT INTO workspaces (id, name, seq, created_at)
		  SELECT 'default', 'Default workspace', COALESCE((SELECT value FROM counters WHERE name = 'seq'), 0),
		    CAST((julianday('now') - 2440587.5) * 86400000 AS INTEGER);
		DROP TABLE counters;
		CREATE TABLE members (
			id TEXT PRIMARY KEY,
			workspace_id TEXT NOT NULL,
			name TEXT NOT NULL,
			role TEXT NOT NULL CHECK (role IN ('owner', 'member')),
			token_hash TEXT,
			created_at INTEGER NOT NULL,
			revoked_at INTEGER
		);
		CREATE UNIQUE INDEX members_by_token ON members (token_hash);
		CREATE INDEX members_by_workspace ON members (workspace_id, created_at);
		INSERT INTO members (id, workspace_id, name, role, token_hash, created_at, revoked_at)
		  SELECT 'sync-token', 'default', 'SYNC_TOKEN', 'owner', NULL, created_at, NULL FROM workspaces;
		CREATE TABLE contacts_v4 (
			phone TEXT NOT NULL,
			data TEXT NOT NULL,
			import_id TEXT NOT NULL,
			updated_at INTEGER NOT NULL,
			version_at INTEGER NOT NULL,
			device_id TEXT NOT NULL,
			seq INTEGER NOT NULL,
			workspace_id TEXT NOT NULL,
			PRIMARY KEY (workspace_id, phone)
		);
		INSERT INTO contacts_v4 SELECT phone, data, import_id, updated_at, version_at, device_id, seq, 'default'
		  FROM contacts ORDER BY rowid;
		DROP TABLE contacts;
		ALTER TABLE contacts_v4 RENAME TO contacts;
		CREATE INDEX contacts_by_seq ON contacts (workspace_id, seq);
		CREATE TABLE tombstones_v4 (
			phone TEXT NOT NULL,
			version_at INTEGER NOT NULL,
			device_id TEXT NOT NULL,
			seq INTEGER NOT NULL,
			workspace_id TEXT NOT NULL,
			PRIMARY KEY (workspace_id, phone)
		);
		INSERT INTO tombstones_v4 SELECT phone, version_at, device_id, seq, 'default'
		  FROM tombstones ORDER BY rowid;
		DROP TABLE tombstones;
		ALTER TABLE tombstones_v4 RENAME TO tombstones;
		CREATE INDEX tombstones_by_seq ON tombstones (workspace_id, seq);
		CREATE TABLE batches_v4 (
			idempotency_key TEXT NOT NULL,
			request_hash TEXT NOT NULL,
			status INTEGER NOT NULL,
			body TEXT NOT NULL,
			created_at INTEGER NOT NULL,
			workspace_id TEXT NOT NULL,
			PRIMARY KEY (workspace_id, idempotency_key)
		);
		INSERT INTO batches_v4 SELECT idempotency_key, request_hash, status, body, created_at, 'default'
		  FROM batches ORDER BY rowid;
		DROP TABLE batches;
		ALTER TABLE batches_v4 RENAME TO batches;
		CREATE TABLE custom_fields_v4 (
			key TEXT NOT NULL,
			label TEXT NOT NULL,
			type TEXT NOT NULL,
			updated_at INTEGER NOT NULL,
			workspace_id TEXT NOT NULL,
			PRIMARY KEY (workspace_id, key)
		);
		INSERT INTO custom_fields_v4 SELECT key, label, type, updated_at, 'default'
		  FROM custom_fields ORDER BY rowid;
		DROP TABLE custom_fields;
		ALTER TABLE custom_fields_v4 RENAME TO custom_fields;`,
		postgres: `CREATE TABLE workspaces (
			id TEXT PRIMARY KEY,
			name TEXT NOT NULL,
			seq BIGINT NOT NULL,
			created_at BIGINT NOT NULL
		);
		INSERT INTO workspaces (id, name, seq, created_at)
		  SELECT 'default', 'Default workspace', COALESCE((SELECT value FROM counters WHERE name = 'seq'), 0),
		    (extract(epoch FROM clock_timestamp()) * 1000)::bigint;
		DROP TABLE counters;
		CREATE TABLE members (
			id TEXT PRIMARY KEY,
			workspace_id TEXT NOT NULL,
			name TEXT NOT NULL,
			role TEXT NOT NULL CHECK (role IN ('owner', 'member')),
			token_hash TEXT,
			created_at BIGINT NOT NULL,
			revoked_at BIGINT
		);
		CREATE UNIQUE INDEX members_by_token ON members (token_hash);
		CREATE INDEX members_by_workspace ON members (workspace_id, created_at);
		INSERT INTO members (id, workspace_id, name, role, token_hash, created_at, revoked_at)
		  SELECT 'sync-token', 'default', 'SYNC_TOKEN', 'owner', NULL, created_at, NULL FROM workspaces;
		ALTER TABLE contacts ADD COLUMN workspace_id TEXT NOT NULL DEFAULT 'default';
		ALTER TABLE contacts ALTER COLUMN workspace_id DROP DEFAULT,
		  DROP CONSTRAINT contacts_pkey, ADD PRIMARY KEY (workspace_id, phone);
		DROP INDEX contacts_by_seq;
		CREATE INDEX contacts_by_seq ON contacts (workspace_id, seq);
		ALTER TABLE tombstones ADD COLUMN workspace_id TEXT NOT NULL DEFAULT 'default';
		ALTER TABLE tombstones ALTER COLUMN workspace_id DROP DEFAULT,
		  DROP CONSTRAINT tombstones_pkey, ADD PRIMARY KEY (workspace_id, phone);
		DROP INDEX tombstones_by_seq;
		CREATE INDEX tombstones_by_seq ON tombstones (workspace_id, seq);
		ALTER TABLE batches ADD COLUMN workspace_id TEXT NOT NULL DEFAULT 'default';
		ALTER TABLE batches ALTER COLUMN workspace_id DROP DEFAULT,
		  DROP CONSTRAINT batches_pkey, ADD PRIMARY KEY (workspace_id, idempotency_key);
		ALTER TABLE custom_fields ADD COLUMN workspace_id TEXT NOT NULL DEFAULT 'default';
		ALTER TABLE custom_fields ALTER COLUMN workspace_id DROP DEFAULT,
		  DROP CONSTRAINT custom_fields_pkey, ADD PRIMARY KEY (workspace_id, key);`
	},
	{
		// The change feed's identity: each workspace's `feed_id`, made once with the workspace and
		// never changed, so a cursor read from one feed is known not to be another's (a database
		// restored from a backup keeps it; a new, empty one has a new one). It is 32 lowercase hex
		// characters of random (SQLite: 16 random bytes; PostgreSQL: a random UUID's 122 random
		// bits); workspaces made later get theirs from the server (tokens.ts, `newFeedId`). The
		// workspaces that exist here, the default one included, each get their own.
		version: 5,
		sqlite: `ALTER TABLE workspaces ADD COLUMN feed_id TEXT NOT NULL DEFAULT '';
		UPDATE workspaces SET feed_id = lower(hex(randomblob(16)));`,
		postgres: `ALTER TABLE workspaces ADD COLUMN feed_id TEXT NOT NULL DEFAULT '';
		UPDATE workspaces SET feed_id = replace(gen_random_uuid()::text, '-', '');
		ALTER TABLE workspaces ALTER COLUMN feed_id DROP DEFAULT;`
	},
	{
		// Bounded history. Each workspace's horizon (`horizon_seq`, the highest sequence number
		// compaction removed, `horizon_gen`, how many compaction chunks removed anything, and
		// `horizon_before`, the time every removed tombstone's version is
		// older than; both 0: nothing removed) lives in its row, so a batch reads it under the
		// workspace's lock and a feed page in the page's snapshot. Tombstones get `updated_at`, when
		// the server wrote them (as contacts have), so a tombstone is kept a full retention after it
		// reached the server whatever its device's clock said; a tombstone stored before has only
		// its version's time, which stands for it. The index serves compaction's scan by time.
		version: 6,
		sqlite: `ALTER TABLE workspaces ADD COLUMN horizon_seq INTEGER NOT NULL DEFAULT 0;
		ALTER TABLE workspaces ADD COLUMN horizon_before INTEGER NOT NULL DEFAULT 0;
		ALTER TABLE workspaces ADD COLUMN horizon_gen INTEGER NOT NULL DEFAULT 0;
		ALTER TABLE tombstones ADD COLUMN updated_at INTEGER NOT NULL DEFAULT 0;
		UPDATE tombstones SET updated_at = version_at;
		CREATE INDEX tombstones_by_time ON tombstones (workspace_id, updated_at);`,
		postgres: `ALTER TABLE workspaces ADD COLUMN horizon_seq BIGINT NOT NULL DEFAULT 0,
			ADD COLUMN horizon_before BIGINT NOT NULL DEFAULT 0,
			ADD COLUMN horizon_gen BIGINT NOT NULL DEFAULT 0;
		ALTER TABLE workspaces ALTER COLUMN horizon_seq DROP DEFAULT,
			ALTER COLUMN horizon_before DROP DEFAULT, ALTER COLUMN horizon_gen DROP DEFAULT;
		ALTER TABLE tombstones ADD COLUMN updated_at BIGINT NOT NULL DEFAULT 0;
		UPDATE tombstones SET updated_at = version_at;
		ALTER TABLE tombstones ALTER COLUMN updated_at DROP DEFAULT;
		CREATE INDEX tombstones_by_time ON tombstones (workspace_id, updated_at);`
	},
	{
		// The workspace's calling lists. The do-not-call list is one row per phone; each add takes
		// the workspace's next `dnc_seq` (a phone already listed keeps its own), so a device reads
		// what was added after the seq it holds; a clear removes the rows and records the seq it
		// happened at (`dnc_cleared_seq`), so a device behind it knows to drop its copy. The
		// calling hours are one JSON value per workspace with the device time that wrote it
		// (`calling_hours_at`, the newer write wins).
		version: 7,
		sqlite: `CREATE TABLE do_not_call (
			workspace_id TEXT NOT NULL,
			phone TEXT NOT NULL,
			seq INTEGER NOT NULL,
			added_at INTEGER NOT NULL,
			PRIMARY KEY (workspace_id, phone)
		);
		CREATE INDEX do_not_call_by_seq ON do_not_call (workspace_id, seq);
		ALTER TABLE workspaces ADD COLUMN dnc_seq INTEGER NOT NULL DEFAULT 0;
		ALTER TABLE workspaces ADD COLUMN dnc_cleared_seq INTEGER NOT NULL DEFAULT 0;
		ALTER TABLE workspaces ADD COLUMN calling_hours TEXT;
		ALTER TABLE workspaces ADD COLUMN calling_hours_at INTEGER NOT NULL DEFAULT 0;`,
		postgres: `CREATE TABLE do_not_call (
			workspace_id TEXT NOT NULL,
			phone TEXT NOT NULL,
			seq BIGINT NOT NULL,
			added_at BIGINT NOT NULL,
			PRIMARY KEY (workspace_id, phone)
		);
		CREATE INDEX do_not_call_by_seq ON do_not_call (workspace_id, seq);
		ALTER TABLE workspaces ADD COLUMN dnc_seq BIGINT NOT NULL DEFAULT 0,
			ADD COLUMN dnc_cleared_seq BIGINT NOT NULL DEFAULT 0,
			ADD COLUMN calling_hours TEXT,
			ADD COLUMN calling_hours_at BIGINT NOT NULL DEFAULT 0;`
	}
];

/** How a database records its schema version. */
export interface SchemaPrimitives {
	/** The version the database is at: 0 when it has none. */
	readVersion(): Io<number>;
	/** Runs `ddl` and records `version`, in one transaction. */
	applyVersion(version: number, ddl: string): Io<void>;
}

/**
 * Applies, in order, each version of `versions` above the one the database is at; returns the
 * versions it applied. A failed version stops the run with an error naming it.
 */
export function* migrateSteps(
	db: SchemaPrimitives,
	dialect: Dialect,
	versions: readonly SchemaVersion[] = SCHEMA
): Steps<number[]> {
	versions.forEach(({ version }, i) => {
		if (version !== i + 1) throw new Error(`Schema version ${version} is listed at ${i + 1}.`);
	});
	const at = yield* step(db.readVersion());
	const applied: number[] = [];
	for (const { version, [dialect]: ddl } of versions.slice(at)) {
		try {
			yield* step(db.applyVersion(version, ddl));
		} catch (error) {
			throw new Error(
				`Migration ${version} failed: ${error instanceof Error ? error.message : String(error)}`,
				{ cause: error }
			);
		}
		applied.push(version);
	}
	return applied;
}
