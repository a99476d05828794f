/**
 * The page's side of the benchmark worker, for the /bench page only (the app never imports it).
 */
import * as Comlink from 'comlink';
import type { BenchApi } from './bench';

export interface BenchWorker {
	api: Comlink.Remote<BenchApi>;
	terminate(): void;
}

/** Starts the benchmark worker. Call `terminate()` when the page goes. */
export function startBenchWorker(): BenchWorker {
	const worker = new Worker(new URL('./bench.worker.ts', import.meta.url), {
		type: 'module',
		name: 'bench'
	});
	const api = Comlink.wrap<BenchApi>(worker);
	return {
		api,
		terminate() {
			api[Comlink.releaseProxy]();
			worker.terminate();
		}
	};
}
