/**
 * `Undo import`: deletes the contacts a job created and puts back the fields it changed on
 * existing contacts (from the job's undo log). The contacts it created come from the index (the
 * caller passes them); work goes in pages of small transactions, each with its index chunk, and
 * every step is idempotent, so an interrupted undo is finished by running it again.
 */
import type { ContactIndex } from '$lib/domain/contact-index';
import type { CallaroDb } from '$lib/db/database';
import { getJob } from '$lib/db/jobs-repo';
import {
	countDeletable,
	countUndoRecords,
	deleteCreatedPage,
	markUndone,
	restorePage,
	undoRecords
} from '$lib/db/undo-repo';
import { isFinished } from '$lib/domain/job-state';

const PAGE = 5000;

export interface UndoPlan {
	/** Contacts the job created that undo will delete (not those another device rewrote since). */
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
	const created = await countDeletable(db, jobId, index.importPhones(jobId, true));
	const restored = await countUndoRecords(db, jobId);
	return { created, restored };
}

/** Undoes a finished job. Throws with a message for people when the job cannot be undone. */
export async function undoJob(
	db: CallaroDb,
	index: ContactIndex,
	jobId: string
): Promise<{ deleted: number; restored: number }> {
	const job = await getJob(db, jobId);
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
	const syncId = (at: number) => `undo:${jobId}:${page++}:${at}`;
	const created = index.importPhones(jobId, true).sort();
	for (let start = 0; start < created.length; start += PAGE)
		deleted += await deleteCreatedPage(db, jobId, created.slice(start, start + PAGE), syncId);

	let restored = 0;
	for (let offset = 0; ; offset += PAGE) {
		const records = await undoRecords(db, jobId, offset, PAGE);
		if (records.length === 0) break;
		restored += await restorePage(db, jobId, records, syncId);
	}
	await markUndone(db, jobId, { at: Date.now(), deleted, restored });
	return { deleted, restored };
}
