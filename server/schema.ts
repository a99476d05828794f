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
