/**
 * The store's procedures, written once: a batch (the replay check, the versions read, the plan,
 * the change sequence, the rows, tombstones and the stored answer) and the change feed's paging.
 * Each database implements only `StorePrimitives`: a few statements each, no rules. What the
 * procedures keep is the `Store` contract (store.ts); what a batch writes is `planBatch`'s.
 *
 * The procedures are generators (steps.ts), so that SQLite runs them synchronously inside one
 * better-sqlite3 transaction and PostgreSQL awaits each statement inside its own.
 */
import type {
	Change,
	ContactBatch,
	RefusedContact,
	RemoteCustomField,
	SyncContact
} from '../src/lib/protocol/sync';
import { finalWrites, phonesOf, planBatch, type PhoneVersions } from './batch-rules';
import { step, type Io, type Steps } from './steps';
import { KEY_REUSED, type Store, type StoredAnswer } from './store';

/** The answer stored for an Idempotency-Key, with the hash of the request it answered. */
export interface StoredReplay {
	hash: string;
	status: number;
	/** The answer's body as JSON. */
	body: string;
}

/** A version held for a phone: its live contact's, or its tombstone's. */
export interface VersionRow {
	kind: 'contact' | 'tombstone';
	phone: string;
	version_at: number;
	device_id: string;
}

/** A contact as a batch leaves it (`data` is its JSON), numbered `seq` in the change feed. */
export interface ContactRow {
	phone: string;
	data: string;
	version_at: number;
	device_id: string;
	seq: number;
}

/** A tombstone as a batch leaves it, numbered `seq` in the change feed. */
export interface TombstoneRow {
	phone: string;
	version_at: number;
	device_id: string;
	seq: number;
}

/** A change feed row: a contact (`data`, its JSON) or a tombstone (null). */
export interface ChangeRow {
	seq: number;
	phone: string;
	data: string | null;
	version_at: number;
	device_id: string;
}

/**
 * The statements a batch is made of, all run in the batch's transaction. Each list given is
 * non-empty and holds each phone at most once.
 */
export interface BatchPrimitives {
	findReplay(key: string): Io<StoredReplay | undefined>;
	/** What is held for `phones`: at most one contact and one tombstone row each. */
	readVersions(phones: string[]): Io<VersionRow[]>;
	/** Advances the change sequence by `count` and returns its new value (the last number taken). */
	takeSeqs(count: number): Io<number>;
	/** Inserts or replaces the contacts, each stamped with `importId` and `now`. */
	upsertContacts(rows: ContactRow[], importId: string, now: number): Io<void>;
	deleteContacts(phones: string[]): Io<void>;
	/** Inserts or replaces the tombstones. */
	upsertTombstones(rows: TombstoneRow[]): Io<void>;
	deleteTombstones(phones: string[]): Io<void>;
	saveReplay(key: string, replay: StoredReplay, now: number): Io<void>;
}

/** The statements a change feed page is read with, in one snapshot. */
export interface FeedPrimitives {
	/** Up to `limit` contact and tombstone rows with a `seq` above `seq`, in `seq` order. */
	readChangesAfter(seq: number, limit: number): Io<ChangeRow[]>;
	/** How many contact and tombstone rows have a `seq` above `seq`. */
	countChangesAfter(seq: number): Io<number>;
}

/** What one database provides; `createStore` makes the `Store` from it. */
export interface StorePrimitives {
	/**
	 * Runs `work` in one transaction and resolves once it is committed durably; rolls it back if
	 * `work` throws. Batch transactions are serialized, across every process on the database, so
	 * each sees the one before it committed: the replay check is race-free, and change sequence
	 * numbers follow commit order (store.ts).
	 */
	inBatchTransaction<T>(work: (tx: BatchPrimitives) => Steps<T>): Promise<T>;
	/** Runs `work` against one snapshot of the database. */
	inReadSnapshot<T>(work: (tx: FeedPrimitives) => Steps<T>): Promise<T>;
	upsertField(field: RemoteCustomField, now: number): Promise<void>;
	/** The custom fields, by key. */
	listFields(): Promise<RemoteCustomField[]>;
	/** Live contacts, and stored answers with a 2xx status (batches applied), from one snapshot. */
	counts(): Promise<{ contacts: number; batches: number }>;
	/** The JSON of up to `limit` live contacts with a phone above `after`, by phone (bytewise). */
	pageContacts(limit: number, after: string): Promise<string[]>;
	close(): Promise<void>;
}

/**
 * A batch, applied at most once per key: a key already answered replays that answer (or, with
 * another request hash, is refused), and nothing else is read or written. Otherwise the batch is
 * planned against the versions held for its phones, and each phone it changes is written once
 * (its final write) under the next change sequence number, in plan order; an upsert clears the
 * phone's tombstone, a delete removes the contact and leaves one. The answer is stored with the
 * writes, in the same transaction.
 */
export function* applyBatchSteps(
	tx: BatchPrimitives,
	key: string,
	hash: string,
	batch: ContactBatch,
	contacts: { contact: SyncContact }[],
	refused: RefusedContact[]
): Steps<StoredAnswer> {
	const seen = yield* step(tx.findReplay(key));
	if (seen) {
		if (seen.hash !== hash) return KEY_REUSED;
		return { status: seen.status, body: JSON.parse(seen.body) as unknown, replayed: true };
	}
	const phones = phonesOf(batch, contacts);
	const held = new Map<string, PhoneVersions>();
	for (const row of phones.length > 0 ? yield* step(tx.readVersions(phones)) : []) {
		const entry = held.get(row.phone) ?? {};
		entry[row.kind] = { at: row.version_at, device: row.device_id };
		held.set(row.phone, entry);
	}
	const { writes, ack } = planBatch(batch, contacts, refused, held);
	const final = finalWrites(writes);
	const now = Date.now();
	if (final.length > 0) {
		let seq = (yield* step(tx.takeSeqs(final.length))) - final.length;
		const upserts: ContactRow[] = [];
		const tombstones: TombstoneRow[] = [];
		for (const write of final) {
			seq++;
			const { at: version_at, device: device_id } = write.version;
			if (write.kind === 'upsert') {
				const { contact } = write;
				upserts.push({
					phone: contact.phone,
					data: JSON.stringify(contact),
					version_at,
					device_id,
					seq
				});
			} else tombstones.push({ phone: write.phone, version_at, device_id, seq });
		}
		if (upserts.length > 0) {
			yield* step(tx.upsertContacts(upserts, batch.importId, now));
			yield* step(tx.deleteTombstones(upserts.map((row) => row.phone)));
		}
		if (tombstones.length > 0) {
			yield* step(tx.deleteContacts(tombstones.map((row) => row.phone)));
			yield* step(tx.upsertTombstones(tombstones));
		}
	}
	yield* step(tx.saveReplay(key, { hash, status: 200, body: JSON.stringify(ack) }, now));
	return { status: 200, body: ack, replayed: false };
}

/** The feed entry for a row. */
function changeOf(row: ChangeRow): Change {
	const { seq, phone, version_at: at, device_id: deviceId } = row;
	return row.data === null
		? { seq, op: 'delete', phone, at, deviceId }
		: { seq, op: 'upsert', phone, at, deviceId, contact: JSON.parse(row.data) as SyncContact };
}

/** A change feed page (the `Store.listChanges` contract), read in one snapshot. */
export function* listChangesSteps(
	tx: FeedPrimitives,
	since: number,
	limit: number,
	count: boolean
): Steps<{ changes: Change[]; more: boolean; remaining?: number }> {
	// One row past the page says whether more follow.
	const rows = yield* step(tx.readChangesAfter(since, limit + 1));
	const more = rows.length > limit;
	if (more) rows.pop();
	const changes = rows.map(changeOf);
	if (!count) return { changes, more };
	const last = rows.length > 0 ? rows[rows.length - 1].seq : since;
	return { changes, more, remaining: yield* step(tx.countChangesAfter(last)) };
}

/** The `Store` over one database's primitives. */
export function createStore(db: StorePrimitives): Store {
	return {
		applyBatch: (key, hash, batch, contacts, refused) =>
			db.inBatchTransaction((tx) => applyBatchSteps(tx, key, hash, batch, contacts, refused)),
		putField: (field) => db.upsertField(field, Date.now()),
		listFields: () => db.listFields(),
		stats: () => db.counts(),
		listContacts: async (limit, after) =>
			(await db.pageContacts(limit, after)).map((data) => JSON.parse(data) as unknown),
		listChanges: (since, limit, count = false) =>
			db.inReadSnapshot((tx) => listChangesSteps(tx, since, limit, count)),
		close: () => db.close()
	};
}
