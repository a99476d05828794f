/**
 * An import batch's commit: its contacts (through the one contact write, with their index chunk,
 * key epoch, clock and outbox record), its row reports, its undo entries, the job's counts and
 * its checkpoint, in ONE transaction, so that a reload, crash or closed tab resumes from the last
 * checkpoint with no row lost and none imported twice.
 *
 * Invariant: the job's status is read inside the transaction; a pause or cancel written by the
 * page stops the run at that boundary and the batch is not written.
 */
import type { Contact } from '$lib/domain/contact';
import { addCounts, type ImportCounts } from '$lib/domain/counts';
import { batchPhones, type ClassifiedRow, type ImportBatchPlan } from '$lib/domain/import-batch';
import type { JobStatus } from '$lib/domain/import-job';
import type { CallaroDb } from './database';
import { readKeyEpoch, type KeySnapshot } from './contact-keys';
import { changeTime, contactTables, writeContactChange } from './contact-writes';

/** What a run carries from batch to batch. */
export interface BatchRun {
	startedAt: number;
	startProcessed: number;
	/** Keys that existed when the run started; null once another writer may have added some. */
	known: KeySnapshot | null;
	/** The totals of the last committed batch. */
	committed?: { counts: ImportCounts; rowsPerSecond: number };
}

/**
 * Commits one batch of job `jobId` up to file row `lastRow`; `plan` turns the batch's existing
 * contacts and its time into the batch's changes. Returns the job's status as read inside the
 * transaction (`running` when the batch was written).
 */
export async function commitImportBatch(
	db: CallaroDb,
	jobId: string,
	batch: readonly ClassifiedRow[],
	lastRow: number,
	run: BatchRun,
	now: () => number,
	plan: (existing: ReadonlyMap<string, Contact>, at: number) => ImportBatchPlan
): Promise<JobStatus> {
	let known: KeySnapshot | null = null;
	let bumped: number | undefined;
	let committed: BatchRun['committed'];
	const scope = [...contactTables(db), db.jobs, db.rowErrors, db.undoLog];
	const status = await db.transaction('rw', scope, async () => {
		const [current, epoch, at] = await Promise.all([
			db.jobs.get(jobId),
			readKeyEpoch(db),
			changeTime(db, now())
		]);
		if (!current || current.status !== 'running') return current?.status ?? 'failed';
		// Someone else added keys since the snapshot: ask IndexedDB for every phone from now on.
		if (run.known && run.known.epoch !== epoch) run.known = null;
		known = run.known;
		const phones = batchPhones(batch);
		const table = known?.phones;
		const lookup = table ? phones.filter((p) => table.has(p)) : phones;
		const found = lookup.length > 0 ? await db.contacts.bulkGet(lookup) : [];
		const existing = new Map<string, Contact>();
		found.forEach((c) => c && existing.set(c.phone, c));
		const p = plan(existing, at);
		const total = addCounts(current.counts, p.counts);
		const seconds = Math.max(0.001, (at - run.startedAt) / 1000);
		const rowsPerSecond = Math.round((total.processed - run.startProcessed) / seconds);
		await Promise.all([
			// A batch that writes no contact (every row refused) changes no contact at all.
			p.writes.length > 0
				? writeContactChange(db, {
						puts: p.writes,
						kinds: p.kinds,
						deletes: [],
						newKeys: p.counts.created > 0,
						at,
						sync: { id: `${jobId}:${lastRow}`, jobId }
					}).then((e) => (bumped = e.keys))
				: undefined,
			p.errors.length > 0 ? db.rowErrors.bulkAdd(p.errors) : undefined,
			p.undo.length > 0 ? db.undoLog.bulkPut(p.undo) : undefined,
			// `current` was read in this transaction, so writing it back whole loses nothing.
			db.jobs.put({
				...current,
				counts: total,
				checkpointRow: lastRow,
				updatedAt: at,
				rowsPerSecond
			})
		]);
		committed = { counts: total, rowsPerSecond };
		return 'running' as const;
	});
	// Only once the batch committed: an aborted batch leaves the snapshot's epoch as it was (and
	// the next batch then distrusts it, which is slower but still exact).
	run.committed = committed;
	const snapshot = known as KeySnapshot | null;
	if (bumped !== undefined && snapshot && run.known === snapshot) snapshot.epoch = bumped;
	return status;
}
