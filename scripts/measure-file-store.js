#!/usr/bin/env node
/**
 * `npm run measure:file-store -- [--rows 1000000]`: how storing the file costs on entering Review
 * (the draft's file, kept as ArrayBuffer parts in IndexedDB) and how long `Start import` takes,
 * on a generated file (1,000,000 rows is about 113 MB), in headless Chromium with an on-disk
 * profile. Prints the time until the stored file is complete, the renderer PSS before, at its
 * peak while storing and after, the review pass beside it, and the time from `Start import` to the
 * import's page. Prints figures; asserts nothing.
 */
import { mkdtempSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { writeContactsCsv } from './gen-contacts.js';
import { serveBuild, withFreshProfile } from './harness.js';
import { rendererMb } from './memory.js';

const args = process.argv.slice(2);
const rows = Number(args[args.indexOf('--rows') + 1] || 1_000_000) || 1_000_000;
const server = await serveBuild();
const dir = mkdtempSync(join(tmpdir(), 'callaro-file-store-'));

/** In the page: whether the database holds one complete stored file, and its size. */
const storedFile = () =>
	new Promise((resolve) => {
		const open = indexedDB.open('callaro-import');
		open.onsuccess = () => {
			const db = open.result;
			if (!db.objectStoreNames.contains('files')) return resolve(null);
			const all = db.transaction('files').objectStore('files').getAll();
			all.onsuccess = () => {
				const done = all.result.find((f) => f.complete);
				db.close();
				resolve(done ? done.size : null);
			};
		};
		open.onerror = () => resolve(null);
	});

try {
	const file = join(dir, `contacts-${rows}.csv`);
	await writeContactsCsv(file, rows);
	const mb = statSync(file).size / 1e6;
	await withFreshProfile(async ({ page }) => {
		await page.goto(`${server.origin}/import`);
		await page.getByLabel('Contacts file').setInputFiles(file);
		await page.getByRole('table', { name: 'Preview' }).waitFor();
		await page.getByRole('button', { name: 'Next' }).click();
		await page.getByRole('heading', { name: 'Map columns' }).waitFor();
		await page.waitForTimeout(1000);
		const before = rendererMb();
		let peak = before;
		let peakStoring = before;
		let storing = true;
		const sampler = setInterval(() => {
			const now = rendererMb();
			peak = Math.max(peak, now);
			if (storing) peakStoring = Math.max(peakStoring, now);
		}, 100);
		const t0 = performance.now();
		await page.getByRole('button', { name: 'Next' }).click();
		let storedMs = NaN;
		let reviewMs = NaN;
		const count = page.getByTestId('review-rows-to-import');
		while (Number.isNaN(storedMs) || Number.isNaN(reviewMs)) {
			if (Number.isNaN(storedMs) && (await page.evaluate(storedFile)) !== null) {
				storedMs = performance.now() - t0;
				storing = false;
			}
			if (Number.isNaN(reviewMs) && (await count.isVisible())) reviewMs = performance.now() - t0;
			if (performance.now() - t0 > 600_000) throw new Error('Review did not finish in 10 minutes');
			await new Promise((r) => setTimeout(r, 50));
		}
		clearInterval(sampler);
		await page.waitForTimeout(1000);
		const after = rendererMb();
		await page.getByRole('button', { name: 'Next' }).click();
		const t1 = performance.now();
		await page.getByRole('button', { name: 'Start import' }).click();
		await page.waitForURL(/\/imports\/[\w-]+$/);
		const startMs = performance.now() - t1;
		console.log(`file: ${rows.toLocaleString('en-US')} rows, ${mb.toFixed(1)} MB`);
		console.log(
			`stored as parts: ${Math.round(storedMs)} ms after Next on Map (${Math.round(mb / (storedMs / 1000))} MB/s); the review's counts after ${Math.round(reviewMs)} ms`
		);
		console.log(
			`renderer PSS: ${before.toFixed(0)} MB before, ${peakStoring.toFixed(0)} MB peak until the file was stored, ${peak.toFixed(0)} MB peak until the review ended, ${after.toFixed(0)} MB after`
		);
		console.log(`Start import to the import's page: ${Math.round(startMs)} ms`);
	});
} finally {
	server.close();
	rmSync(dir, { recursive: true, force: true });
}
