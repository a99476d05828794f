/**
 * The sync server's storage, as the app sees it. Every method is async so that a store over the
 * network (PostgreSQL) and the embedded one (SQLite) are the same to the app.
 *
 * What every store keeps:
 * - Idempotency (Stripe's way): the first answer for an Idempotency-Key is stored in the same
 *   transaction as the batch's effects, and replayed for a repeat; the same key with another body
 *   is refused (`KEY_REUSED`).
 * - Contacts are upserted by E.164 phone, so even a batch replayed under a new key creates no
 *   duplicate; what a batch writes is `planBatch`'s (batch-rules.ts: last writer wins, tombstones).
 * - Acknowledged means durable: `applyBatch` resolves only once the batch is on disk.
 * - The change feed: every contact and tombstone row carries the change sequence of the write
 *   that left it, numbered in the order writes commit, so a reader that has every change up to
 *   `seq` never misses an earlier one. A store with several writers (PostgreSQL) serializes the
 *   numbering with the commit.
 *
 * Both stores are `createStore` (store-procedure.ts) over their database's primitives, so these
 * are kept by one procedure; the schema they hold is schema.ts's.
 */
import type {
	Change,
	ContactBatch,
	RefusedContact,
	RemoteCustomField,
	SyncContact
} from '../src/lib/protocol/sync';

export interface StoredAnswer {
	status: number;
	body: unknown;
	replayed: boolean;
}

/** The answer to an Idempotency-Key already used with another request body. */
export const KEY_REUSED: StoredAnswer = {
	status: 422,
	body: { error: 'This Idempotency-Key was already used with a different request body.' },
	replayed: false
};

export interface Store {
	/** Applies a batch once per key (`hash` is the request's), or replays the first answer. */
	applyBatch(
		key: string,
		hash: string,
		batch: ContactBatch,
		contacts: { contact: SyncContact }[],
		refused: RefusedContact[]
	): Promise<StoredAnswer>;
	putField(field: RemoteCustomField): Promise<void>;
	listFields(): Promise<RemoteCustomField[]>;
	/** Live contacts, and batches applied. */
	stats(): Promise<{ contacts: number; batches: number }>;
	/** Live contacts by phone, after `after`. */
	listContacts(limit: number, after: string): Promise<unknown[]>;
	/**
	 * Up to `limit` changes after `since`, in sequence order, and whether more follow; with
	 * `count`, also how many follow the last one returned (a count over the rest of the feed, so
	 * a puller asks for it once per pull, not per page).
	 */
	listChanges(
		since: number,
		limit: number,
		count?: boolean
	): Promise<{ changes: Change[]; more: boolean; remaining?: number }>;
	close(): Promise<void>;
}
