/**
 * The benchmark's page, built apart from the app so that none of it ships: `vite build -c
 * bench/vite.config.ts` writes build-bench/, which the benchmark scripts serve at /bench/ on the
 * app's own origin (serve.js --mount), where the floors can read the database the import wrote.
 */
import { fileURLToPath } from 'node:url';
import { defineConfig } from 'vite';

const here = (path: string) => fileURLToPath(new URL(path, import.meta.url));

export default defineConfig({
	root: here('.'),
	base: '/bench/',
	resolve: { alias: { $lib: here('../src/lib') } },
	worker: { format: 'es' },
	build: { outDir: here('../build-bench'), emptyOutDir: true }
});
