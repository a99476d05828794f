#!/usr/bin/env node
/**
 * Prints the review-pass time and the import time of a generated file, driving the built app in
 * headless Chromium with an on-disk profile (an incognito profile keeps IndexedDB in memory and
 * flatters the figures). Usage: npm run build && npm run measure -- [--rows 100000]
 * This prints figures; it asserts nothing (the machines are shared and noisy).
 */
import { mkdtempSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { writeContactsCsv } from './gen-contacts.js';
import { serveBuild, withFreshProfile } from './harness.js';

const args = process.argv.slice(2);
const rows = Number(args[args.indexOf('--rows') + 1] || 100_000) || 100_000;
const server = await serveBuild();
const dir = mkdtempSync(join(tmpdir(), 'callaro-measure-'));
try {
	const file = join(dir, `contacts-${rows}.csv`);
	const expected = await writeContactsCsv(file, rows);
	await withFreshProfile(async ({ page }) => {
		await page.goto(`${server.origin}/import`);
		let t = performance.now();
		await page.getByLabel('Contacts file').setInputFiles(file);
		await page.getByRole('table', { name: 'Preview' }).waitFor();
		const previewMs = performance.now() - t;
		await page.getByRole('button', { name: 'Next' }).click();
		await page.getByRole('heading', { name: 'Map columns' }).waitFor();
		t = performance.now();
		await page.getByRole('button', { name: 'Next' }).click();
		await page.getByTestId('review-rows-to-import').waitFor({ timeout: 600_000 });
		const reviewMs = performance.now() - t;
		const toImport = await page.getByTestId('review-rows-to-import').textContent();
		await page.getByRole('button', { name: 'Next' }).click();
		t = performance.now();
		await page.getByRole('button', { name: 'Start import' }).click();
		await page
			.getByTestId('import-status')
			.filter({ hasText: 'Completed' })
			.waitFor({ timeout: 1_800_000 });
		const importMs = performance.now() - t;
		const imported = await page.getByTestId('import-imported').textContent();
		const mb = statSync(file).size / 1e6;
		console.log(
			`file: ${rows.toLocaleString('en-US')} rows (${expected.toLocaleString('en-US')} with a usable phone), ${mb.toFixed(1)} MB`
		);
		console.log(`preview shown:  ${previewMs.toFixed(0)} ms (file picked → preview table)`);
		console.log(
			`review pass:    ${(reviewMs / 1000).toFixed(2)} s (${Math.round(rows / (reviewMs / 1000)).toLocaleString('en-US')} rows/s); rows to import ${toImport?.trim()}`
		);
		console.log(
			`import:         ${(importMs / 1000).toFixed(2)} s (${Math.round(rows / (importMs / 1000)).toLocaleString('en-US')} rows/s); imported ${imported?.trim()}`
		);
	});
} finally {
	server.close();
	rmSync(dir, { recursive: true, force: true });
}
