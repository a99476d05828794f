/**
 * Live progress of a running import, from the worker straight to the pages.
 *
 * Why not only the database: the import page follows the job record with a live query, but at
 * full speed its read waits behind the import's write transactions and the bar can stall for
 * seconds, then jump. The database stays the truth (a page shows the record, and a newer message
 * only while the job runs); the channel just makes the bar move. Messages are throttled so the
 * page renders a few times a second, never per batch.
 */
import type { ImportCounts } from '$lib/domain/counts';

export const PROGRESS_CHANNEL = 'callaro-job-progress';

export interface JobProgress {
	jobId: string;
	/** Committed totals, as in the job record after the batch. */
	counts: ImportCounts;
	rowsPerSecond: number;
}

/** Sends at most one message per `intervalMs`; `flush` sends the last one held back. */
export class ProgressPoster {
	private last = -Infinity;
	private held: JobProgress | null = null;

	constructor(
		private readonly post: (p: JobProgress) => void,
		private readonly intervalMs = 250,
		private readonly now: () => number = Date.now
	) {}

	push(progress: JobProgress): void {
		const t = this.now();
		if (t - this.last >= this.intervalMs) {
			this.last = t;
			this.held = null;
			this.post(progress);
		} else {
			this.held = progress;
		}
	}

	flush(): void {
		if (this.held) this.post(this.held);
		this.held = null;
	}
}

/**
 * The counts a page shows: the record's, or a newer message's while the job runs (a message never
 * outlives the run: once the job stops, the record is shown).
 */
export function shownCounts(
	record: { status: string; counts: ImportCounts; rowsPerSecond?: number },
	latest: JobProgress | null
): { counts: ImportCounts; rowsPerSecond: number } {
	if (latest && record.status === 'running' && latest.counts.processed > record.counts.processed) {
		return { counts: latest.counts, rowsPerSecond: latest.rowsPerSecond };
	}
	return { counts: record.counts, rowsPerSecond: record.rowsPerSecond ?? 0 };
}
