/**
 * The app worker's API (exposed with Comlink by app.worker.ts): imports, reviews, previews,
 * contacts, segments, undo and sync all run here, off the page's thread. The page imports only
 * its type.
 * Long tasks take a task id so that the page can cancel them; progress flows back through
 * `Comlink.proxy` callbacks.
 */
import { CallaroDb, getDb } from '$lib/db/database';
import type { DrainResult, SyncEngine } from '$lib/sync/engine';
import {
	exportSegment,
	listPage,
	searchContacts,
	searchReadSoFar,
	segmentPhones
} from '$lib/jobs/contact-scan';
import { IndexReader } from '$lib/db/contact-index-repo';
import { getSyncConfig } from '$lib/db/sync-config-repo';
import { isConfigured } from '$lib/domain/sync-config';
import { saveListSnapshot, SNAPSHOT_ROWS } from '$lib/db/list-snapshot-repo';
import type { Contact } from '$lib/domain/contact';
import { clearDoNotCall, DoNotCallReader } from '$lib/db/do-not-call-repo';
import type { ContactFilter, ContactSort } from '$lib/domain/contact-index';
import type { SegmentClock, SegmentDefinition } from '$lib/domain/segments';
import type { CustomFieldDef } from '$lib/domain/fields';
import type { PreviewOverrides, PreviewResult } from './preview';
import type { ColumnRule } from '$lib/domain/fixes';
import type { ReviewProgress, ReviewRequest, ReviewSummary } from './review-pass';

/**
 * The import, review, preview, undo, sync and do-not-call code (tasks.ts), loaded on its first
 * use: it brings the parsers, the validation libraries and the phone metadata, about three
 * quarters of the worker's code, which the contacts list, search and segments never need. So a
 * worker started for the contacts list is ready sooner, and holds less.
 */
let loading: Promise<typeof import('./tasks')> | undefined;
const tasks = () => (loading ??= import('./tasks'));

const cancelled = new Set<string>();
/** Tasks in progress: a cancel for a task that already ended is dropped, not kept forever. */
const running = new Set<string>();

/** Creates the API over a database (the worker's own; tests pass an in-memory one). */
export function createAppApi(db: CallaroDb = getDb()) {
	// The contact index is read on the first contact query, not before: a worker that only runs an
	// import or a review never holds it.
	const reader = new IndexReader(db);
	const index = () => reader.current();
	/** The seq of the list's first page last kept for a cold open (list-snapshot-repo.ts). */
	let snapshotSeq = -1;
	/**
	 * Keeps the unfiltered list's first page, answered from the index at `seq`, for the next cold
	 * open (once per seq). A failure only costs that open its head start.
	 */
	const keepFirstPage = async (seq: number, total: number, contacts: readonly Contact[]) => {
		if (seq === snapshotSeq) return;
		snapshotSeq = seq;
		try {
			await saveListSnapshot(db, seq, total, contacts);
		} catch {
			// Safe to drop: without a current snapshot the next cold open waits for the index.
			snapshotSeq = -1;
		}
	};
	/**
	 * Searches not yet answered. A list page waits for them: its first sort after a reload takes
	 * about half a second at a million contacts and holds this thread, while the list already
	 * shows its kept first page and a search answers in milliseconds. So a search typed during the
	 * cold read answers first, and the sort runs after.
	 */
	let searches = 0;
	let searchesDone: (() => void)[] = [];
	const searchesAnswered = async () => {
		while (searches > 0) await new Promise<void>((resolve) => searchesDone.push(resolve));
	};
	const searched = () => {
		if (--searches > 0) return;
		const waiting = searchesDone;
		searchesDone = [];
		for (const resolve of waiting) resolve();
	};
	/** One early answer to a search, from each page of chunks read until one matches (see searchContacts). */
	const searchEarly = async (
		query: string,
		limit: number,
		defaultCountry: string | undefined,
		onEarly: (found: Contact[]) => void
	) => {
		while (reader.reading) {
			await reader.nextPage();
			if (!reader.reading) return;
			try {
				const found = await searchReadSoFar(db, reader.partial, query, limit, defaultCountry);
				if (found.length > 0) {
					// The page's callback answers through the worker's port: a page gone meanwhile
					// has no use for it.
					void Promise.resolve(onEarly(found)).catch(() => undefined);
					return;
				}
			} catch {
				// Safe to drop: the full answer follows, from the same reads, and reports its own failure.
				return;
			}
		}
	};
	/** The unfiltered list's page, in name order, kept for a cold open when it is the first. */
	const listed = async (
		filter: ContactFilter,
		sort: ContactSort,
		offset: number,
		limit: number
	) => {
		await index();
		await searchesAnswered();
		// Read again (nothing to read unless a change came meanwhile), and its seq with it.
		const current = await index();
		const seq = reader.seq;
		const page = await listPage(db, current, filter, sort, offset, limit);
		const first = filter.kind === 'all' && sort === 'name' && offset === 0;
		const complete = page.contacts.length >= Math.min(SNAPSHOT_ROWS, page.total);
		const kept =
			first && complete && page.contacts.every((c) => c)
				? keepFirstPage(seq, page.total, page.contacts as Contact[])
				: undefined;
		return { page, kept };
	};
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
		async preview(file: File, overrides: PreviewOverrides = {}): Promise<PreviewResult> {
			return (await tasks()).previewFile(file, overrides);
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
				const { reviewFile } = await tasks();
				return await reviewFile(db, file, request, onProgress, () => cancelled.has(taskId));
			} finally {
				running.delete(taskId);
				cancelled.delete(taskId);
			}
		},

		/** How many rows a column rule would change (shown before it is applied). */
		async countRuleChanges(
			file: Blob,
			request: Pick<ReviewRequest, 'parse' | 'fixes'>,
			rule: ColumnRule
		) {
			return (await tasks()).countRuleChanges(file, request, rule);
		},

		/** Asks a running task to stop at its next slice. */
		cancel(taskId: string): void {
			if (running.has(taskId)) cancelled.add(taskId);
		},

		/** Runs or resumes an import job until it stops; returns its status. `onBeat` feeds the watchdog. */
		async runJob(jobId: string, onBeat?: () => void) {
			return (await tasks()).runJobWithProgress(db, jobId, onBeat);
		},

		/** What `Undo import` would change. */
		async planUndo(jobId: string) {
			return (await tasks()).planUndo(db, await index(), jobId);
		},

		/** Deletes what the job created and restores what it changed. */
		async undoJob(jobId: string) {
			return (await tasks()).undoJob(db, await index(), jobId);
		},

		/**
		 * Pushes what is pending and pulls what is new (sync/engine.ts), here: building each batch
		 * body reads and serializes up to thousands of contacts, and each pulled page is parsed and
		 * written, which would hold the page's thread. The page only says when (sync-runner.ts).
		 */
		async syncDrain(online: boolean): Promise<DrainResult> {
			// With sync off (the engine's first check too) the sync code is not even loaded: the page
			// asks at every start, and loading it would compete with the contact index being read.
			if (!sync && !isConfigured(await getSyncConfig(db))) return { kind: 'off' };
			const { SyncEngine, fetchTransport } = await tasks();
			// Set after the await, with no await between: two drains share one engine.
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
			// Answered first; the first page is kept meanwhile.
			return (await listed(filter, sort, offset, limit)).page;
		},

		/**
		 * Keeps the list's first page for the next cold open now, not when the list is next opened:
		 * after an import, so that the first open after a reload shows the list at once.
		 */
		async keepListSnapshot(): Promise<void> {
			await (
				await listed({ kind: 'all' }, 'name', 0, SNAPSHOT_ROWS)
			).kept;
		},

		/**
		 * Up to `limit` contacts matching a search, in name order. While the index is read from
		 * nothing (a second or more at a million contacts after a reload), `onEarly` is given the
		 * first matches found in the chunks read so far, each checked against its stored record
		 * (searchReadSoFar): the person sees contacts at once, and the full answer replaces them.
		 */
		async searchContacts(
			query: string,
			limit: number,
			defaultCountry?: string,
			onEarly?: (found: Contact[]) => void
		) {
			searches++;
			try {
				const full = index();
				// Awaited below; handled now too, so a failed read met while early matches are still
				// sought is not reported as unhandled before that await.
				full.catch(() => undefined);
				if (onEarly) await searchEarly(query, limit, defaultCountry, onEarly);
				return await searchContacts(db, await full, query, limit, defaultCountry);
			} finally {
				searched();
			}
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
		async loadDoNotCall(file: File, defaultCountry: string) {
			return (await tasks()).loadDoNotCallFile(db, file, defaultCountry);
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
