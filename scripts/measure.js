#!/usr/bin/env node
/**
 * Prints the review-pass time and the import time of a generated file, driving the built app in
 * headless Chromium with an on-disk profile (an incognito profile keeps IndexedDB in memory and
 * flatters the figures). Usage: npm run build && npm run measure -- [--rows 100000]
 * This prints figures; it asserts nothing (the machines are shared and noisy).
 */
import { mkdtempSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { serveBuild, withFreshProfile } from './harness.js';

const args = process.argv.slice(2);
const rows = Number(args[args.indexOf('--rows') + 1] || 100_000) || 100_000;
const dir = mkdtempSync(join(tmpdir(), 'callaro-measure-'));
const file = join(dir, `contacts-${rows}.csv`);

// Realistic rows: quoted cells, non-ASCII names, national and international numbers, some bad rows.
const first = ['Ada', 'José', 'Zoë', 'Łukasz', 'Søren', 'Mei', 'Olu', 'Ana'];
const last = ['King', 'Müller', "O'Brien", 'Nguyễn', 'Smith', 'García'];
const lines = ['Phone,First Name,Last Name,Email,Company,Tags,Time Zone,Lead Source'];
for (let i = 0; i < rows; i++) {
	const n = `${200 + Math.floor(i / 10_000)}${String(i % 10_000).padStart(4, '0')}`;
	let phone = i % 3 === 0 ? `(212) ${n.slice(0, 3)}-${n.slice(3)}` : `+1212${n}`;
	if (i % 997 === 0) phone = 'n/a';
	if (i % 1009 === 0) phone = '';
	const f = first[i % first.length];
	const l = last[i % last.length];
	lines.push(
		`${phone},${f},${l},${f.toLowerCase()}.${i}@example.com,"Company ${i % 500}, Inc.","vip; list ${i % 7}",America/New_York,Web`
	);
}
writeFileSync(file, lines.join('\n') + '\n');

const server = await serveBuild();
try {
	await withFreshProfile(async ({ page }) => {
		await page.goto(`${server.origin}/import`);
		let t = performance.now();
		await page.getByLabel('CSV file').setInputFiles(file);
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
		console.log(`file: ${rows.toLocaleString('en-US')} rows, ${mb.toFixed(1)} MB`);
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
