/**
 * What the backend's horizon (protocol/sync.ts, `Horizon`: how far back its history of deletes
 * reaches) means for this device's storage:
 * - A resend (`resync`, queued by `restartFeed` after the cursor fell behind the horizon) whose
 *   contact the backend refused as BEYOND_HORIZON holds a contact the backend has nothing for
 *   and that is older than its history of deletes: it was most likely deleted elsewhere while
 *   this device was away, and its tombstone is gone. The device deletes it here, so a deleted
 *   contact does not stay (and is not sent back) on a device that comes back late.
 * - Tombstones older than the horizon whose delete has been sent are no longer needed: every
 *   write of that phone the backend can still send is newer than them (the backend holds the
 *   delete or something newer), so they are removed, a chunk per transaction.
 */
import Dexie from 'dexie';
import type { Contact } from '$lib/domain/contact';
import { BEYOND_HORIZON, type RefusedContact } from '$lib/protocol/sync';
import type { CallaroDb, OutboxRecord } from './database';
import { contactTables, writeContactChange } from './contact-writes';
import { noteSyncResult, refusedPhonesBesides, unsentRecords } from './outbox-repo';

/** The phones an unsent record (not a resend) carries: changes the backend has never had. */
function unsentPhones(records: readonly OutboxRecord[]): Set<string> {
	const phones = new Set<string>();
	for (const r of records) if (!r.resync) for (const phone of r.phones) phones.add(phone);
	return phones;
}

/**
 * Records the answer to part `partsDone - 1` of resend record `seq` (job `jobId`), in one
 * transaction: each contact refused as BEYOND_HORIZON is deleted here (no tombstone, and nothing
 * queued: the backend already has none of it) when `unchanged` says it is still as that part sent
 * it, and this device does not hold it as a change the backend never had (listed refused for an
 * import or edit, or in an unsent record: the person's own change, kept and shown refused); the
 * other refusals are noted as any part's; and the record's progress is saved. Returns the phones
 * deleted.
 */
export function settleResyncPart(
	db: CallaroDb,
	record: { seq: number; jobId: string; partsDone: number },
	refused: readonly RefusedContact[],
	acceptedPhones: () => string[],
	unchanged: (contact: Contact) => boolean
): Promise<string[]> {
	return db.transaction('rw', contactTables(db), async () => {
		const beyond = refused.filter((r) => r.code === BEYOND_HORIZON);
		const kept = new Set([
			...(await refusedPhonesBesides(db, record.jobId)),
			...unsentPhones(await unsentRecords(db))
		]);
		const held = await db.contacts.bulkGet(beyond.map((r) => r.phone));
		const deletes = held
			.filter((c): c is Contact => c !== undefined && !kept.has(c.phone) && unchanged(c))
			.map((c) => c.phone);
		const gone = new Set(deletes);
		if (deletes.length > 0)
			// No tombstone (`tombstones: []`): the backend holds none for these phones, and every
			// write of them it can send is newer than this copy. The clock is left as it is (`at`
			// 0: a pulled-style change, which moves it only forward).
			await writeContactChange(db, { puts: [], deletes, tombstones: [], newKeys: false, at: 0 });
		await noteSyncResult(
			db,
			record.jobId,
			refused.filter((r) => !gone.has(r.phone)),
			acceptedPhones
		);
		await db.outbox.update(record.seq, { partsDone: record.partsDone });
		return deletes;
	});
}

/** The settings key of the horizon this device last resent everything for. */
const RESENT_KEY = 'horizonResent';
/** The settings keys of the horizon's bookkeeping: a fresh start forgets them. */
export const HORIZON_KEYS: readonly string[] = [RESENT_KEY];

/**
 * Whether a pull from 0 of `url`, whose feed's horizon is at `seq`, must be followed by a resend
 * (`restartFeed`): this device has sent changes before (so it holds contacts a backend had, which
 * a pull from 0 does not say were deleted once their tombstones are gone), has not resent for this
 * horizon yet, and no resend is waiting already.
 */
export async function needsResendFromStart(
	db: CallaroDb,
	url: string,
	seq: number
): Promise<boolean> {
	return db.transaction('r', db.outbox, db.settings, async () => {
		const noted = (await db.settings.get(RESENT_KEY))?.value as
			{ url: string; seq: number } | undefined;
		if (noted?.url === url && noted.seq >= seq) return false;
		const sent = await db.outbox
			.where('[status+seq]')
			.between(['synced', Dexie.minKey], ['synced', Dexie.maxKey])
			.first();
		if (!sent) return false;
		return !(await unsentRecords(db)).some((r) => r.resync);
	});
}

/** Notes that everything was queued again for `url`'s horizon at `seq`. */
export async function noteResent(db: CallaroDb, url: string, seq: number): Promise<void> {
	await db.settings.put({ key: RESENT_KEY, value: { url, seq } });
}

/** Tombstones looked at per transaction by `compactTombstones`. */
const COMPACT_CHUNK = 500;

/**
 * Removes the tombstones whose version is older than `before` (the backend's horizon) and whose
 * delete is not waiting in the outbox (pending or failed, in a record's `deleted` or `deletes`),
 * `COMPACT_CHUNK` at a time, each chunk its own short transaction (the check of the outbox is in
 * it, so a delete queued meanwhile is seen). Returns how many were removed.
 */
export async function compactTombstones(db: CallaroDb, before: number): Promise<number> {
	if (before <= 0) return 0;
	let removed = 0;
	let after: string | undefined;
	for (;;) {
		const chunk = await db.transaction('rw', [db.tombstones, db.outbox], async () => {
			const page = await (
				after === undefined ? db.tombstones.orderBy(':id') : db.tombstones.where(':id').above(after)
			)
				.limit(COMPACT_CHUNK)
				.toArray();
			const old = page.filter((t) => t.at < before);
			if (old.length > 0) {
				const waiting = new Set<string>();
				for (const r of await unsentRecords(db)) {
					for (const phone of r.deleted ?? []) waiting.add(phone);
					for (const d of r.deletes ?? []) waiting.add(d.phone);
				}
				const gone = old.filter((t) => !waiting.has(t.phone)).map((t) => t.phone);
				if (gone.length > 0) await db.tombstones.bulkDelete(gone);
				removed += gone.length;
			}
			return page;
		});
		if (chunk.length < COMPACT_CHUNK) return removed;
		after = chunk[chunk.length - 1].phone;
	}
}
