#!/usr/bin/env node
/**
 * Prints what a push of N imported contacts costs the page's thread: a fresh on-disk Chromium
 * profile imports N rows with sync off, then turns sync on against a reference server (harness.js
 * startSyncBackend) and waits until the server holds every contact. Prints the
 * push's time and contacts/s, and the main-thread tasks over 50 ms while it ran.
 * Usage: npm run build && npm run measure:push -- [--rows 100000] [--build DIR]
 * (`--build` serves another build, to compare two versions in one run.)
 * This prints figures; it asserts nothing (the machines are shared and noisy).
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { importCsv, serveBuild, startSyncBackend, withFreshProfile } from './harness.js';
import { writeContactsCsv } from './gen-contacts.js';

const args = process.argv.slice(2);
const option = (name, fallback) => {
	const at = args.indexOf(name);
	return at >= 0 ? args[at + 1] : fallback;
};
const rows = Number(option('--rows', '100000'));
const buildDir = option('--build', 'build');
const TOKEN = 'measure-push-token';

const dir = mkdtempSync(join(tmpdir(), 'callaro-push-'));
const backend = await startSyncBackend(TOKEN);
const url = backend.url;
const serverContacts = async () => {
	const res = await fetch(`${url}/v1/stats`, { headers: { Authorization: `Bearer ${TOKEN}` } });
	return (await res.json()).contacts;
};
const app = await serveBuild(buildDir);
try {
	const file = join(dir, `contacts-${rows}.csv`);
	await writeContactsCsv(file, rows);
	await withFreshProfile(async ({ page }) => {
		const imported = Number((await importCsv(page, app.origin, file)).imported.replace(/\D/g, ''));

		await page.goto(`${app.origin}/settings`);
		await page.getByLabel('Backend URL').fill(url);
		await page.getByLabel('API token').fill(TOKEN);
		await page.getByRole('button', { name: 'Save sync settings' }).click();
		await page.evaluate(() => {
			window.__long = [];
			new PerformanceObserver((list) => {
				for (const e of list.getEntries()) window.__long.push(Math.round(e.duration));
			}).observe({ type: 'longtask', buffered: false });
		});
		const t = performance.now();
		await page.getByRole('checkbox', { name: 'Sync enabled' }).check();
		for (;;) {
			if ((await serverContacts()) >= imported) break;
			if (performance.now() - t > 1_800_000) throw new Error('the push did not end in 30 minutes');
			await new Promise((r) => setTimeout(r, 100));
		}
		const pushMs = performance.now() - t;
		await page
			.getByTestId('sync-status')
			.filter({ hasText: 'Synced' })
			.waitFor({ timeout: 120_000 });
		const long = await page.evaluate(() => window.__long);
		const sorted = [...long].sort((x, y) => y - x);
		console.log(`build: ${buildDir}; imported ${imported.toLocaleString('en-US')} contacts`);
		console.log(
			`push: ${(pushMs / 1000).toFixed(1)} s until the server held them all (${Math.round(imported / (pushMs / 1000)).toLocaleString('en-US')} contacts/s)`
		);
		console.log(
			`main-thread tasks over 50 ms during the push: ${long.length} (longest: ${sorted.slice(0, 5).join(', ') || 'none'} ms)`
		);
	});
} finally {
	app.close();
	backend.stop();
	rmSync(dir, { recursive: true, force: true });
}
