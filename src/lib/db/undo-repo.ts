/**
 * The storage side of `Undo import` (jobs/undo.ts): the job's undo log, and its pages of
 * changes, each written through the one contact write in its own small transaction. Every page
 * is idempotent: it re-reads what still holds inside its transaction, so an interrupted undo is
 * finished by running it again, and a page that committed is never redone.
 */
import Dexie from 'dexie';
import { revertContact, type Contact } from '$lib/domain/contact';
import type { CallaroDb, UndoRecord } from './database';
import { changeTime, contactTables, writeContactChange } from './contact-writes';

/** How many contacts the job changed that its undo log can restore. */
export function countUndoRecords(db: CallaroDb, jobId: string): Promise<number> {
	return undoRange(db, jobId).count();
}

/** One page of the job's undo log, in phone order. */
export function undoRecords(
	db: CallaroDb,
	jobId: string,
	offset: number,
	limit: number
): Promise<UndoRecord[]> {
	return undoRange(db, jobId).offset(offset).limit(limit).toArray();
}

function undoRange(db: CallaroDb, jobId: string) {
	return db.undoLog.where('[jobId+phone]').between([jobId, Dexie.minKey], [jobId, Dexie.maxKey]);
}

/**
 * Deletes those of `phones` that still exist and are the job's own creation; returns how many.
 * A contact whose version is another device's (pulled since: `updatedBy`) stays: that device
 * wrote it after this import, and a delete here would remove it on every device.
 */
/** Whether undo deletes this contact: the job created it and no other device rewrote it since. */
const deletable =
	(jobId: string) =>
	(c: Contact | undefined): c is Contact =>
		!!c && c.createdByJob === jobId && c.updatedBy === undefined;

/**
 * How many of `phones` undo would delete (the rule of `deleteCreatedPage`), read in pages so
 * that a large import's contacts never sit in memory at once.
 */
export async function countDeletable(
	db: CallaroDb,
	jobId: string,
	phones: string[],
	pageSize = 5000
): Promise<number> {
	let n = 0;
	for (let start = 0; start < phones.length; start += pageSize) {
		const page = await db.contacts.bulkGet(phones.slice(start, start + pageSize));
		n += page.filter(deletable(jobId)).length;
	}
	return n;
}

export async function deleteCreatedPage(
	db: CallaroDb,
	jobId: string,
	phones: string[],
	syncId: (at: number) => string
): Promise<number> {
	return db.transaction('rw', contactTables(db), async () => {
		const page = (await db.contacts.bulkGet(phones)).filter(deletable(jobId));
		if (page.length === 0) return 0;
		// The delete is newer than every version it removes.
		const at = await changeTime(db, Date.now(), page);
		await writeUndoPage(db, jobId, [], page, at, syncId);
		return page.length;
	});
}

/** Puts back the fields the job changed on the contacts of `records`; returns how many. */
export async function restorePage(
	db: CallaroDb,
	jobId: string,
	records: UndoRecord[],
	syncId: (at: number) => string
): Promise<number> {
	return db.transaction('rw', contactTables(db), async () => {
		const current = await db.contacts.bulkGet(records.map((r) => r.phone));
		// A restore is a new write: it must win over the import's version on every device.
		const at = await changeTime(db, Date.now(), current);
		const puts: Contact[] = [];
		for (let i = 0; i < records.length; i++) {
			const c = current[i];
			if (!c) continue;
			// This device's write now (a pulled contact's writer is no longer its author).
			const { updatedBy: _, ...restored } = revertContact(c, records[i].before, records[i].after);
			puts.push({ ...restored, updatedAt: at });
		}
		if (puts.length === 0) return 0;
		await writeUndoPage(db, jobId, puts, [], at, syncId);
		return puts.length;
	});
}

/** An undo page's change: it adds no phone, and is queued for sync under the undo's own id. */
function writeUndoPage(
	db: CallaroDb,
	jobId: string,
	puts: Contact[],
	deleted: Contact[],
	at: number,
	syncId: (at: number) => string
) {
	return writeContactChange(db, {
		puts,
		deletes: deleted.map((c) => c.phone),
		newKeys: false,
		at,
		sync: { id: syncId(at), jobId }
	});
}

/**
 * Records that the job was undone. Two undos of one job can run at once (two tabs): the later
 * one finds the contacts already deleted and counts 0, so a record already there is kept, and
 * each count is the larger of the two (every step counts what it found to do, and restoring
 * is idempotent).
 */
export async function markUndone(
	db: CallaroDb,
	jobId: string,
	undo: { at: number; deleted: number; restored: number }
): Promise<void> {
	await db.transaction('rw', db.jobs, async () => {
		const earlier = (await db.jobs.get(jobId))?.undo;
		const merged = earlier
			? {
					at: earlier.at,
					deleted: Math.max(earlier.deleted, undo.deleted),
					restored: Math.max(earlier.restored, undo.restored)
				}
			: undo;
		await db.jobs.update(jobId, { undo: merged, updatedAt: Math.max(undo.at, merged.at) });
	});
}
