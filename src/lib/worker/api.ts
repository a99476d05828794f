/**
 * The app worker's API (exposed with Comlink by app.worker.ts): imports, reviews, previews,
 * contacts, segments, undo and sync all run here, off the page's thread. The page imports only
 * its type.
 * Long tasks take a task id so that the page can cancel them; progress flows back through
 * `Comlink.proxy` callbacks.
 */
import { CallaroDb, getDb } from '$lib/db/database';
import { runJob } from '$lib/jobs/runner';
import { SyncEngine, type DrainResult } from '$lib/sync/engine';
import { fetchTransport } from '$lib/sync/transport';
import { PROGRESS_CHANNEL, ProgressPoster } from '$lib/jobs/progress-channel';
import { planUndo, undoJob } from '$lib/jobs/undo';
import { exportSegment, listPage, searchContacts, segmentPhones } from '$lib/jobs/contact-scan';
import { IndexReader } from '$lib/db/contact-index-repo';
import { clearDoNotCall, DoNotCallReader } from '$lib/db/do-not-call-repo';
import { loadDoNotCallFile } from '$lib/worker/do-not-call-load';
import type { ContactFilter, ContactSort } from '$lib/domain/contact-index';
import type { SegmentClock, SegmentDefinition } from '$lib/domain/segments';
import type { CustomFieldDef } from '$lib/domain/fields';
import { previewFile, type PreviewOverrides, type PreviewResult } from './preview';
import type { ColumnRule } from '$lib/domain/fixes';
import {
	countRuleChanges,
	reviewFile,
	type ReviewProgress,
	type ReviewRequest,
	type ReviewSummary
} from './review-pass';

const cancelled = new Set<string>();
/** Tasks in progress: a cancel for a task that already ended is dropped, not kept forever. */
const running = new Set<string>();

/** Creates the API over a database (the worker's own; tests pass an in-memory one). */
export function createAppApi(db: CallaroDb = getDb()) {
	// The contact index is read on the first contact query, not before: a worker that only runs an
	// import or a review never holds it.
	let reader: IndexReader | undefined;
	const index = () => (reader ??= new IndexReader(db)).current();
	const doNotCall = new DoNotCallReader(db);
	let sync: SyncEngine | undefined;
	// What the page last said of its connection (its `online` events are the ones that count).
	let onlineNow = true;
	return {
		/** Reads the contact index now, ahead of the first query (a page about to need it). */
		async warmIndex(): Promise<void> {
			await index();
		},

		/** Headers, first rows and detected settings, from the start of the file only. */
		preview(file: File, overrides: PreviewOverrides = {}): Promise<PreviewResult> {
			return previewFile(file, overrides);
		},

		/** The full review pass; resolves null when cancelled. */
		async review(
			taskId: string,
			file: File,
			request: ReviewRequest,
			onProgress: (p: ReviewProgress) => void
		): Promise<ReviewSummary | null> {
			running.add(taskId);
			try {
				return await reviewFile(db, file, request, onProgress, () => cancelled.has(taskId));
			} finally {
				running.delete(taskId);
				cancelled.delete(taskId);
			}
		},

		/** How many rows a column rule would change (shown before it is applied). */
		countRuleChanges(
			file: Blob,
			request: Pick<ReviewRequest, 'parse' | 'fixes'>,
			rule: ColumnRule
		) {
			return countRuleChanges(file, request, rule);
		},

		/** Asks a running task to stop at its next slice. */
		cancel(taskId: string): void {
			if (running.has(taskId)) cancelled.add(taskId);
		},

		/** Runs or resumes an import job until it stops; returns its status. `onBeat` feeds the watchdog. */
		async runJob(jobId: string, onBeat?: () => void) {
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
		},

		/** What `Undo import` would change. */
		async planUndo(jobId: string) {
			return planUndo(db, await index(), jobId);
		},

		/** Deletes what the job created and restores what it changed. */
		async undoJob(jobId: string) {
			return undoJob(db, await index(), jobId);
		},

		/**
		 * Pushes what is pending and pulls what is new (sync/engine.ts), here: building each batch
		 * body reads and serializes up to thousands of contacts, and each pulled page is parsed and
		 * written, which would hold the page's thread. The page only says when (sync-runner.ts).
		 */
		syncDrain(online: boolean): Promise<DrainResult> {
			sync ??= new SyncEngine({ db, transport: fetchTransport(), online: () => onlineNow });
			onlineNow = online;
			return sync.drain();
		},

		/** How many contacts there are. */
		async contactCount(): Promise<number> {
			return (await index()).size;
		},

		/** One page of the contacts list and how many contacts the filter shows. */
		async listContacts(filter: ContactFilter, sort: ContactSort, offset: number, limit: number) {
			return listPage(db, await index(), filter, sort, offset, limit);
		},

		/** Up to `limit` contacts matching a search, in name order. */
		async searchContacts(query: string, limit: number, defaultCountry?: string) {
			return searchContacts(db, await index(), query, limit, defaultCountry);
		},

		/** A segment's live count; resolves null when a newer count cancelled it. */
		async countSegment(
			taskId: string,
			def: SegmentDefinition,
			clock?: SegmentClock
		): Promise<number | null> {
			running.add(taskId);
			try {
				const current = await index();
				// A count is one pass over memory (milliseconds): cancelling only skips a stale answer.
				const listed = await doNotCall.current();
				return cancelled.has(taskId) ? null : current.count(def, clock, listed);
			} finally {
				running.delete(taskId);
				cancelled.delete(taskId);
			}
		},

		async segmentPhones(def: SegmentDefinition, clock?: SegmentClock) {
			return segmentPhones(await index(), def, clock, await doNotCall.current());
		},

		async exportSegment(def: SegmentDefinition, fields: CustomFieldDef[], clock?: SegmentClock) {
			return exportSegment(db, await index(), def, fields, clock, await doNotCall.current());
		},

		/** Adds the numbers of a file (any text, CSV or sheet) to the do-not-call list. */
		loadDoNotCall(file: File, defaultCountry: string) {
			return loadDoNotCallFile(db, file, defaultCountry);
		},

		clearDoNotCall() {
			return clearDoNotCall(db);
		},

		/** Whether each phone is on the do-not-call list. */
		async onDoNotCall(phones: string[]): Promise<boolean[]> {
			const set = await doNotCall.current();
			return phones.map((p) => set.has(p));
		},

		async customFieldUsage(key: string) {
			return (await index()).usage(key);
		}
	};
}

export type WorkerApi = ReturnType<typeof createAppApi>;
