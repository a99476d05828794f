/**
 * `Undo import`: deletes the contacts a job created and puts back the fields it changed on
 * existing contacts (from the job's undo log). The contacts it created come from the index (the
 * caller passes them); work goes in pages of small transactions, each with its index chunk, and
 * every step is idempotent, so an interrupted undo is finished by running it again.
 */
import Dexie from 'dexie';
import { revertContact, type Contact } from '$lib/domain/contact';
import type { ContactIndex } from '$lib/domain/contact-index';
import { appendIndexChunk } from '$lib/db/contact-index-repo';
import { queueChange, tick } from '$lib/db/outbox-repo';
import type { CallaroDb } from '$lib/db/database';
import { isFinished } from '$lib/domain/job-state';

const PAGE = 5000;

export interface UndoPlan {
	/** Contacts the job created that still exist. */
	created: number;
	/** Existing contacts whose fields the job changed. */
	restored: number;
}

/** What an undo would change, for the confirmation. */
export async function planUndo(
	db: CallaroDb,
	index: ContactIndex,
	jobId: string
): Promise<UndoPlan> {
	const created = index.importPhones(jobId, true).length;
	const restored = await db.undoLog
		.where('[jobId+phone]')
		.between([jobId, Dexie.minKey], [jobId, Dexie.maxKey])
		.count();
	return { created, restored };
}

/** Undoes a finished job. Throws with a message for people when the job cannot be undone. */
export async function undoJob(
	db: CallaroDb,
	index: ContactIndex,
	jobId: string
): Promise<{ deleted: number; restored: number }> {
	const job = await db.jobs.get(jobId);
	if (!job) throw new Error('This import does not exist.');
	if (!isFinished(job.status))
		throw new Error(
			'Only a finished or cancelled import can be undone: pause and cancel it first.'
		);
	if (job.undo) throw new Error('This import was already undone.');

	let deleted = 0;
	let page = 0;
	// Each page's changes are queued for sync in the page's own transaction (a page that
	// committed is not redone if the undo runs again after a crash, so nothing is queued twice).
	const queue = (phones: string[], deletedPhones: string[], at: number) =>
		queueChange(db, {
			id: `undo:${jobId}:${page++}:${at}`,
			jobId,
			phones,
			deleted: deletedPhones,
			at
		});
	const created = index.importPhones(jobId, true).sort();
	for (let start = 0; start < created.length; start += PAGE) {
		const scope = [db.contacts, db.contactIndex, db.outbox, db.settings, db.tombstones];
		await db.transaction('rw', scope, async () => {
			// Checked again inside the transaction: only what still exists and is the job's goes.
			// A contact whose version is another device's (pulled since: `updatedBy`) stays: that
			// device wrote it after this import, and a delete here would remove it on every device.
			const page = (await db.contacts.bulkGet(created.slice(start, start + PAGE))).filter(
				(c): c is Contact => !!c && c.createdByJob === jobId && c.updatedBy === undefined
			);
			const mine = page.map((c) => c.phone);
			if (mine.length === 0) return;
			await db.contacts.bulkDelete(mine);
			await appendIndexChunk(db, [], mine);
			// The delete is newer than every version it removes.
			const latest = Math.max(...page.map((c) => c.updatedAt));
			const at = await tick(db, Math.max(Date.now(), latest + 1));
			// Tombstones, as for any delete: an older write of these pulled later stays out.
			await db.tombstones.bulkPut(mine.map((phone) => ({ phone, at })));
			await queue([], mine, at);
			deleted += mine.length;
		});
	}

	let restored = 0;
	const range = () =>
		db.undoLog.where('[jobId+phone]').between([jobId, Dexie.minKey], [jobId, Dexie.maxKey]);
	for (let offset = 0; ; offset += PAGE) {
		const records = await range().offset(offset).limit(PAGE).toArray();
		if (records.length === 0) break;
		await db.transaction('rw', [db.contacts, db.contactIndex, db.outbox, db.settings], async () => {
			const current = await db.contacts.bulkGet(records.map((r) => r.phone));
			// A restore is a new write: it must win over the import's version on every device.
			const latest = Math.max(0, ...current.map((c) => c?.updatedAt ?? 0));
			const now = await tick(db, Math.max(Date.now(), latest + 1));
			const puts = [];
			for (let i = 0; i < records.length; i++) {
				const c = current[i];
				if (c) {
					// This device's write now (a pulled contact's writer is no longer its author).
					const { updatedBy: _, ...restored } = revertContact(
						c,
						records[i].before,
						records[i].after
					);
					puts.push({ ...restored, updatedAt: now });
				}
			}
			await db.contacts.bulkPut(puts);
			await appendIndexChunk(db, puts);
			if (puts.length > 0)
				await queue(
					puts.map((c) => c.phone),
					[],
					now
				);
			restored += puts.length;
		});
	}
	await db.jobs.update(jobId, {
		undo: { at: Date.now(), deleted, restored },
		updatedAt: Date.now()
	});
	return { deleted, restored };
}
