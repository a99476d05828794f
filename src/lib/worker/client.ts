/**
 * The page's side of the worker boundary. Everything the app asks a worker goes through a
 * `WorkerBridge` (bridge.ts), typed by the API's type only:
 * - `appWorker()`: the shared worker for the wizard's preview and review, contact queries,
 *   segments and undo. Its in-memory contact index is read once and stays warm across
 *   navigations, so it outlives its last call by `APP_IDLE_MS`;
 * - `startJobWorker`: a worker of its own for each import job (the job supervisor's bridge), so
 *   that the watchdog stopping a stuck import never drops the shared index.
 */
import * as Comlink from 'comlink';
import { getLocale } from '$lib/paraglide/runtime';
import { workerName } from './worker-locale';
import type { WorkerApi } from './api';
import { WorkerBridge, type WorkerHandle } from './bridge';

export type AppApi = Comlink.Remote<WorkerApi>;
export type AppWorker = WorkerBridge<AppApi>;

/** How long the shared worker outlives its last call (its contact index stays warm meanwhile). */
export const APP_IDLE_MS = 5 * 60_000;

/** Wraps a started worker's Comlink API; terminating releases the proxy and ends the worker. */
export function wrapWorker<T>(worker: Worker): WorkerHandle<Comlink.Remote<T>> {
	const api = Comlink.wrap<T>(worker);
	return {
		api,
		terminate() {
			api[Comlink.releaseProxy]();
			worker.terminate();
		}
	};
}

/** Starts a worker running the app's API (never at module scope: prerendering runs in Node). */
export function startJobWorker(): WorkerHandle<AppApi> {
	return wrapWorker<WorkerApi>(
		// The name carries the page's language: what the worker writes for people is in it.
		new Worker(new URL('./app.worker.ts', import.meta.url), {
			type: 'module',
			name: workerName(getLocale())
		})
	);
}

/** Makes a callback callable from a worker. */
export function proxy<F extends (...args: never[]) => unknown>(fn: F): F {
	return Comlink.proxy(fn);
}

let shared: AppWorker | undefined;

/** The app's shared worker bridge (the worker itself starts on the first call). */
export function appWorker(): AppWorker {
	shared ??= new WorkerBridge<AppApi>({
		start: startJobWorker,
		idleMs: APP_IDLE_MS,
		proxy,
		page: typeof window === 'undefined' ? undefined : window
	});
	return shared;
}

/**
 * Starts the shared worker reading the contact index before a page needs it (from a page's
 * `load`, which SvelteKit also runs when a link to the page is hovered), so that the reading
 * overlaps the page's own start.
 */
export function warmContacts(): void {
	appWorker()
		.call((api) => api.warmIndex())
		.catch(() => {
			// Safe to drop: the page's own query reads the index again and shows its error.
		});
}

/**
 * Has the shared worker keep the contacts list's first page for the next cold open now (after an
 * import wrote contacts), while the person reads the import's result: the first open of the list
 * after a reload then shows it at once instead of waiting for the whole index to be read.
 */
export function keepListSnapshot(): void {
	appWorker()
		.call((api) => api.keepListSnapshot())
		.catch(() => {
			// Safe to drop: the next open of the list reads the index and keeps its first page then.
		});
}
