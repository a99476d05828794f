/**
 * The benchmark page's script: starts the floor worker and hands its API to the driving script as
 * `window.callaroBench`. The page is built apart from the app (bench/vite.config.ts) and served
 * beside it on the same origin, so that the floors can read back what the app's import stored.
 */
import * as Comlink from 'comlink';
import { spin, type BenchApi } from './bench-api';

const worker = new Worker(new URL('./bench.worker.ts', import.meta.url), {
	type: 'module',
	name: 'bench'
});
(window as unknown as { callaroBench: Comlink.Remote<BenchApi> }).callaroBench =
	Comlink.wrap<BenchApi>(worker);
// The same arithmetic on the page's main thread (see `spin`).
(window as unknown as { callaroSpin: typeof spin }).callaroSpin = spin;
