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

/** Wraps a callback so the worker can call it back across the boundary. */
export function callback<T extends (...args: never[]) => unknown>(fn: T): T {
	return Comlink.proxy(fn);
}
