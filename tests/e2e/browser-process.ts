/**
 * A real Chromium process for crash tests: started in its own process group with an on-disk
 * profile, driven over CDP, and killed with SIGKILL (no polite close, no unload handlers).
 */
import { chromium, type Browser, type Page } from '@playwright/test';
import { spawn } from 'node:child_process';
import { existsSync, readFileSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { chromiumArgs, chromiumPath } from '../../scripts/chromium.js';

export interface RunningBrowser {
	browser: Browser;
	page: Page;
	kill(): void;
}

/** Launches Chromium on `profile` and returns its first page. */
export async function launchBrowser(profile: string): Promise<RunningBrowser> {
	const portFile = join(profile, 'DevToolsActivePort');
	rmSync(portFile, { force: true }); // or we would read the dead browser's port
	const proc = spawn(
		chromiumPath,
		[
			'--headless=new',
			'--remote-debugging-port=0',
			`--user-data-dir=${profile}`,
			...chromiumArgs,
			'about:blank'
		],
		{ detached: true, stdio: 'ignore' }
	);
	const deadline = Date.now() + 30_000;
	while (!existsSync(portFile) || readFileSync(portFile, 'utf8').split('\n').length < 2) {
		if (Date.now() > deadline) throw new Error('Chromium did not start');
		await new Promise((r) => setTimeout(r, 50));
	}
	const port = readFileSync(portFile, 'utf8').split('\n')[0].trim();
	const browser = await chromium.connectOverCDP(`http://127.0.0.1:${port}`);
	const context = browser.contexts()[0];
	const page = context.pages()[0] ?? (await context.newPage());
	return {
		browser,
		page,
		kill() {
			try {
				process.kill(-proc.pid!, 'SIGKILL');
			} catch {
				/* already gone */
			}
		}
	};
}
