/**
 * `Undo import`: deletes the contacts a job created and puts back the fields it changed on
 * existing contacts (from the job's undo log). Works in pages of small transactions so that a
 * million contacts never sit in memory; every step is idempotent, so an interrupted undo is
 * finished by running it again.
 */
import Dexie from 'dexie';
import { revertContact } from '$lib/domain/contact';
import type { CallaroDb } from '$lib/db/database';
import { isFinished } from './job-state';

const PAGE = 5000;

export interface UndoPlan {
	/** Contacts the job created that still exist. */
	created: number;
	/** Existing contacts whose fields the job changed. */
	restored: number;
}

/** What an undo would change, for the confirmation. */
export async function planUndo(db: CallaroDb, jobId: string): Promise<UndoPlan> {
	const created = await db.contacts.filter((c) => c.createdByJob === jobId).count();
	const restored = await db.undoLog
		.where('[jobId+phone]')
		.between([jobId, Dexie.minKey], [jobId, Dexie.maxKey])
		.count();
	return { created, restored };
}

/** Undoes a finished job. Throws with a message for people when the job cannot be undone. */
export async function undoJob(
	db: CallaroDb,
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
	let after: string | undefined;
	for (;;) {
		const page = await (
			after === undefined ? db.contacts.orderBy(':id') : db.contacts.where(':id').above(after)
		)
			.limit(PAGE)
			.toArray();
		if (page.length === 0) break;
		after = page[page.length - 1].phone;
		const mine = page.filter((c) => c.createdByJob === jobId).map((c) => c.phone);
		if (mine.length > 0) {
			await db.contacts.bulkDelete(mine);
			deleted += mine.length;
		}
	}

	let restored = 0;
	const range = () =>
		db.undoLog.where('[jobId+phone]').between([jobId, Dexie.minKey], [jobId, Dexie.maxKey]);
	for (let offset = 0; ; offset += PAGE) {
		const records = await range().offset(offset).limit(PAGE).toArray();
		if (records.length === 0) break;
		await db.transaction('rw', db.contacts, async () => {
			const current = await db.contacts.bulkGet(records.map((r) => r.phone));
			const puts = [];
			for (let i = 0; i < records.length; i++) {
				const c = current[i];
				if (c) puts.push(revertContact(c, records[i].before, records[i].after));
			}
			await db.contacts.bulkPut(puts);
			restored += puts.length;
		});
	}
	await db.jobs.update(jobId, {
		undo: { at: Date.now(), deleted, restored },
		updatedAt: Date.now()
	});
	return { deleted, restored };
}
