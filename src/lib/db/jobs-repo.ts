/**
 * Import jobs: creation, state transitions requested by people, and reading errors. Each write is
 * one transaction; the runner (in the worker) reads the status inside its batch transaction, so a
 * pause or cancel takes effect at the next batch boundary with nothing half-written.
 */
import Dexie from 'dexie';
import type { CustomFieldDef } from '$lib/domain/fields';
import { canTransition } from '$lib/domain/job-state';
import type { CallaroDb } from './database';
import type { ImportJob, JobStatus, RowErrorRecord } from '$lib/domain/import-job';

/**
 * Stores a new job, the link to its stored file (file-store.ts) and the custom fields it
 * auto-creates, all in one transaction. A field that already exists (another tab or import made
 * it) is kept as it is. The file must be stored whole.
 */
export async function createJob(
	db: CallaroDb,
	job: ImportJob,
	fileId: string,
	newFields: CustomFieldDef[]
): Promise<void> {
	await db.transaction('rw', [db.jobs, db.jobFiles, db.files, db.customFields], async () => {
		if (!(await db.files.get(fileId))?.complete) {
			throw new Error(`The file “${job.fileName}” is not stored in this browser any more.`);
		}
		for (const field of newFields) {
			if (!(await db.customFields.get(field.key))) await db.customFields.add(field);
		}
		await db.jobs.add(job);
		await db.jobFiles.add({ jobId: job.id, fileId });
	});
}

/**
 * Moves a job to `to` when the state machine allows it from its current status.
 * @returns the job's status after the call
 */
export async function transitionJob(
	db: CallaroDb,
	id: string,
	to: JobStatus,
	message?: string
): Promise<JobStatus | undefined> {
	return db.transaction('rw', db.jobs, async () => {
		const job = await db.jobs.get(id);
		if (!job) return undefined;
		if (!canTransition(job.status, to)) return job.status;
		const now = Date.now();
		const patch: Partial<ImportJob> = { status: to, updatedAt: now, message };
		if (to === 'completed' || to === 'failed' || to === 'cancelled') patch.finishedAt = now;
		await db.jobs.update(id, patch);
		return to;
	});
}

/**
 * Marks a job's run as started: a queued job becomes running (with its start time); a resumed
 * one loses the message that said why it stopped.
 */
export async function startRunning(db: CallaroDb, job: ImportJob, now: number): Promise<void> {
	if (job.status === 'queued')
		await db.jobs.update(job.id, {
			status: 'running',
			startedAt: now,
			updatedAt: now,
			message: undefined
		});
	else if (job.message) await db.jobs.update(job.id, { message: undefined });
}

/** One job, or undefined when this browser has no such job. */
export function getJob(db: CallaroDb, id: string): Promise<ImportJob | undefined> {
	return db.jobs.get(id);
}

/** The ids of the jobs that still have rows to run (queued or running). */
export async function runnableJobIds(db: CallaroDb): Promise<string[]> {
	return (await db.jobs.where('status').anyOf('queued', 'running').primaryKeys()) as string[];
}

/** Every job, newest first. */
export function listJobs(db: CallaroDb): Promise<ImportJob[]> {
	return db.jobs.orderBy('createdAt').reverse().toArray();
}

/** One page of a job's error rows, in file order. */
export function errorPage(
	db: CallaroDb,
	jobId: string,
	offset: number,
	limit: number
): Promise<RowErrorRecord[]> {
	return db.rowErrors
		.where('[jobId+row]')
		.between([jobId, Dexie.minKey], [jobId, Dexie.maxKey])
		.offset(offset)
		.limit(limit)
		.toArray();
}

/** How many error rows a job has. */
export function errorCount(db: CallaroDb, jobId: string): Promise<number> {
	return db.rowErrors
		.where('[jobId+row]')
		.between([jobId, Dexie.minKey], [jobId, Dexie.maxKey])
		.count();
}
