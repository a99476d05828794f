import { defineConfig } from '@playwright/test';
import { chromiumArgs, chromiumPath } from './scripts/chromium.js';

const PORT = Number(process.env.E2E_PORT ?? 4174);

/**
 * End-to-end tests run in Debian's Chromium (Playwright cannot download browsers here) against
 * `build/` served by the plain static server, as a real host would serve it.
 * Point CHROMIUM_PATH at another Chromium if yours lives elsewhere.
 */
export default defineConfig({
	testDir: 'tests/e2e',
	timeout: 120_000,
	expect: { timeout: 20_000 },
	fullyParallel: false,
	workers: 1,
	retries: 0,
	reporter: [['list']],
	use: {
		baseURL: `http://localhost:${PORT}`,
		trace: 'retain-on-failure',
		launchOptions: {
			executablePath: chromiumPath,
			args: chromiumArgs
		}
	},
	webServer: {
		command: `node scripts/serve.js --port ${PORT}`,
		url: `http://localhost:${PORT}`,
		reuseExistingServer: false,
		stdout: 'ignore'
	}
});
