#!/usr/bin/env node
/**
 * `npm run measure:cold-open -- --rows 1000000 --profile DIR [--runs 5]`: where the contacts
 * list's cold open goes, over a profile that keeps its contacts between runs, so that the
 * start-up can be worked on without importing a million rows each time. The first run on DIR
 * imports the generated file through the wizard (and notes the row count and the port, whose
 * origin owns the data, in DIR); later runs reuse it. Each run opens /contacts in a freshly
 * started browser on that profile, then again after a reload in the same browser (each a full
 * load: a new page and a new worker), timed from the navigation's start to the first row and the
 * count shown, with the parts of that time (see coldParts in harness.js); then the first search
 * after another reload (typing to its first result). Prints figures and asserts nothing;
 * Chromium only (bench-engines.ts measures every engine).
 */
import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { chromium } from '@playwright/test';
import { chromiumArgs, chromiumPath } from './chromium.js';
import { writeContactsCsv } from './gen-contacts.js';
import { freePort } from './free-port.js';
import { coldParts, importCsv, serveBuild } from './harness.js';

const argv = process.argv.slice(2);
const arg = (name, fallback) => {
	const i = argv.indexOf(name);
	return i >= 0 ? argv[i + 1] : fallback;
};
const rows = Number(arg('--rows', 200_000));
const runs = Number(arg('--runs', 5));
const profile = arg('--profile', join(tmpdir(), `callaro-cold-${rows}`));
const marker = join(profile, 'callaro-rows.txt');

// The profile's data belongs to an origin, so the app is served on the port the import used.
const [markedRows, markedPort] = existsSync(marker)
	? readFileSync(marker, 'utf8').trim().split(' ').map(Number)
	: [NaN, await freePort()];
const server = await serveBuild('build', 10_000, [], markedPort);
const open = () =>
	chromium.launchPersistentContext(profile, { executablePath: chromiumPath, args: chromiumArgs });
try {
	mkdirSync(profile, { recursive: true });
	let expected = markedRows;
	if (!Number.isFinite(expected)) {
		const dir = mkdtempSync(join(tmpdir(), 'callaro-cold-file-'));
		try {
			const file = join(dir, 'contacts.csv');
			expected = await writeContactsCsv(file, rows);
			const context = await open();
			try {
				const page = context.pages()[0] ?? (await context.newPage());
				const { ms, imported } = await importCsv(page, server.origin, file);
				console.log(`imported ${imported} contacts in ${Math.round(ms)} ms`);
			} finally {
				await context.close();
			}
			writeFileSync(marker, `${expected} ${markedPort}`);
		} finally {
			rmSync(dir, { recursive: true, force: true });
		}
	}
	const shown = expected.toLocaleString('en-US');
	const all = [];
	const reloads = [];
	const searches = [];
	for (let run = 0; run < runs; run++) {
		const context = await open();
		try {
			const page = context.pages()[0] ?? (await context.newPage());
			const first = await opened(page, shown);
			await page.goto(`${server.origin}/`);
			const again = await opened(page, shown);
			// The first search after a reload: typing to the first result (the index must be read).
			await page.goto(`${server.origin}/`);
			await page.goto(`${server.origin}/contacts`);
			const box = page.getByLabel('Search contacts');
			await box.waitFor();
			const t = performance.now();
			await box.fill('zoë');
			await page
				.getByRole('list', { name: 'Search results' })
				.getByRole('link')
				.first()
				.waitFor({ timeout: 600_000 });
			searches.push(performance.now() - t);
			// Let the worker keep this open's first page before the browser closes (as a person
			// staying on the page a moment would).
			await page.waitForTimeout(500);
			all.push(first.ms);
			reloads.push(again.ms);
			for (const [what, { ms, parts }] of [
				['fresh browser', first],
				['reload', again]
			])
				console.log(
					`run ${run + 1}, ${what}: ${Math.round(ms)} ms;`,
					Object.entries(parts)
						.map(([k, v]) => `${k} ${v}`)
						.join(', ')
				);
		} finally {
			await context.close();
		}
	}
	const summary = (xs) => {
		const sorted = [...xs].sort((a, b) => a - b);
		return `median ${Math.round(sorted[Math.floor(sorted.length / 2)])} ms (min ${Math.round(sorted[0])}, max ${Math.round(sorted[sorted.length - 1])})`;
	};
	console.log(`cold open of ${shown} contacts over ${runs} runs:`);
	console.log(`  in a freshly started browser: ${summary(all)}`);
	console.log(`  after a reload: ${summary(reloads)}`);
	console.log(`first search after a reload: ${summary(searches)}`);
} finally {
	server.close();
}

/** A full load of /contacts until its first row and count show; the time and its parts. */
async function opened(page, shown) {
	await page.goto(`${server.origin}/contacts`);
	const ms = await page
		.waitForFunction(
			(text) => {
				const count = document.querySelector('[data-testid=contacts-count]');
				const row = document.querySelector('[aria-label="Contacts"] [role=listitem] a');
				return row && count?.textContent?.trim() === text ? performance.now() : null;
			},
			shown,
			{ timeout: 600_000, polling: 'raf' }
		)
		.then((h) => h.jsonValue());
	return { ms, parts: await coldParts(page) };
}
