/**
 * The one way contacts change on this device. Import batches, edits, deletes, undo pages and
 * pulled pages each plan their change (pure: `planImportBatch`, `planPull`, …) and hand it here,
 * inside their own transaction, which writes every part of it:
 * - the contacts put and the contacts deleted;
 * - a tombstone for each delete (so another device's older write of it, pulled later, does not
 *   bring it back), and the tombstones a winning put makes moot cleared;
 * - the index chunk of the change (contact-index-repo.ts: search, segments and the list see it
 *   when the transaction commits);
 * - the key epoch bumped when a phone was added, and the tombstone epoch when a tombstone was
 *   (contact-keys.ts: a running import or pull then stops trusting its snapshot of keys);
 * - the device clock moved to the change's time (outbox-repo.ts: a Lamport clock, so the
 *   device's next change is newer than everything it has written or seen);
 * - the outbox record of the change, for every change made here (a pulled change queues nothing,
 *   so it is never pushed back).
 *
 * Invariant: every transaction that writes the `contacts` table includes `CONTACT_TABLES` in its
 * scope and writes through `writeContactChange`, so no writer can leave one of these out.
 */
import type { Contact } from '$lib/domain/contact';
import type { PhoneKind } from '$lib/domain/phone-kind';
import type { Tombstone } from '$lib/domain/pull-merge';
import type { CallaroDb } from './database';
import { appendIndexChunk } from './contact-index-repo';
import { bumpKeyEpoch, bumpTombstoneEpoch } from './contact-keys';
import { queueChange, readClock, writeClock } from './outbox-repo';

/** The tables of a contact change's transaction (add the caller's own tables to them). */
export function contactTables(db: CallaroDb) {
	return [db.contacts, db.contactIndex, db.tombstones, db.settings, db.outbox];
}

export interface ContactChange {
	/** Contacts to store, as written (their `updatedAt` is the change's time or a pulled one). */
	puts: readonly Contact[];
	/** Each put's phone kind, where the writer has them (an import's validation). */
	kinds?: readonly PhoneKind[];
	/** Phones whose contact goes. */
	deletes: readonly string[];
	/**
	 * The deletes' tombstones when they carry versions of their own (pulled deletes); otherwise
	 * each delete leaves one at `at`.
	 */
	tombstones?: readonly Tombstone[];
	/** Phones whose tombstone a put makes moot. */
	clearTombstones?: readonly string[];
	/** Whether a put adds a phone that had no contact (a new key). */
	newKeys: boolean;
	/**
	 * The change's time. A change made here takes it from `changeTime` (so it is later than the
	 * device clock, which moves to it); a pulled change's is its latest version, and the clock
	 * moves to it only when it is later.
	 */
	at: number;
	/** The outbox record to push, for a change made on this device; absent for a pulled one. */
	sync?: { id: string; jobId: string };
}

/**
 * The device's time for a change made now: later than every change it has written or seen, and
 * than every version the change replaces, so the change wins on every device (call inside the
 * change's transaction).
 */
export async function changeTime(
	db: CallaroDb,
	now: number,
	replaced: readonly ({ updatedAt: number } | undefined)[] = []
): Promise<number> {
	let at = Math.max(now, (await readClock(db)) + 1);
	for (const c of replaced) if (c) at = Math.max(at, c.updatedAt + 1);
	return at;
}

/** The epochs a change bumped (contact-keys.ts), for a writer that holds snapshots of keys. */
export interface BumpedEpochs {
	keys?: number;
	tombstones?: number;
}

/**
 * Writes `change` (call inside a transaction whose scope includes `contactTables(db)`).
 * @returns the epochs it bumped
 */
export async function writeContactChange(
	db: CallaroDb,
	change: ContactChange
): Promise<BumpedEpochs> {
	const { puts, deletes } = change;
	const bumped: BumpedEpochs = {};
	const tombstones = change.tombstones ?? deletes.map((phone) => ({ phone, at: change.at }));
	// Requests of one transaction run in order in IndexedDB: issued together, they save the
	// round trips of awaiting each in turn.
	const requests: Promise<unknown>[] = [
		puts.length > 0 ? db.contacts.bulkPut([...puts]) : Promise.resolve(),
		deletes.length > 0 ? db.contacts.bulkDelete([...deletes]) : Promise.resolve(),
		tombstones.length > 0
			? db.tombstones
					.bulkPut([...tombstones])
					.then(() => bumpTombstoneEpoch(db))
					.then((e) => (bumped.tombstones = e))
			: Promise.resolve(),
		change.clearTombstones?.length
			? db.tombstones.bulkDelete([...change.clearTombstones])
			: Promise.resolve(),
		appendIndexChunk(db, puts, deletes, change.kinds),
		change.newKeys ? bumpKeyEpoch(db).then((e) => (bumped.keys = e)) : Promise.resolve(),
		change.sync
			? writeClock(db, change.at)
			: readClock(db).then((clock) => (change.at > clock ? writeClock(db, change.at) : undefined))
	];
	if (change.sync && (puts.length > 0 || deletes.length > 0))
		requests.push(
			queueChange(db, {
				id: change.sync.id,
				jobId: change.sync.jobId,
				phones: puts.map((c) => c.phone),
				deleted: [...deletes],
				at: change.at
			})
		);
	await Promise.all(requests);
	return bumped;
}
