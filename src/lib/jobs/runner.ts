/**
 * The import job runner. Runs in the worker. Streams the job's stored file through the
 * row pipeline and commits each batch — contacts, their index chunk, error rows, counts, the
 * checkpoint and the outbox record — in ONE Dexie transaction, so that a reload, crash or closed tab resumes from the last checkpoint with no
 * row lost and none imported twice.
 *
 * Invariants:
 * - `checkpointRow` is the last file row whose outcome is committed; rows after it are untouched.
 * - The status is read inside each batch transaction: a pause or cancel written by the page stops
 *   the run at that boundary and the batch is not written.
 * - On resume, rows up to the checkpoint are re-read and re-validated only to rebuild the in-file
 *   dedupe map (nothing is written for them), so duplicate detection stays exact across restarts.
 */
import { readDoNotCall } from '$lib/db/do-not-call-repo';
import type { CallaroDb } from '$lib/db/database';
import type { JobStatus } from '$lib/domain/import-job';
import type { ImportCounts } from '$lib/domain/counts';
import { getJob, startRunning, transitionJob } from '$lib/db/jobs-repo';
import { openJobFile } from '$lib/db/file-store';
import { readRecords } from '$lib/formats/registry';
import { isRunnable } from '$lib/domain/job-state';
import { RowPipeline, type ClassifiedRow } from './row-pipeline';
import { Patch } from '$lib/domain/fixes';
import { planImportBatch } from '$lib/domain/import-batch';
import { snapshotKeys } from '$lib/db/contact-keys';
import { commitImportBatch, type BatchRun } from '$lib/db/import-commit';
import { stopOnError } from './run-stop';

export interface RunnerOptions {
	batchSize?: number;
	now?: () => number;
	/** Called after each committed batch (tests use it to interleave a pause or cancel). */
	afterBatch?: (processed: number) => void | Promise<void>;
	/** Liveness for the watchdog: called after every slice read and every batch committed. */
	onBeat?: () => void;
	/** The job's committed totals after each batch (for the live progress channel). */
	onProgress?: (counts: ImportCounts, rowsPerSecond: number) => void;
}

export const DEFAULT_BATCH_SIZE = 2000;

/**
 * Runs (or resumes) a job until it completes or is paused or cancelled. It fails the job only when
 * the job's stored file is gone; an error while running pauses it (see `stopOnError`).
 * @returns the job's status when the run stops (`failed` too when the job itself was deleted)
 */
export async function runJob(
	db: CallaroDb,
	jobId: string,
	options: RunnerOptions = {}
): Promise<JobStatus | undefined> {
	const batchSize = options.batchSize ?? DEFAULT_BATCH_SIZE;
	const now = options.now ?? Date.now;
	const job = await getJob(db, jobId);
	if (!job || !isRunnable(job.status)) return job?.status;
	const file = await openJobFile(db, jobId);
	if (!file) {
		await transitionJob(
			db,
			jobId,
			'failed',
			'The file of this import is no longer stored in this browser, so it cannot continue.'
		);
		return 'failed';
	}
	await startRunning(db, job, now());

	const pipeline = new RowPipeline(
		job.headers,
		job.mapping,
		job.options.defaultCountry,
		job.parse.headerRow,
		job.parse.columns,
		new Patch(job.fixes ?? []),
		{
			// A job stored before the option existed has none: it imports as it would have (no fill).
			fillTimezones: job.options.fillTimezones === true,
			defaultOwner: job.options.defaultOwner,
			// Read once per run: a list changed meanwhile applies from the next run (a resume).
			skipListed: job.options.skipDoNotCall ? (await readDoNotCall(db)).set : undefined
		}
	);
	const run: BatchRun = {
		startedAt: now(),
		startProcessed: job.counts.processed,
		known: await snapshotKeys(db)
	};
	const commit = (rows: ClassifiedRow[], last: number) =>
		commitImportBatch(db, jobId, rows, last, run, now, (existing, at) =>
			planImportBatch(rows, existing, {
				jobId,
				existingPolicy: job.options.existingPolicy,
				at,
				phoneColumn: pipeline.phoneColumn,
				phoneCell: (cells) => pipeline.phoneCell(cells)
			})
		);
	let batch: ClassifiedRow[] = [];
	let lastRow = job.checkpointRow;
	// Pipelining: batch n commits while batch n+1 is read and validated. At most one commit is in
	// flight, and it is awaited before the next one starts, so batches land in file order and memory
	// holds two batches at most (backpressure).
	let inflight: Promise<JobStatus> | null = null;
	const settle = async (): Promise<JobStatus> => {
		if (!inflight) return 'running';
		const status = await inflight;
		inflight = null;
		if (status === 'running') {
			options.onBeat?.();
			if (run.committed) options.onProgress?.(run.committed.counts, run.committed.rowsPerSecond);
			await options.afterBatch?.(lastCommitted);
		}
		return status;
	};
	let lastCommitted = lastRow;

	try {
		for await (const chunk of readRecords(file, job.parse)) {
			options.onBeat?.();
			for (const record of chunk.records) {
				if (record.row <= job.checkpointRow) {
					// Replay: rebuild the dedupe map only.
					if (pipeline.isDataRow(record)) pipeline.classify(record);
					continue;
				}
				lastRow = record.row;
				if (!pipeline.isDataRow(record)) continue;
				batch.push(pipeline.classify(record));
				if (batch.length >= batchSize) {
					const status = await settle();
					if (status !== 'running') return status;
					lastCommitted = lastRow;
					inflight = commit(batch, lastRow);
					batch = [];
				}
			}
		}
		let status = await settle();
		if (status !== 'running') return status;
		status = await commit(batch, lastRow);
		if (status !== 'running') return status;
		if (run.committed) options.onProgress?.(run.committed.counts, run.committed.rowsPerSecond);
		return await transitionJob(db, jobId, 'completed');
	} catch (error) {
		// Wait for the commit in flight to settle before recording the stop; its own failure, if
		// any, is the same story as `error` (the batch it held is redone on resume).
		await (inflight as Promise<JobStatus> | null)?.catch(() => undefined);
		return stopOnError(db, jobId, error);
	}
}
