/**
 * The benchmark's page (bench/, built apart from the app into build-bench/) is served at /bench/
 * beside the app, on its origin, so that its floors can read back what the app's import stored.
 */
import { existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';

const BENCH_BUILD = fileURLToPath(new URL('../build-bench', import.meta.url));

/** serve.js's options that mount the benchmark's page at /bench/. */
export function benchMount() {
	if (!existsSync(BENCH_BUILD)) {
		throw new Error('No benchmark page: build it with `npx vite build -c bench/vite.config.ts`.');
	}
	return ['--mount', `/bench/=${BENCH_BUILD}`];
}
