import { defineConfig } from 'vitest/config';

/**
 * The cross-engine end-to-end suite (tests/cross): each spec runs in Chromium, Firefox and WebKit
 * against the built app. `npm run test:cross` (after `npm run build`); ENGINES=webkit,… for some.
 * Spec files run one at a time: on a 2-core machine, browsers side by side only slow each other.
 */
export default defineConfig({
	test: {
		include: ['tests/cross/**/*.cross.ts'],
		environment: 'node',
		testTimeout: 300_000,
		hookTimeout: 120_000,
		fileParallelism: false,
		reporters: ['default']
	}
});
