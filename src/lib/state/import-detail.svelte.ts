/**
 * The import detail page's state: the job as stored, live progress between its commits, its
 * errors a page at a time, its sync, and the actions on it (pause, resume, cancel, undo, retry
 * sync, the error report). A failed action is kept in `actionError`, shown beside the buttons.
 */
import { emptyCounts } from '$lib/domain/counts';
import type { JobStatus } from '$lib/domain/import-job';
import { isAbort, messageOf } from '$lib/errors';
import { m } from '$lib/paraglide/messages';
import { formatDate, formatNumber, plural } from '$lib/format';
import { statusLabel } from '$lib/job-labels';
import { PROGRESS_CHANNEL, shownCounts, type JobProgress } from '$lib/jobs/progress-channel';
import type { AppWorker } from '$lib/worker/client';
import { data, watch } from './app-data.svelte';

export const ERRORS_PAGE_SIZE = 50;

export interface ImportDetailDeps {
	worker: AppWorker;
	/** Asks the person to confirm (window.confirm in the app). */
	confirm: (question: string) => boolean;
}

export class ImportDetail {
	errorsPage = $state(0);
	actionError = $state<string | null>(null);
	undoing = $state(false);
	undoMessage = $state<string | null>(null);
	/** The worker's throttled progress, ahead of the stored record while an import commits. */
	private latest = $state.raw<JobProgress | null>(null);

	readonly job;
	readonly errors;
	readonly totalErrors;
	readonly sync;
	readonly syncConfig = watch.syncConfig();
	readonly syncOn = $derived(this.syncConfig.current.enabled && this.syncConfig.current.url !== '');

	/** Call during component initialisation: the reads follow `id` as it changes. */
	constructor(
		private readonly id: () => string,
		private readonly deps: ImportDetailDeps
	) {
		this.job = watch.job(id);
		this.errors = watch.errorPage(id, () => this.errorsPage * ERRORS_PAGE_SIZE, ERRORS_PAGE_SIZE);
		this.totalErrors = watch.errorCount(id);
		this.sync = watch.syncSummary(id);
		// The record's live query waits behind the import's writes; the worker's progress messages
		// move the bar meanwhile, and the record wins as soon as it catches up or the job stops.
		$effect(() => {
			const current = id();
			if (typeof BroadcastChannel === 'undefined') return;
			const channel = new BroadcastChannel(PROGRESS_CHANNEL);
			channel.onmessage = (e: MessageEvent<JobProgress>) => {
				if (e.data?.jobId === current) this.latest = e.data;
			};
			return () => channel.close();
		});
	}

	/** The counts and speed to show: the stored record's, or newer progress from the worker. */
	get shown() {
		return shownCounts(this.job.current ?? { status: '', counts: emptyCounts() }, this.latest);
	}

	/** The stored note of an undone import, its count agreeing with its noun; null if not undone. */
	get undoneNote(): string | null {
		const undo = this.job.current?.undo;
		if (!undo) return null;
		const note = plural(undo.deleted) === 'one' ? m.detail_undone_one : m.detail_undone_other;
		return note({
			when: formatDate(undo.at),
			deleted: formatNumber(undo.deleted),
			restored: formatNumber(undo.restored)
		});
	}

	setErrorsPage(page: number): void {
		this.errorsPage = Math.max(0, page);
	}

	/** Pause, resume or cancel (cancel asks first). */
	async move(to: JobStatus): Promise<void> {
		const job = this.job.current;
		if (!job) return;
		this.actionError = null;
		if (to === 'cancelled' && !this.deps.confirm(m.detail_cancel_confirm())) return;
		await this.act(async () => {
			const status = await data.moveJob(job.id, to);
			if (status !== to)
				this.actionError = m.detail_cannot_move({
					status: statusLabel(status ?? 'failed').toLowerCase()
				});
		});
	}

	/** Shows what the undo would change, and undoes the import once confirmed. */
	async undo(): Promise<void> {
		const job = this.job.current;
		if (!job || this.undoing) return;
		this.undoing = true;
		this.actionError = null;
		try {
			await this.act(async () => {
				const plan = await this.deps.worker.call((api) => api.planUndo(job.id));
				const ok = this.deps.confirm(
					m.detail_undo_confirm({
						created: (plural(plan.created) === 'one' ? m.undo_created_one : m.undo_created_other)({
							count: formatNumber(plan.created)
						}),
						restored: (plural(plan.restored) === 'one'
							? m.undo_restored_one
							: m.undo_restored_other)({ count: formatNumber(plan.restored) })
					})
				);
				if (!ok) return;
				const done = await this.deps.worker.call((api) => api.undoJob(job.id));
				const undone =
					plural(done.deleted) === 'one' ? m.detail_undo_done_one : m.detail_undo_done_other;
				this.undoMessage = undone({
					deleted: formatNumber(done.deleted),
					restored: formatNumber(done.restored)
				});
			});
		} finally {
			this.undoing = false;
		}
	}

	/** Sends this import's refused batches again. */
	async retrySync(): Promise<void> {
		await this.act(() => data.retrySync(this.id()));
	}

	/** The error report as a CSV file (every skipped, failed and warned row). */
	async errorReport(): Promise<{ name: string; blob: Blob } | null> {
		const job = this.job.current;
		if (!job) return null;
		let blob: Blob | null = null;
		await this.act(async () => {
			blob = await data.errorReport(job);
		});
		return blob ? { name: `${job.fileName.replace(/\.[^.]+$/, '')}-errors.csv`, blob } : null;
	}

	private async act(action: () => Promise<unknown>): Promise<void> {
		try {
			await action();
		} catch (error) {
			if (!isAbort(error)) this.actionError = messageOf(error);
		}
	}
}
