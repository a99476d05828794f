import { defineConfig } from 'vitest/config';

/**
 * The cross-engine end-to-end suite (tests/cross): each spec runs in Chromium, Firefox and WebKit
 * against the built app. `npm run test:cross` (after `npm run build`); ENGINES=webkit,… for some.
 * Spec files run two at a time (this machine has 2 cores; each browser is mostly waiting).
 */
export default defineConfig({
	test: {
		include: ['tests/cross/**/*.cross.ts'],
		environment: 'node',
		testTimeout: 300_000,
		hookTimeout: 120_000,
		maxWorkers: 2,
		fileParallelism: true,
		reporters: ['default']
	}
});
