/**
 * How an import run that throws stops: the job is paused with a message saying what to do, so
 * that Resume continues from its last checkpoint.
 */
import type { CallaroDb } from '$lib/db/database';
import type { JobStatus } from '$lib/domain/import-job';
import { BYTES_PER_ROW } from '$lib/domain/import-plan';
import { getJob, transitionJob } from '$lib/db/jobs-repo';
import { isQuotaError, messageOf } from '$lib/errors';

/**
 * A run that throws leaves a resumable job: always paused, with a message that says what to do
 * (for storage full, how much space the rest of the import needs). Nothing of the batch that
 * threw was written, so Resume continues from the last checkpoint.
 */
export async function stopOnError(
	db: CallaroDb,
	jobId: string,
	error: unknown
): Promise<JobStatus | undefined> {
	if (isQuotaError(error)) {
		const job = await getJob(db, jobId);
		const left = job ? Math.max(0, job.totalRows - job.counts.processed) : 0;
		const need = Math.max(1, Math.ceil((left * BYTES_PER_ROW) / 1e6));
		return transitionJob(
			db,
			jobId,
			'paused',
			`The browser ran out of storage space for this site. Nothing was half-written. The rest of this import needs about ${need} MB more: free some space (or delete old imports), then press Resume.`
		);
	}
	const message = messageOf(error);
	return transitionJob(
		db,
		jobId,
		'paused',
		`The import stopped: ${message}. Press Resume to continue from the last saved row.`
	);
}
