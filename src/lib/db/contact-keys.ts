/**
 * Which contact keys (E.164 phones) exist, known without asking IndexedDB row by row.
 *
 * An import batch must know which of its phones already exist (to merge or skip them). Asking
 * with `bulkGet` costs ~65 ms per 2,000 phones in Chromium, about a sixth of the import, and
 * almost always answers "none". Instead a run loads every existing key once into a `PhoneTable`
 * and only fetches the phones found there. That is exact as long as nothing else adds a key
 * while the run goes on; its own rows cannot collide (in-file dedupe). So every writer that may
 * add a key — an import batch that creates contacts, a contact edit that changes a phone — bumps
 * an epoch in the same transaction, and a run that finds the epoch moved by someone else stops
 * trusting its table and fetches every phone again.
 */
import { PhoneTable } from '$lib/domain/phone-table';
import type { CallaroDb } from './database';

const EPOCH_KEY = 'contactKeysEpoch';
/**
 * The same rule for tombstones: every writer that adds one (a delete of any kind, through
 * contact-writes.ts) bumps this epoch in its transaction, so a pull holding a snapshot of the
 * tombstone keys knows when it may no longer trust it.
 */
const TOMBSTONE_EPOCH_KEY = 'tombstoneKeysEpoch';
const PAGE = 50_000;

async function readEpoch(db: CallaroDb, key: string): Promise<number> {
	const value = (await db.settings.get(key))?.value;
	return typeof value === 'number' ? value : 0;
}

async function bumpEpoch(db: CallaroDb, key: string): Promise<number> {
	const next = (await readEpoch(db, key)) + 1;
	await db.settings.put({ key, value: next });
	return next;
}

/** The key epoch (call inside a transaction that includes `settings`). */
export function readKeyEpoch(db: CallaroDb): Promise<number> {
	return readEpoch(db, EPOCH_KEY);
}

/** Bumps the epoch; returns the new value (call inside the transaction that adds the keys). */
export function bumpKeyEpoch(db: CallaroDb): Promise<number> {
	return bumpEpoch(db, EPOCH_KEY);
}

/** The tombstone epoch (call inside a transaction that includes `settings`). */
export function readTombstoneEpoch(db: CallaroDb): Promise<number> {
	return readEpoch(db, TOMBSTONE_EPOCH_KEY);
}

/** Bumps the tombstone epoch (call inside the transaction that adds tombstones). */
export function bumpTombstoneEpoch(db: CallaroDb): Promise<number> {
	return bumpEpoch(db, TOMBSTONE_EPOCH_KEY);
}

export interface KeySnapshot {
	/** The epoch the table is valid for; the holder's own bumps advance it. */
	epoch: number;
	phones: PhoneTable;
}

/**
 * Every existing contact key, read in pages of 50,000 keys (no values). Returns null when a key
 * is not a plain E.164 number (then the caller asks IndexedDB instead).
 */
export function snapshotKeys(db: CallaroDb): Promise<KeySnapshot | null> {
	return snapshotTable(db, db.contacts, readKeyEpoch);
}

/** Every tombstone's key, with the tombstone epoch; null as for snapshotKeys. */
export function snapshotTombstoneKeys(db: CallaroDb): Promise<KeySnapshot | null> {
	return snapshotTable(db, db.tombstones, readTombstoneEpoch);
}

async function snapshotTable(
	db: CallaroDb,
	table: CallaroDb['contacts'] | CallaroDb['tombstones'],
	readEpochOf: (db: CallaroDb) => Promise<number>
): Promise<KeySnapshot | null> {
	// The epoch is read first: a key added after this read also moves the epoch, so the holder
	// notices at its next batch; a key added before it is committed and found by the scan.
	const epoch = await readEpochOf(db);
	const phones = new PhoneTable(1024);
	let after: string | undefined;
	try {
		for (;;) {
			const keys = (await (
				after === undefined ? table.orderBy(':id') : table.where(':id').above(after)
			)
				.limit(PAGE)
				.primaryKeys()) as string[];
			if (keys.length === 0) break;
			for (const key of keys) phones.setIfAbsent(key, 0);
			after = keys[keys.length - 1];
		}
	} catch {
		// Safe: with no snapshot the caller looks up each batch's phones by key instead.
		return null;
	}
	return { epoch, phones };
}
