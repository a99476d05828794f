/**
 * The page's side of the worker boundary: the worker is created lazily (never at module scope,
 * prerendering runs in Node), typed by the API's type only, and terminated when done.
 */
import * as Comlink from 'comlink';
import type { CsvApi } from './api';

export interface CsvWorker {
	api: Comlink.Remote<CsvApi>;
	terminate(): void;
}

/** Starts a worker. Call `terminate()` when the work is done. */
export function startCsvWorker(): CsvWorker {
	const worker = new Worker(new URL('./csv.worker.ts', import.meta.url), {
		type: 'module',
		name: 'csv'
	});
	const api = Comlink.wrap<CsvApi>(worker);
	return {
		api,
		terminate() {
			api[Comlink.releaseProxy]();
			worker.terminate();
		}
	};
}

/** How long the shared worker outlives its last user (its contact index stays warm meanwhile). */
const SHARED_IDLE_MS = 5 * 60_000;

let shared: { worker: CsvWorker; users: number; idle?: ReturnType<typeof setTimeout> } | null =
	null;

/**
 * A handle on the worker that answers contact queries (count, list, search, segments). It is
 * shared by every page, so that its in-memory contact index is read once and stays warm across
 * navigations; `terminate()` on the handle only releases it, and the worker stops after
 * `SHARED_IDLE_MS` without users.
 */
export function contactsWorker(): CsvWorker {
	if (!shared) shared = { worker: startCsvWorker(), users: 0 };
	const entry = shared;
	clearTimeout(entry.idle);
	entry.users++;
	let released = false;
	return {
		api: entry.worker.api,
		terminate() {
			if (released) return;
			released = true;
			if (--entry.users > 0) return;
			entry.idle = setTimeout(() => {
				if (entry.users > 0 || shared !== entry) return;
				shared = null;
				entry.worker.terminate();
			}, SHARED_IDLE_MS);
		}
	};
}

/**
 * Starts the shared worker reading the contact index before a page needs it (from a page's
 * `load`, which SvelteKit also runs when a link to the page is hovered), so that the reading
 * overlaps the page's own start.
 */
export function warmContacts(): void {
	const handle = contactsWorker();
	handle.api.warmIndex().then(handle.terminate, () => {
		// Safe to drop: the page's own query reads the index again and shows its error.
		handle.terminate();
	});
}

/** Wraps a callback so the worker can call it back across the boundary. */
export function callback<T extends (...args: never[]) => unknown>(fn: T): T {
	return Comlink.proxy(fn);
}
