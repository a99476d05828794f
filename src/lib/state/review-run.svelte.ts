/**
 * The Review step's full pass over the file, run in the worker with progress. A newer pass aborts
 * the one in flight (its late answer is never shown); a pass that stops beating is ended by the
 * worker bridge's watchdog and reported, never left spinning.
 */
import { isAbort, messageOf, WorkerStalledError } from '$lib/errors';
import { m } from '$lib/paraglide/messages';
import type { WorkerBridge } from '$lib/worker/bridge';
import type { ReviewProgress, ReviewRequest, ReviewSummary } from '$lib/worker/review-pass';

/** The slice of the worker API a review needs. */
export interface ReviewApi {
	review(
		taskId: string,
		file: File,
		request: ReviewRequest,
		onProgress: (p: ReviewProgress) => void
	): Promise<ReviewSummary | null>;
	cancel(taskId: string): unknown;
}

/** A pass with no progress for this long is stopped. */
export const REVIEW_WATCHDOG_MS = 30_000;

export class ReviewRun {
	summary = $state.raw<ReviewSummary | null>(null);
	running = $state(false);
	/** Share of the file read, 0 to 1. */
	progress = $state(0);
	rows = $state(0);
	error = $state<string | null>(null);

	private controller: AbortController | null = null;

	constructor(
		private readonly worker: WorkerBridge<ReviewApi>,
		private readonly watchdogMs = REVIEW_WATCHDOG_MS
	) {}

	/** Runs a pass, aborting the one in flight. */
	async run(file: File, request: ReviewRequest): Promise<void> {
		this.cancel();
		const controller = new AbortController();
		this.controller = controller;
		this.running = true;
		this.error = null;
		this.progress = 0;
		this.rows = 0;
		this.summary = null;
		const onProgress = (p: ReviewProgress) => {
			if (this.controller !== controller) return;
			this.progress = p.fraction;
			this.rows = p.rows;
		};
		try {
			const result = await this.worker.call(
				(api, task) => api.review(task.taskId, file, request, task.callback(onProgress)),
				{ signal: controller.signal, watchdogMs: this.watchdogMs }
			);
			if (result) this.summary = result;
		} catch (error) {
			// An aborted pass was replaced or left on purpose: nothing to report.
			if (isAbort(error)) return;
			this.error =
				error instanceof WorkerStalledError
					? m.review_stalled({ seconds: Math.round(error.ms / 1000) })
					: m.review_failed({ message: messageOf(error) });
		} finally {
			if (this.controller === controller) {
				this.running = false;
				this.controller = null;
			}
		}
	}

	/** Stops the pass in flight, if any. */
	cancel(): void {
		this.controller?.abort();
		this.controller = null;
		this.running = false;
	}

	/** Forgets the last result (the mapping or the file changed). */
	clear(): void {
		this.cancel();
		this.summary = null;
	}
}
