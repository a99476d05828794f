/**
 * The worker's heavy half, loaded by api.ts on first use: previews, reviews, import jobs, undo,
 * sync and do-not-call files. Nothing else imports it, so that the worker's entry (the contacts
 * list, search and segments) stays free of the parsers and validation libraries it brings.
 */
import type { CallaroDb } from '$lib/db/database';
import { runJob } from '$lib/jobs/runner';
import { PROGRESS_CHANNEL, ProgressPoster } from '$lib/jobs/progress-channel';

export { previewFile } from './preview';
export { countRuleChanges, reviewFile } from './review-pass';
export { planUndo, undoJob } from '$lib/jobs/undo';
export { SyncEngine } from '$lib/sync/engine';
export { fetchTransport } from '$lib/sync/transport';
export { loadDoNotCallFile } from './do-not-call-load';

/** Runs or resumes an import job until it stops, posting its progress to the pages. */
export async function runJobWithProgress(db: CallaroDb, jobId: string, onBeat?: () => void) {
	// Pages listen on a BroadcastChannel; absent (tests in Node), nothing is sent.
	const channel =
		typeof BroadcastChannel === 'undefined' ? null : new BroadcastChannel(PROGRESS_CHANNEL);
	const poster = new ProgressPoster((p) => channel?.postMessage(p));
	try {
		return await runJob(db, jobId, {
			onBeat,
			onProgress: (counts, rowsPerSecond) => poster.push({ jobId, counts, rowsPerSecond })
		});
	} finally {
		poster.flush();
		channel?.close();
	}
}
