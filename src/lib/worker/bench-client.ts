/**
 * The page's side of the benchmark worker, for the /bench page only (the app never imports it).
 */
import type { BenchApi } from './bench';
import type { WorkerHandle } from './bridge';
import { wrapWorker } from './client';
import type { Remote } from 'comlink';

export type BenchWorker = WorkerHandle<Remote<BenchApi>>;

/** Starts the benchmark worker. Call `terminate()` when the page goes. */
export function startBenchWorker(): BenchWorker {
	return wrapWorker<BenchApi>(
		new Worker(new URL('./bench.worker.ts', import.meta.url), { type: 'module', name: 'bench' })
	);
}
