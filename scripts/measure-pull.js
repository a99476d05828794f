#!/usr/bin/env node
/**
 * Prints how fast a new device takes in a workspace: a reference server (harness.js
 * startSyncBackend) is seeded with N contacts over HTTP, then a fresh on-disk Chromium profile
 * turns sync on and pulls them all through the app. Prints the pull's time and contacts/s, the
 * main-thread tasks over 50 ms during it, and the pages' progress as Settings showed it; then an
 * import of a generated CSV of as many rows in another fresh profile, in the same run, so the
 * pull's rate can be set beside the import's (the pull's target: at least the import's rows/s).
 * Usage: npm run build && npm run measure:pull -- [--contacts 100000]
 * This prints figures; it asserts nothing (the machines are shared and noisy).
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { writeContactsCsv } from './gen-contacts.js';
import { importCsv, serveBuild, startSyncBackend, withFreshProfile } from './harness.js';

const args = process.argv.slice(2);
const at = args.indexOf('--contacts');
const total = (at >= 0 && Number(args[at + 1])) || 100_000;
const TOKEN = 'measure-pull-token';
const BATCH = 5000;

const backend = await startSyncBackend(TOKEN);
const url = backend.url;
const app = await serveBuild();
const dir = mkdtempSync(join(tmpdir(), 'callaro-measure-pull-'));
try {
	let pullRate = 0;
	let t = performance.now();
	for (let start = 0; start < total; start += BATCH) {
		const contacts = [];
		for (let n = start; n < Math.min(total, start + BATCH); n++)
			contacts.push({
				phone: `+1212${200 + Math.floor(n / 10_000)}${String(n % 10_000).padStart(4, '0')}`,
				firstName: `First${n}`,
				lastName: `Last${n}`,
				email: `p${n}@example.com`,
				company: `Company ${n % 500}`,
				tags: ['vip', `list ${n % 7}`],
				custom: {},
				updatedAt: 1
			});
		const res = await fetch(`${url}/v1/contacts/batches`, {
			method: 'POST',
			headers: {
				Authorization: `Bearer ${TOKEN}`,
				'Content-Type': 'application/json',
				'Idempotency-Key': `seed-${start}`
			},
			body: JSON.stringify({
				batchId: `seed-${start}`,
				importId: 'seed',
				deviceId: 'seeder',
				contacts
			})
		});
		if (res.status !== 200) throw new Error(`seeding failed: ${res.status} ${await res.text()}`);
	}
	console.log(
		`seeded ${total.toLocaleString('en-US')} contacts over HTTP in ${((performance.now() - t) / 1000).toFixed(1)} s`
	);
	await withFreshProfile(async ({ page }) => {
		await page.goto(`${app.origin}/settings`);
		await page.evaluate(() => {
			window.__long = [];
			new PerformanceObserver((list) => {
				for (const e of list.getEntries()) window.__long.push(Math.round(e.duration));
			}).observe({ type: 'longtask', buffered: false });
		});
		await page.getByLabel('Backend URL').fill(url);
		await page.getByLabel('API token').fill(TOKEN);
		await page.getByRole('button', { name: 'Save sync settings' }).click();
		t = performance.now();
		// Tasks of the page's start and of saving the settings are not the pull's.
		await page.evaluate(() => (window.__long = []));
		await page.getByRole('checkbox', { name: 'Sync enabled' }).check();
		const progress = page.getByTestId('sync-pull');
		await progress.waitFor({ timeout: 60_000 });
		const firstProgress = await progress.textContent();
		const firstPageMs = performance.now() - t;
		await progress.waitFor({ state: 'detached', timeout: 1_800_000 });
		await page.getByTestId('sync-status').filter({ hasText: 'Synced' }).waitFor();
		const pullMs = performance.now() - t;
		const long = await page.evaluate(() => window.__long);
		await page.goto(`${app.origin}/contacts`);
		const count = page.getByTestId('contacts-count');
		await count.filter({ hasText: total.toLocaleString('en-US') }).waitFor({ timeout: 60_000 });
		pullRate = total / (pullMs / 1000);
		console.log(`first page shown: ${Math.round(firstPageMs)} ms ("${firstProgress?.trim()}")`);
		console.log(
			`pull: ${(pullMs / 1000).toFixed(1)} s for ${total.toLocaleString('en-US')} contacts (${Math.round(total / (pullMs / 1000)).toLocaleString('en-US')} contacts/s); contacts page shows ${(await count.textContent())?.trim()}`
		);
		const sorted = [...long].sort((x, y) => y - x);
		console.log(
			`main-thread tasks over 50 ms during the pull: ${long.length} (longest: ${sorted.slice(0, 5).join(', ') || 'none'} ms)`
		);
	});
	const file = join(dir, `contacts-${total}.csv`);
	await writeContactsCsv(file, total);
	await withFreshProfile(async ({ page }) => {
		const { ms, imported } = await importCsv(page, app.origin, file);
		const importRate = total / (ms / 1000);
		console.log(
			`import of a ${total.toLocaleString('en-US')}-row CSV: ${(ms / 1000).toFixed(1)} s (${Math.round(importRate).toLocaleString('en-US')} rows/s; imported ${imported})`
		);
		console.log(`pull/import rate: ${(pullRate / importRate).toFixed(2)} (target ≥ 1.00)`);
	});
} finally {
	app.close();
	backend.stop();
	rmSync(dir, { recursive: true, force: true });
}
