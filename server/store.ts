/**
 * The reference backend's storage: SQLite (better-sqlite3, WAL). Prepared statements only.
 *
 * Idempotency (Stripe's way): the first answer for an Idempotency-Key is stored in the same
 * transaction as the batch's effects, and replayed for a repeat; the same key with another body
 * is refused. Contacts are upserted by E.164 phone, so even a batch replayed under a new key
 * creates no duplicate.
 */
import Database from 'better-sqlite3';
import { chmodSync, closeSync, existsSync, mkdirSync, openSync } from 'node:fs';
import { dirname } from 'node:path';
import type { BatchAck, ContactBatch, RemoteCustomField } from '../src/lib/sync/protocol';

export interface StoredAnswer {
	status: number;
	body: unknown;
	replayed: boolean;
}

export type Store = ReturnType<typeof openStore>;

/**
 * The database file holds personal data: only the server's own user may read it (0600; SQLite
 * gives its -wal and -shm files the database file's permissions). A new folder is 0700.
 */
function makePrivate(path: string): void {
	mkdirSync(dirname(path), { recursive: true, mode: 0o700 });
	if (!existsSync(path)) closeSync(openSync(path, 'a', 0o600));
	chmodSync(path, 0o600);
}

/** Opens (creating if needed) the database at `path` (`:memory:` for tests). */
export function openStore(path: string) {
	if (path !== ':memory:') makePrivate(path);
	const db = new Database(path);
	db.pragma('journal_mode = WAL');
	// Acknowledged means durable: with FULL, each commit's WAL frames are synced to disk before
	// the commit returns, so an answered batch survives a power loss (NORMAL could roll it back
	// while the client, told it was stored, never sends it again).
	db.pragma('synchronous = FULL');
	db.exec(`
		CREATE TABLE IF NOT EXISTS contacts (
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
		);
	`);
	const findBatch = db.prepare<[string], { request_hash: string; status: number; body: string }>(
		'SELECT request_hash, status, body FROM batches WHERE idempotency_key = ?'
	);
	const insertBatch = db.prepare(
		'INSERT INTO batches (idempotency_key, request_hash, status, body, created_at) VALUES (?, ?, ?, ?, ?)'
	);
	const upsertContact = db.prepare(
		`INSERT INTO contacts (phone, data, import_id, updated_at) VALUES (?, ?, ?, ?)
		 ON CONFLICT(phone) DO UPDATE SET data = excluded.data, import_id = excluded.import_id, updated_at = excluded.updated_at`
	);
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
		(key: string, hash: string, batch: ContactBatch): StoredAnswer => {
			const seen = findBatch.get(key);
			if (seen) {
				if (seen.request_hash !== hash) {
					return {
						status: 422,
						body: { error: 'This Idempotency-Key was already used with a different request body.' },
						replayed: false
					};
				}
				return { status: seen.status, body: JSON.parse(seen.body), replayed: true };
			}
			const now = Date.now();
			for (const contact of batch.contacts) {
				upsertContact.run(contact.phone, JSON.stringify(contact), batch.importId, now);
			}
			const ack: BatchAck = {
				batchId: batch.batchId,
				importId: batch.importId,
				accepted: batch.contacts.length
			};
			insertBatch.run(key, hash, 200, JSON.stringify(ack), now);
			return { status: 200, body: ack, replayed: false };
		}
	);

	return {
		applyBatch,
		putField(field: RemoteCustomField): void {
			upsertField.run(field.key, field.label, field.type, Date.now());
		},
		listFields(): RemoteCustomField[] {
			return allFields.all();
		},
		stats(): { contacts: number; batches: number } {
			return { contacts: countContacts.get()!.n, batches: countBatches.get()!.n };
		},
		listContacts(limit: number, after: string): unknown[] {
			return pageContacts.all(after, limit).map((r) => JSON.parse(r.data));
		},
		/** The settings that make an answer durable (read by tests and start-up checks). */
		durability(): { journalMode: string; synchronous: number } {
			return {
				journalMode: String(db.pragma('journal_mode', { simple: true })),
				synchronous: Number(db.pragma('synchronous', { simple: true }))
			};
		},
		close(): void {
			db.close();
		}
	};
}
