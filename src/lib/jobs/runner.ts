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
import { mergeContact, newContact, type Contact } from '$lib/domain/contact';
import { addCounts, emptyCounts, type ImportCounts } from '$lib/domain/counts';
import { ISSUE_SEVERITY, type RowIssue } from '$lib/domain/row-rules';
import type { CallaroDb, UndoRecord } from '$lib/db/database';
import type { ImportJob, JobStatus, RowErrorRecord } from '$lib/domain/import-job';
import { transitionJob } from '$lib/db/jobs-repo';
import { openJobFile } from '$lib/db/file-store';
import { readRecords } from '$lib/io/blob-records';
import { isRunnable } from '$lib/domain/job-state';
import { RowPipeline, type ClassifiedRow } from './row-pipeline';
import { Patch } from '$lib/domain/fixes';
import { bumpKeyEpoch, readKeyEpoch, snapshotKeys, type KeySnapshot } from '$lib/db/contact-keys';
import { queueChange, readClock, writeClock } from '$lib/db/outbox-repo';
import { appendIndexChunk } from '$lib/db/contact-index-repo';
import { stopOnError } from './run-stop';
import type { PhoneKind } from '$lib/domain/phone-kind';

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
	const job = await db.jobs.get(jobId);
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
	if (job.status === 'queued') {
		await db.jobs.update(jobId, {
			status: 'running',
			startedAt: now(),
			updatedAt: now(),
			message: undefined
		});
	} else if (job.message) {
		await db.jobs.update(jobId, { message: undefined });
	}

	const pipeline = new RowPipeline(
		job.headers,
		job.mapping,
		job.options.defaultCountry,
		job.parse.headerRow,
		job.parse.columns,
		new Patch(job.fixes ?? []),
		// A job stored before the option existed has none: it imports as it would have (no fill).
		job.options.fillTimezones === true
	);
	const run: Run = {
		startedAt: now(),
		startProcessed: job.counts.processed,
		known: await snapshotKeys(db)
	};
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
					inflight = commitBatch(db, job, pipeline, batch, lastRow, run, now);
					batch = [];
				}
			}
		}
		let status = await settle();
		if (status !== 'running') return status;
		status = await commitBatch(db, job, pipeline, batch, lastRow, run, now);
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

interface Run {
	startedAt: number;
	startProcessed: number;
	/** Keys that existed when the run started; null once another writer may have added some. */
	known: KeySnapshot | null;
	/** The totals of the last committed batch. */
	committed?: { counts: ImportCounts; rowsPerSecond: number };
}

/** Commits one batch; returns the job's status as read inside the transaction. */
async function commitBatch(
	db: CallaroDb,
	job: ImportJob,
	pipeline: RowPipeline,
	batch: ClassifiedRow[],
	lastRow: number,
	run: Run,
	now: () => number
): Promise<JobStatus> {
	let known: KeySnapshot | null = null;
	let bumped: number | undefined;
	let committed: Run['committed'];
	const status = await db.transaction(
		'rw',
		[db.jobs, db.contacts, db.rowErrors, db.undoLog, db.outbox, db.settings, db.contactIndex],
		async () => {
			// Requests of one transaction run in order in IndexedDB: issuing them together saves the
			// round trips of awaiting each one in turn.
			const [current, epoch, clock] = await Promise.all([
				db.jobs.get(job.id),
				readKeyEpoch(db),
				readClock(db)
			]);
			if (!current || current.status !== 'running') return current?.status ?? 'failed';
			// Someone else added keys since the snapshot: ask IndexedDB for every phone from now on.
			if (run.known && run.known.epoch !== epoch) run.known = null;
			known = run.known;
			// The batch's time: later than every earlier change of this device (see readClock).
			const t = Math.max(now(), clock + 1);
			const counts = emptyCounts();
			const errors: RowErrorRecord[] = [];
			const record = (row: ClassifiedRow, { columnIndex: _, ...issue }: RowIssue) =>
				errors.push({
					jobId: job.id,
					row: row.row,
					severity: ISSUE_SEVERITY[issue.kind],
					cells: row.cells,
					...(row.fixed ? { fixed: row.fixed } : {}),
					...issue
				});

			const valid = batch.filter((r) => r.outcome.status === 'valid');
			const phones = valid.map((r) => (r.outcome.status === 'valid' ? r.outcome.phone : ''));
			const table = known?.phones;
			const lookup = table ? phones.filter((p) => table.has(p)) : phones;
			const found = lookup.length > 0 ? await db.contacts.bulkGet(lookup) : [];
			const existing = new Map<string, Contact>();
			found.forEach((c) => c && existing.set(c.phone, c));
			const writes: Contact[] = [];
			// Each write's phone kind, from its row's validation: the index chunk stores them.
			const kinds: PhoneKind[] = [];
			const undo: UndoRecord[] = [];

			for (const row of batch) {
				counts.processed++;
				const o = row.outcome;
				if (o.status === 'failed') {
					counts.failed++;
					record(row, o.issue);
					continue;
				}
				if (o.status === 'skipped') {
					bump(counts, o.issue.kind);
					record(row, o.issue);
					continue;
				}
				const before = existing.get(o.phone);
				if (before && job.options.existingPolicy === 'skip') {
					counts.skippedExisting++;
					record(row, {
						kind: 'existing_skipped',
						column: pipeline.phoneColumn,
						field: 'phone',
						value: pipeline.phoneCell(row.cells),
						reason: 'A contact with this phone already exists; existing contacts are skipped'
					});
					continue;
				}
				if (o.warnings.length > 0) {
					counts.warnings++;
					for (const w of o.warnings) record(row, w);
				}
				if (before) {
					const { contact, changed } = mergeContact(before, o.fields, t, job.id);
					writes.push(contact);
					kinds.push(o.phoneKind);
					counts.updated++;
					if (changed) undo.push({ jobId: job.id, phone: o.phone, before, after: contact });
				} else {
					writes.push(newContact(o.phone, o.fields, t, job.id));
					kinds.push(o.phoneKind);
					counts.created++;
				}
			}
			const total = addCounts(current.counts, counts);
			const seconds = Math.max(0.001, (t - run.startedAt) / 1000);
			const rowsPerSecond = Math.round((total.processed - run.startProcessed) / seconds);
			const requests: Promise<unknown>[] = [];
			if (writes.length > 0) {
				requests.push(db.contacts.bulkPut(writes));
				// The batch's index chunk: search, segments and the list see it when it commits.
				requests.push(appendIndexChunk(db, writes, [], kinds));
			}
			if (counts.created > 0) requests.push(bumpKeyEpoch(db).then((e) => (bumped = e)));
			if (errors.length > 0) requests.push(db.rowErrors.bulkAdd(errors));
			if (undo.length > 0) requests.push(db.undoLog.bulkPut(undo));
			if (writes.length > 0) {
				requests.push(writeClock(db, t));
				requests.push(
					queueChange(db, {
						id: `${job.id}:${lastRow}`,
						jobId: job.id,
						phones: writes.map((c) => c.phone),
						at: t
					})
				);
			}
			// `current` was read in this transaction, so writing it back whole loses nothing.
			requests.push(
				db.jobs.put({
					...current,
					counts: total,
					checkpointRow: lastRow,
					updatedAt: t,
					rowsPerSecond
				})
			);
			await Promise.all(requests);
			committed = { counts: total, rowsPerSecond };
			return 'running';
		}
	);
	// Only once the batch committed: an aborted batch leaves the snapshot's epoch as it was (and
	// the next batch then distrusts it, which is slower but still exact).
	run.committed = committed;
	const snapshot = known as KeySnapshot | null;
	if (bumped !== undefined && snapshot && run.known === snapshot) snapshot.epoch = bumped;
	return status;
}

function bump(counts: ImportCounts, kind: RowIssue['kind']): void {
	if (kind === 'skipped_by_user') {
		counts.skippedByUser = (counts.skippedByUser ?? 0) + 1;
		return;
	}
	if (kind === 'missing_phone') counts.skippedMissingPhone++;
	else if (kind === 'invalid_phone') counts.skippedInvalidPhone++;
	else if (kind === 'duplicate_in_file') counts.skippedDuplicate++;
	else if (kind === 'existing_skipped') counts.skippedExisting++;
	else counts.failed++;
}
