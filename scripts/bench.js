#!/usr/bin/env node
/**
 * `npm run bench` (and `npm run bench -- --full` for 1,000,000 rows; `--rows N --runs K` for
 * another size, as the CI smoke run does with 10,000 rows): drives the BUILT app in
 * headless Chromium with an on-disk profile (a fresh one per run), through the UI, and prints:
 * time to first preview, review-pass time, import time and rows/s, the longest main-thread task
 * during the import, memory (peak renderer PSS in review and import, its growth from early to
 * late in the import, peak JS heaps: see memory.js); and, in the same browser and worker, the
 * floors: reading the file with no processing, and the plain-store floor (a fresh store keyed by
 * phone with an email and a name index, 5,000 per transaction) written with the very contacts the
 * import stored (the same rows, exported to a temporary file, untimed) and with as many synthetic
 * contacts, each write floor in a fresh profile of its own (see bench/bench-api.ts); then,
 * over the imported contacts, through the UI: list open, search (5 kinds), a jump in the list,
 * segment counts after a reload and warm, and memory. The 200k case runs 3 times (median, min,
 * max); 1M once.
 * Each figure, its unit and how it is measured: METRICS below. Writes the figures (and METRICS'
 * descriptions) as JSON to bench-results/latest.json. It prints figures and asserts no
 * timing; it exits non-zero only when the run itself is wrong (an import that does not end with
 * exactly the generated file's valid rows), so that the smoke run in CI cannot rot.
 *
 * Why one file of this size: it is one scenario, run in order in one browser (import, then floors
 * over the very rows imported, then queries over them), and its steps share that state; the
 * serving and the browser profile live in harness.js.
 */
import {
	createReadStream,
	createWriteStream,
	mkdirSync,
	mkdtempSync,
	readFileSync,
	rmSync,
	statSync,
	writeFileSync
} from 'node:fs';
import { once } from 'node:events';
import { createInterface } from 'node:readline';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import Papa from 'papaparse';
import { writeContactsCsv } from './gen-contacts.js';
import { xlsxFromRows } from './gen-workbook.js';
import { benchMount } from './bench-mount.js';
import { coldParts, serveBuild, withFreshProfile } from './harness.js';
import { growthMb, rendererMb, startMemorySampler } from './memory.js';

const argv = process.argv.slice(2);
const option = (name) => {
	const i = argv.indexOf(name);
	return i >= 0 ? Number(argv[i + 1]) : undefined;
};
const full = argv.includes('--full');
const runs = option('--runs') ?? Number(process.env.BENCH_RUNS ?? 3);
const onlyRows = option('--rows');
/** The largest case that also runs as an .xlsx (its workbook is built in this process's memory). */
const XLSX_MAX_ROWS = 200_000;

/**
 * Every figure the benchmark reports, in print order. `name` is its key in a run's result and in
 * bench-results/latest.json; `unit` is 'ms' or 'MB'; `label` is its printed line; `how` says how
 * it is measured (written to the JSON with the figures); `rate` adds rows per second over the
 * file's rows or the imported contacts; `group` 'contacts' figures print under their own heading.
 * Times are taken in this script around UI actions unless `how` says otherwise.
 */
const METRICS = [
	{
		name: 'preview',
		unit: 'ms',
		label: 'first preview (in page)',
		how: "in the page: the file input's change event to the preview table in the DOM"
	},
	{
		name: 'review',
		unit: 'ms',
		label: 'review pass',
		rate: 'rows',
		how: 'Next on Map columns until Review shows its rows to import'
	},
	{
		name: 'fixCount',
		unit: 'ms',
		label: 'bulk fix: count rows it changes',
		how: 'Preview fix (find and replace on Company) until the count of rows it changes shows'
	},
	{
		name: 'fixApply',
		unit: 'ms',
		label: 'bulk fix: apply (review again)',
		how: 'Apply fix until the review pass it starts has shown and removed its progress bar'
	},
	{
		name: 'import',
		unit: 'ms',
		label: 'import',
		rate: 'imported',
		how: 'Start import until the status reads Completed'
	},
	{
		name: 'xlsxPreview',
		unit: 'ms',
		label: '.xlsx of the same rows: first preview',
		how: "as the CSV's first preview, for the same rows saved as an Excel workbook (phones typed as digits stored as numbers), in a fresh profile of its own"
	},
	{
		name: 'xlsxReview',
		unit: 'ms',
		label: '.xlsx: review pass',
		rate: 'rows',
		how: "as the CSV's review pass, for the .xlsx"
	},
	{
		name: 'xlsxImport',
		unit: 'ms',
		label: '.xlsx: import',
		rate: 'imported',
		how: "as the CSV's import (no bulk fix), for the .xlsx"
	},
	{
		name: 'parseFloor',
		unit: 'ms',
		label: 'floor: read file, no processing',
		how: "the bench worker's own timing: decode and split every record of the file"
	},
	{
		name: 'copyFloor',
		unit: 'ms',
		label: 'floor: plain store, same rows',
		rate: 'imported',
		how: "the bench worker's own timing, in a fresh profile: the imported contacts written unchanged into a plain store, 5,000 per transaction"
	},
	{
		name: 'writeFloor',
		unit: 'ms',
		label: 'floor: plain store, synthetic rows',
		rate: 'imported',
		how: 'as the same-rows floor, with as many generated contacts'
	},
	{
		name: 'longestTask',
		unit: 'ms',
		label: 'longest main-thread task (import)',
		how: 'the longest longtask entry (PerformanceObserver) from Start import to Completed'
	},
	{
		name: 'reviewPssMb',
		unit: 'MB',
		label: 'review: peak renderer PSS',
		how: "the peak of the renderer processes' PSS, sampled every 500 ms during the review pass"
	},
	{
		name: 'reviewWorkerHeapMb',
		unit: 'MB',
		label: 'review: peak worker JS heap',
		how: "the peak of the largest worker's used JS heap (garbage included) during the review pass"
	},
	{
		name: 'reviewLiveMidMb',
		unit: 'MB',
		label: 'review: worker heap after GC, 50%',
		how: "the largest worker's heap after a forced full GC as a second review pass reaches 50%"
	},
	{
		name: 'reviewLiveLateMb',
		unit: 'MB',
		label: 'review: worker heap after GC, 90%',
		how: 'as at 50%, at 90%'
	},
	{
		name: 'importPssMb',
		unit: 'MB',
		label: 'import: peak renderer PSS',
		how: 'as in review, during the import'
	},
	{
		name: 'importGrowthMb',
		unit: 'MB',
		label: 'import: PSS late minus early',
		how: "the mean PSS of the import's last fifth of samples minus that of its second fifth"
	},
	{
		name: 'importWorkerHeapMb',
		unit: 'MB',
		label: 'import: peak worker JS heap',
		how: 'as in review, during the import'
	},
	{
		name: 'importPageHeapMb',
		unit: 'MB',
		label: 'import: peak page JS heap',
		how: "the peak of the page's used JS heap during the import"
	},
	{
		name: 'liveHeapEarlyMb',
		unit: 'MB',
		label: 'import: worker heap after GC, 20%',
		how: "the largest worker's heap after a forced full GC as the import reaches 20%"
	},
	{
		name: 'liveHeapLateMb',
		unit: 'MB',
		label: 'import: worker heap after GC, 90%',
		how: 'as at 20%, at 90%'
	},
	{
		name: 'listOpen',
		unit: 'ms',
		group: 'contacts',
		label: 'contacts list opens (after reload)',
		how: 'a full load of /contacts until its first row shows'
	},
	{
		name: 'listOpenWarm',
		unit: 'ms',
		group: 'contacts',
		label: 'contacts list opens (in the app)',
		how: "the Contacts link from Segments (the worker's index warm) until the first row shows"
	},
	{
		name: 'firstSearch',
		unit: 'ms',
		group: 'contacts',
		label: 'first search after reload',
		how: 'typing into the search box after a full load of /contacts until a result shows'
	},
	{
		name: 'searchName',
		unit: 'ms',
		group: 'contacts',
		label: 'search: name prefix',
		how: 'typing the query until a matching result shows'
	},
	{
		name: 'searchEmail',
		unit: 'ms',
		group: 'contacts',
		label: 'search: email',
		how: 'as the name search'
	},
	{
		name: 'searchPhone',
		unit: 'ms',
		group: 'contacts',
		label: 'search: phone, national format',
		how: 'as the name search'
	},
	{
		name: 'searchCompany',
		unit: 'ms',
		group: 'contacts',
		label: 'search: company word',
		how: 'as the name search'
	},
	{
		name: 'searchTag',
		unit: 'ms',
		group: 'contacts',
		label: 'search: tag',
		how: 'as the name search'
	},
	{
		name: 'jump',
		unit: 'ms',
		group: 'contacts',
		label: 'list: jump to the middle',
		how: 'scrolling the list to its middle until a row there shows a link'
	},
	{
		name: 'segmentCold',
		unit: 'ms',
		group: 'contacts',
		label: 'segment count, 3 conditions, reload',
		how: "after a full load: the last condition's value typed until the expected count shows, less the UI's 150 ms debounce"
	},
	{
		name: 'segmentWarm',
		unit: 'ms',
		group: 'contacts',
		label: 'segment count, 3 conditions, warm',
		how: 'as after a reload, in the same worker, with another name'
	},
	{
		name: 'segmentCallable',
		unit: 'ms',
		group: 'contacts',
		label: 'segment count with callable_now, warm',
		how: 'the third condition made callable_now equals yes (every contact in New York, hours 08:00–21:00): typed until the expected count shows, less the debounce'
	},
	{
		name: 'queriesLongestTask',
		unit: 'ms',
		group: 'contacts',
		label: 'longest main-thread task (queries)',
		how: "the longest longtask entry while the contact figures run (each page's start-up left out)"
	},
	{
		name: 'contactsPssMb',
		unit: 'MB',
		group: 'contacts',
		label: 'contacts open and searched: PSS',
		how: "the renderer processes' PSS after the searches and the jump"
	}
];
// `--app-dir DIR` serves a copy of the build, so that the app can be rebuilt while a long run goes on.
const appDir = argv.includes('--app-dir') ? argv[argv.indexOf('--app-dir') + 1] : 'build';
const server = await serveBuild(appDir, 10_000, benchMount());
const base = server.origin;
const dir = mkdtempSync(join(tmpdir(), 'callaro-bench-'));

/** Opens the benchmark's own page (bench/) and waits for its worker's API. */
async function openBench(page) {
	await page.goto(`${base}/bench/`);
	await page.waitForFunction(() => 'callaroBench' in window);
}

/** Runs `fn(page)` on the bench page in a fresh profile of its own. */
function inFreshProfile(fn) {
	return withFreshProfile(async ({ page }) => {
		await openBench(page);
		return fn(page);
	});
}

/** Writes the stored contacts to `path`, one JSON array of up to 2,000 per line. */
async function exportContacts(page, path) {
	const out = createWriteStream(path);
	let after;
	let n = 0;
	for (;;) {
		const batch = await page.evaluate((a) => window.callaroBench.exportContacts(a), after);
		if (batch.length === 0) break;
		n += batch.length;
		after = batch[batch.length - 1].phone;
		if (!out.write(`${JSON.stringify(batch)}\n`)) await once(out, 'drain');
	}
	await new Promise((r) => out.end(r));
	return n;
}

/**
 * A do-not-call file of `size` numbers: every tenth of the generated file's phones (so that the
 * list holds some of the import's rows), the rest numbers the file does not have.
 */
async function writeDncFile(path, size, rows) {
	const out = createWriteStream(path);
	let buf = '';
	let listedRows = 0;
	for (let k = 0; k < size; k++) {
		if (k % 10 === 0 && k < rows) {
			buf += `+1212${200 + Math.floor(k / 10_000)}${String(k % 10_000).padStart(4, '0')}\n`;
			if (k % 997 !== 0 && k % 1009 !== 0) listedRows++;
		} else buf += `+1646${String(2_000_000 + k).padStart(7, '0')}\n`;
		if (buf.length > 1 << 16) {
			if (!out.write(buf)) await once(out, 'drain');
			buf = '';
		}
	}
	out.write(buf);
	await new Promise((r) => out.end(r));
	return listedRows;
}

/**
 * The import again with a do-not-call list of `size` numbers loaded in Settings and the Review's
 * `Skip do-not-call numbers` on (each row is then looked up): the list's load time, and the
 * import's time, to compare with the import without a list in the same run.
 */
function dncImportOnce(file, rows, size) {
	return withFreshProfile(async ({ page }) => {
		const list = join(dir, `dnc-${size}.txt`);
		const listed = await writeDncFile(list, size, rows);
		await page.goto(`${base}/settings`);
		let t = performance.now();
		await page.getByLabel('Do-not-call file').setInputFiles(list);
		await page
			.getByTestId('dnc-count')
			.filter({ hasText: size.toLocaleString('en-US') })
			.waitFor({ timeout: 600_000 });
		const loadMs = performance.now() - t;
		await page.goto(`${base}/import`);
		await page.getByLabel('Contacts file').setInputFiles(file);
		await page.getByRole('table', { name: 'Preview' }).waitFor();
		await page.getByRole('button', { name: 'Next' }).click();
		await page.getByRole('heading', { name: 'Map columns' }).waitFor();
		await page.getByRole('button', { name: 'Next' }).click();
		await page.getByTestId('review-rows-to-import').waitFor({ timeout: 1_800_000 });
		const shown = Number(
			(await page.getByTestId('review-do-not-call').textContent()).replace(/\D/g, '')
		);
		if (shown !== listed) throw new Error(`The Review counts ${shown} listed rows, not ${listed}.`);
		await page.getByRole('checkbox', { name: 'Skip do-not-call numbers' }).check();
		await page.getByRole('button', { name: 'Next' }).click();
		t = performance.now();
		await page.getByRole('button', { name: 'Start import' }).click();
		await page
			.getByTestId('import-status')
			.filter({ hasText: 'Completed' })
			.waitFor({ timeout: 3_600_000 });
		const importMs = performance.now() - t;
		rmSync(list, { force: true });
		return { loadMs, importMs, listed };
	});
}

/**
 * The plain-store floor: the exported contacts written again, unchanged, 5,000 per transaction,
 * into a fresh database (keyed by phone, with an email and a name index) in a fresh profile; only
 * the writes are timed. Returns [contacts written, ms].
 */
function sameRowsFloor(path) {
	return inFreshProfile(async (page) => {
		let n = 0;
		let ms = 0;
		for await (const line of createInterface({ input: createReadStream(path) })) {
			const batch = JSON.parse(line);
			ms += await page.evaluate((b) => window.callaroBench.writeScratch(b), batch);
			n += batch.length;
		}
		return [n, ms];
	});
}

/** The same plain store, with as many generated contacts, in a fresh profile. */
function syntheticFloor(rows) {
	return inFreshProfile((page) => page.evaluate((n) => window.callaroBench.writeFloor(n), rows));
}

async function run(file, rows, workbook) {
	const result = await importOnce(file, rows);
	const none = { preview: NaN, review: NaN, import: NaN, imported: result.imported };
	const book = workbook ? await workbookOnce(workbook) : none;
	if (book.imported !== result.imported) {
		throw new Error(
			`The .xlsx import ended with ${book.imported} contacts, not ${result.imported}.`
		);
	}
	const [copied, copyMs] = await sameRowsFloor(join(dir, 'contacts.ndjson'));
	if (copied !== result.imported) {
		throw new Error(`The same-rows floor wrote ${copied} contacts, not ${result.imported}.`);
	}
	const writeMs = await syntheticFloor(result.imported);
	rmSync(join(dir, 'contacts.ndjson'), { force: true });
	return {
		...result,
		xlsxPreview: book.preview,
		xlsxReview: book.review,
		xlsxImport: book.import,
		copyFloor: copyMs,
		writeFloor: writeMs
	};
}

/**
 * The same rows as an `.xlsx`, through the same UI steps as the CSV (without the bulk fix), in a
 * fresh profile: time to first preview (in the page), review pass and import.
 */
function workbookOnce(file) {
	return withFreshProfile(async ({ page }) => {
		await page.goto(`${base}/import`);
		await page.getByRole('heading', { name: 'Upload' }).waitFor();
		await watchPreview(page);
		await page.getByLabel('Contacts file').setInputFiles(file);
		await page.getByRole('table', { name: 'Preview' }).waitFor({ timeout: 600_000 });
		const preview = await page.waitForFunction(() => window.__previewMs).then((h) => h.jsonValue());
		await page.getByRole('button', { name: 'Next' }).click();
		await page.getByRole('heading', { name: 'Map columns' }).waitFor();
		let t = performance.now();
		await page.getByRole('button', { name: 'Next' }).click();
		await page.getByTestId('review-rows-to-import').waitFor({ timeout: 1_800_000 });
		const review = performance.now() - t;
		await page.getByLabel('Auto-create custom fields for unmapped columns').check();
		await page.getByRole('button', { name: 'Next' }).click();
		t = performance.now();
		await page.getByRole('button', { name: 'Start import' }).click();
		await page
			.getByTestId('import-status')
			.filter({ hasText: 'Completed' })
			.waitFor({ timeout: 3_600_000 });
		const importMs = performance.now() - t;
		const imported = Number(
			(await page.getByTestId('import-imported').textContent()).replace(/\D/g, '')
		);
		return { preview, review, import: importMs, imported };
	});
}

/**
 * Times the preview in the page: from the file input's change event to the moment the preview
 * table is in the DOM (Playwright's own round trips left out). Read it from `window.__previewMs`.
 */
function watchPreview(page) {
	return page.evaluate(() => {
		const w = window;
		document.querySelector('#csv-file').addEventListener(
			'change',
			() => {
				w.__pickedAt = performance.now();
				const seen = () => {
					if (document.querySelector('table[aria-label="Preview"]')) {
						w.__previewMs = performance.now() - w.__pickedAt;
						observer.disconnect();
					}
				};
				const observer = new MutationObserver(seen);
				observer.observe(document.body, { childList: true, subtree: true });
			},
			{ capture: true, once: true }
		);
	});
}

function importOnce(file, rows) {
	return withFreshProfile(async ({ context, page }) => {
		await page.addInitScript(() => {
			const w = window;
			w.__longest = 0;
			new PerformanceObserver((list) => {
				for (const e of list.getEntries()) w.__longest = Math.max(w.__longest, e.duration);
			}).observe({ type: 'longtask', buffered: true });
		});
		const memory = await startMemorySampler(context, page);
		await page.goto(`${base}/import`);
		await page.getByRole('heading', { name: 'Upload' }).waitFor();
		await watchPreview(page);
		await page.getByLabel('Contacts file').setInputFiles(file);
		await page.getByRole('table', { name: 'Preview' }).waitFor();
		const previewMs = await page
			.waitForFunction(() => window.__previewMs)
			.then((h) => h.jsonValue());
		await page.getByRole('button', { name: 'Next' }).click();
		await page.getByRole('heading', { name: 'Map columns' }).waitFor();
		memory.phase('review');
		let t = performance.now();
		await page.getByRole('button', { name: 'Next' }).click();
		await page.getByTestId('review-rows-to-import').waitFor({ timeout: 1_800_000 });
		const reviewMs = performance.now() - t;
		// Lead Source becomes a custom field, so that segments can filter on one.
		await page.getByLabel('Auto-create custom fields for unmapped columns').check();
		const { fixCountMs, fixApplyMs } = await bulkFix(page);
		const reviewLive = await reviewLiveHeap(page, memory);
		await page.getByRole('button', { name: 'Next' }).click();
		await page.evaluate(() => (window.__longest = 0));
		memory.phase('import');
		t = performance.now();
		await page.getByRole('button', { name: 'Start import' }).click();
		// What the workers hold (after a forced full GC) a fifth of the way in and near the end:
		// memory flat in the file's size means these two are close.
		const done = page
			.getByTestId('import-status')
			.filter({ hasText: 'Completed' })
			.waitFor({ timeout: 3_600_000 });
		const [early, late] = await liveHeapAt(page, 'Import progress', memory, [0.2, 0.9]);
		const live = { early, late };
		await done;
		const importMs = performance.now() - t;
		const mem = await memory.stop();
		const longestTaskMs = await page.evaluate(() => window.__longest);
		const imported = Number(
			(await page.getByTestId('import-imported').textContent()).replace(/\D/g, '')
		);
		const queries = await contactQueries(page, imported, rows);
		// Floors, in the same browser and the same parsing code, from the benchmark's own page.
		await openBench(page);
		await page.locator('#bench-file').setInputFiles(file);
		const [records, parseMs] = await page.evaluate(() =>
			window.callaroBench.parseFloor(document.querySelector('#bench-file').files[0])
		);
		// The same-rows floor's input: the contacts the import stored, exported page by page.
		const exported = await exportContacts(page, join(dir, 'contacts.ndjson'));
		if (exported !== imported) {
			throw new Error(`${exported} contacts are stored, not the ${imported} imported.`);
		}
		return {
			rows,
			imported,
			records,
			preview: previewMs,
			review: reviewMs,
			fixCount: fixCountMs,
			fixApply: fixApplyMs,
			import: importMs,
			longestTask: longestTaskMs,
			reviewPssMb: mem.review.peakPss,
			reviewWorkerHeapMb: mem.review.peakWorkerHeap,
			importPssMb: mem.import.peakPss,
			importGrowthMb: growthMb(mem.import.samples),
			importWorkerHeapMb: mem.import.peakWorkerHeap,
			importPageHeapMb: mem.import.peakPageHeap,
			...queries,
			reviewLiveMidMb: reviewLive.mid,
			reviewLiveLateMb: reviewLive.late,
			liveHeapEarlyMb: live.early,
			liveHeapLateMb: live.late,
			parseFloor: parseMs
		};
	});
}

/**
 * How many rows of the generated file (gen-contacts.js) the bench's segment holds: tag `list 3`
 * (row i % 7 = 3), lead source Web (every row) and the first name (names cycle by 8), with a
 * usable phone.
 */
/** Rows with tag `list 3` and a usable phone (the segment without its first-name condition). */
function expectedListed(rows) {
	let n = 0;
	for (let i = 0; i < rows; i++) if (i % 7 === 3 && i % 997 !== 0 && i % 1009 !== 0) n++;
	return n;
}

const FIRST_NAMES = ['ada', 'josé', 'zoë', 'łukasz', 'søren', 'mei', 'olu', 'ana'];
function expectedCount(rows, first) {
	const at = FIRST_NAMES.indexOf(first);
	let n = 0;
	for (let i = 0; i < rows; i++) {
		if (i % 7 === 3 && i % 8 === at && i % 997 !== 0 && i % 1009 !== 0) n++;
	}
	return n;
}

/**
 * Search, list and segments over the imported contacts, through the UI, in the import's profile:
 * the list's open time after a reload, the first search after a reload, five kinds of search, a
 * jump to the middle of the list, a segment count with three conditions (one on a custom field)
 * after a reload and warm, and the renderer's PSS with the contacts open and searched.
 */
async function contactQueries(page, imported, rows) {
	// The longest main-thread task while the queries run (each navigation starts the observer
	// again; the page's own start-up is left out).
	let longest = 0;
	const goto = async (url) => {
		longest = Math.max(longest, await page.evaluate(() => window.__longest ?? 0));
		await page.goto(url);
		await page.evaluate(() => (window.__longest = 0));
	};
	const list = page.getByRole('list', { name: 'Contacts' });
	const results = page.getByRole('list', { name: 'Search results' });
	const box = page.getByLabel('Search contacts');
	// Opening: a full load of /contacts (a new worker reads the index) until the first row shows.
	await goto(`${base}/`);
	let t = performance.now();
	await goto(`${base}/contacts`);
	await list.getByRole('link').first().waitFor({ timeout: 600_000 });
	const listOpenMs = performance.now() - t;
	const listOpenParts = await coldParts(page);
	// The first search after a reload.
	await goto(`${base}/`);
	await goto(`${base}/contacts`);
	await box.waitFor();
	t = performance.now();
	await box.fill('zoë');
	await results.getByRole('link').first().waitFor({ timeout: 600_000 });
	const firstSearchMs = performance.now() - t;
	const firstSearchParts = await coldParts(page);
	// A row in the middle of the file whose first name is Olu (gen-contacts.js: names cycle by 8).
	let k = Math.floor(imported / 16) * 8 + 6;
	while (k % 997 === 0 || k % 1009 === 0 || k % 1013 === 0) k += 8;
	const n = `${200 + Math.floor(k / 10_000)}${String(k % 10_000).padStart(4, '0')}`;
	const searches = {
		name: ['søren', 'Søren'],
		email: [`olu.${k}@`, 'Olu'],
		phone: [`(212) ${n.slice(0, 3)}-${n.slice(3)}`, ''],
		company: ['company 123', ''],
		tag: ['list 3', '']
	};
	const searchMs = {};
	for (const [kind, [q, expect]] of Object.entries(searches)) {
		await box.fill('');
		t = performance.now();
		await box.fill(q);
		await results
			.getByRole('link')
			.filter({ hasText: expect })
			.first()
			.waitFor({ timeout: 60_000 });
		searchMs[kind] = performance.now() - t;
	}
	await box.fill('');
	// A jump: scroll the list to its middle and wait for a row there.
	await list.getByRole('link').first().waitFor();
	t = performance.now();
	await list.evaluate((el) => (el.scrollTop = el.scrollHeight / 2));
	await page.waitForFunction(
		() => {
			const el = document.querySelector('[aria-label="Contacts"]');
			const top = el.scrollTop;
			return [...el.querySelectorAll('[role="listitem"]')].some(
				(row) => Math.abs(parseFloat(row.style.top) - top) < 200 && row.querySelector('a')
			);
		},
		null,
		{ timeout: 60_000, polling: 'raf' }
	);
	const jumpMs = performance.now() - t;
	const contactsPssMb = rendererMb();
	// A segment: first name equals Ada, a tag, and the custom field Lead Source.
	const count = page.getByTestId('segment-count');
	const segment = async (first) => {
		await goto(`${base}/segments`);
		await page.getByRole('button', { name: 'New segment' }).click();
		const set = async (i, field, operator, value) => {
			await page.getByLabel('Field', { exact: true }).nth(i).selectOption(field);
			await page.getByLabel('Operator', { exact: true }).nth(i).selectOption(operator);
			await page.getByLabel('Value', { exact: true }).nth(i).fill(value);
		};
		await set(0, 'tags', 'has_tag', 'list 3');
		await page.getByRole('button', { name: 'Add condition' }).click();
		await set(1, 'cf:lead_source', 'equals', 'web');
		await page.getByRole('button', { name: 'Add condition' }).click();
		await page.getByLabel('Field', { exact: true }).nth(2).selectOption('first_name');
		await page.getByLabel('Operator', { exact: true }).nth(2).selectOption('equals');
		t = performance.now();
		await page.getByLabel('Value', { exact: true }).nth(2).fill(first);
		await shows(expectedCount(rows, first));
		return performance.now() - t;
	};
	// Waits until the count shows `n` (it is checked, not only timed).
	const shows = (n) =>
		page.waitForFunction(
			(text) => document.querySelector('[data-testid="segment-count"]')?.textContent === text,
			n.toLocaleString('en-US'),
			{ timeout: 600_000, polling: 'raf' }
		);
	// After a reload: a fresh page and worker (the index is read first).
	await goto(`${base}/`);
	const segmentColdMs = await segment('ada');
	// Warm: the same worker, another name whose count differs (so that the change is seen).
	const other =
		FIRST_NAMES.find((f) => expectedCount(rows, f) !== expectedCount(rows, 'ada')) ?? 'ana';
	t = performance.now();
	await page.getByLabel('Value', { exact: true }).nth(2).fill(other);
	await shows(expectedCount(rows, other));
	// The debounce before a count starts (150 ms) is the UI's, not the count's: left out.
	const segmentWarmMs = performance.now() - t - 150;
	const segmentCount = Number((await count.textContent()).replace(/\D/g, ''));
	// The third condition becomes callable_now equals yes (every generated row is in New York):
	// a count over every contact's zone at the page's clock, with the calling hours 08:00–21:00.
	await page.getByLabel('Field', { exact: true }).nth(2).selectOption('callable_now');
	const nyHour = Number(
		new Intl.DateTimeFormat('en-US', {
			timeZone: 'America/New_York',
			hour: '2-digit',
			hourCycle: 'h23'
		}).format(Date.now())
	);
	const callable = nyHour >= 8 && nyHour < 21;
	t = performance.now();
	await page.getByLabel('Value', { exact: true }).nth(2).fill('yes');
	await shows(callable ? expectedListed(rows) : 0);
	const segmentCallableMs = performance.now() - t - 150;
	// The list opened from another page of the app (its worker, and so the index, is warm).
	t = performance.now();
	await page.getByRole('link', { name: 'Contacts', exact: true }).click();
	await list.getByRole('link').first().waitFor({ timeout: 600_000 });
	const listOpenWarmMs = performance.now() - t;
	return {
		listOpen: listOpenMs,
		listOpenParts,
		listOpenWarm: listOpenWarmMs,
		firstSearch: firstSearchMs,
		firstSearchParts,
		searchName: searchMs.name,
		searchEmail: searchMs.email,
		searchPhone: searchMs.phone,
		searchCompany: searchMs.company,
		searchTag: searchMs.tag,
		jump: jumpMs,
		segmentCold: segmentColdMs - 150,
		segmentWarm: segmentWarmMs,
		segmentCallable: segmentCallableMs,
		segmentCount,
		queriesLongestTask: Math.max(longest, await page.evaluate(() => window.__longest ?? 0)),
		contactsPssMb
	};
}

/**
 * A bulk fix in Review (find and replace on every row's Company): the time to count the rows it
 * changes, and the time to apply it, which saves the draft and runs the review pass again.
 */
async function bulkFix(page) {
	await page.getByText('Fix a whole column').click();
	await page.getByLabel('Column', { exact: true }).selectOption({ label: 'Company' });
	await page.getByLabel('Find').fill(', Inc.');
	await page.getByLabel('Replace with').fill(' Inc');
	let t = performance.now();
	await page.getByRole('button', { name: 'Preview fix' }).click();
	await page
		.getByTestId('bulk-fix-count')
		.filter({ hasText: 'changes' })
		.waitFor({ timeout: 1_800_000 });
	const fixCountMs = performance.now() - t;
	// The review's progress bar comes and goes: a MutationObserver sees both, however fast.
	await page.evaluate(() => {
		const w = window;
		w.__fixDone = false;
		const isBar = (n) =>
			n.nodeType === 1 &&
			(n.matches('[aria-label="Review progress"]') ||
				n.querySelector('[aria-label="Review progress"]'));
		let started = false;
		new MutationObserver((records, observer) => {
			for (const r of records) {
				if ([...r.addedNodes].some(isBar)) started = true;
				if (started && [...r.removedNodes].some(isBar)) {
					w.__fixDone = true;
					observer.disconnect();
				}
			}
		}).observe(document.body, { childList: true, subtree: true });
	});
	t = performance.now();
	await page.getByRole('button', { name: 'Apply fix' }).click();
	await page.waitForFunction(() => window.__fixDone, null, { timeout: 1_800_000, polling: 50 });
	await page.getByTestId('review-rows-to-import').waitFor();
	return { fixCountMs, fixApplyMs: performance.now() - t };
}

/**
 * The workers' live heap (forced full GC) when the progress bar named `label` passes each fraction
 * in `marks`: what a phase holds as it goes. NaN for a mark the phase ended before (a short file).
 */
async function liveHeapAt(page, label, memory, marks) {
	const out = marks.map(() => NaN);
	const bar = `[role="progressbar"][aria-label="${label}"]`;
	// Wait for the bar itself: the step may still show the previous pass's result.
	if (
		!(await page.waitForSelector(bar, { timeout: 10_000 }).then(
			() => true,
			() => false
		))
	)
		return out;
	for (let i = 0; i < marks.length; i++) {
		// Checked on every frame in the page; a bar that is gone means the phase has ended.
		const passed = await page
			.waitForFunction(
				([selector, mark]) => {
					const el = document.querySelector(selector);
					if (!el) return 'ended';
					const now = Number(el.getAttribute('aria-valuenow'));
					return now / Number(el.getAttribute('aria-valuemax')) >= mark && 'passed';
				},
				[bar, marks[i]],
				{ timeout: 0 }
			)
			.then((h) => h.jsonValue());
		if (passed === 'ended') break;
		out[i] = await memory.liveWorkerHeap();
	}
	return out;
}

/** One more review pass, untimed (Back to Map columns, then Next), with its live heap at 50%, 90%. */
async function reviewLiveHeap(page, memory) {
	await page.getByRole('button', { name: 'Back' }).click();
	await page.getByRole('heading', { name: 'Map columns' }).waitFor();
	await page.getByRole('button', { name: 'Next' }).click();
	const [mid, late] = await liveHeapAt(page, 'Review progress', memory, [0.5, 0.9]);
	await page.getByTestId('review-rows-to-import').waitFor({ timeout: 1_800_000 });
	return { mid, late };
}

const median = (xs) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];
const fmt = (ms) => (ms >= 10_000 ? `${(ms / 1000).toFixed(1)} s` : `${Math.round(ms)} ms`);

/** The median, min and max of one figure over the runs. */
function stat(all, name) {
	const xs = all.map((r) => r[name]);
	return { median: median(xs), min: Math.min(...xs), max: Math.max(...xs) };
}

/** One metric's line: median, then min and max over the runs, and its rate when it has one. */
function printMetric(metric, s, summary) {
	const label = `  ${metric.label.padEnd(34)}`;
	if (metric.unit === 'MB') {
		console.log(
			Number.isNaN(s.median)
				? `${label} ${'n/a'.padStart(9)}  (the pass ended before it could be sampled)`
				: `${label} ${`${Math.round(s.median)} MB`.padStart(9)}  (min ${Math.round(s.min)}, max ${Math.round(s.max)})`
		);
		return;
	}
	if (Number.isNaN(s.median)) {
		console.log(`${label} ${'n/a'.padStart(9)}  (not measured at this size)`);
		return;
	}
	const over = metric.rate === 'rows' ? summary.rows : summary.imported;
	const rate = metric.rate
		? `  ${Math.round(over / (s.median / 1000)).toLocaleString('en-US')} rows/s`
		: '';
	console.log(
		`${label} ${fmt(s.median).padStart(9)}  (min ${fmt(s.min)}, max ${fmt(s.max)})${rate}`
	);
}

try {
	const cases = onlyRows ? [{ rows: onlyRows, runs }] : [{ rows: 200_000, runs }];
	if (full) cases.push({ rows: 1_000_000, runs: 1 });
	const results = [];
	for (const c of cases) {
		const file = join(dir, `contacts-${c.rows}.csv`);
		const expected = await writeContactsCsv(file, c.rows);
		const mb = statSync(file).size / 1e6;
		// The same rows as an Excel workbook, for the .xlsx figures beside the CSV's. Built in
		// memory here, so not for the 1M case (the .xlsx target is set at 200k rows).
		const workbook = c.rows <= XLSX_MAX_ROWS ? join(dir, `contacts-${c.rows}.xlsx`) : undefined;
		if (workbook) {
			const rows = Papa.parse(readFileSync(file, 'utf8'), { skipEmptyLines: true }).data;
			writeFileSync(workbook, xlsxFromRows(rows));
		}
		const xlsxMb = workbook ? statSync(workbook).size / 1e6 : NaN;
		const all = [];
		for (let i = 0; i < c.runs; i++) {
			const result = await run(file, c.rows, workbook);
			if (result.imported !== expected) {
				throw new Error(`The import ended with ${result.imported} contacts, not ${expected}.`);
			}
			all.push(result);
		}
		const summary = {
			rows: c.rows,
			fileMb: Number(mb.toFixed(1)),
			runs: c.runs,
			imported: all[0].imported,
			...Object.fromEntries(METRICS.map((m) => [m.name, stat(all, m.name)]))
		};
		results.push(summary);
		console.log(
			`\n${c.rows.toLocaleString('en-US')} rows, ${mb.toFixed(1)} MB (as .xlsx ${workbook ? `${xlsxMb.toFixed(1)} MB` : 'not measured'}), ${c.runs} run(s), on-disk profile`
		);
		let group;
		for (const metric of METRICS) {
			if (metric.group !== group && metric.group === 'contacts') {
				console.log(`  contacts (${summary.imported.toLocaleString('en-US')}), through the UI:`);
			}
			group = metric.group;
			printMetric(metric, summary[metric.name], summary);
		}
		// Where the cold opens went, run by run (ms after navigation start, or durations).
		const parts = (p) =>
			Object.entries(p)
				.map(([k, v]) => `${k} ${v}`)
				.join(', ');
		for (const r of all) {
			console.log(`    list open parts: ${parts(r.listOpenParts)}`);
			console.log(`    first search parts: ${parts(r.firstSearchParts)}`);
		}
		// Once per size: a list of a million numbers (fewer for small smoke runs).
		const dncSize = Math.min(1_000_000, c.rows * 5);
		const dnc = await dncImportOnce(file, c.rows, dncSize);
		const plainRate = (c.rows / summary.import.median) * 1000;
		const dncRate = (c.rows / dnc.importMs) * 1000;
		console.log(
			`  do-not-call list of ${dncSize.toLocaleString('en-US')} numbers: loaded in ${Math.round(dnc.loadMs).toLocaleString('en-US')} ms; import with it (${dnc.listed.toLocaleString('en-US')} rows listed and skipped) ${Math.round(dncRate).toLocaleString('en-US')} rows/s vs ${Math.round(plainRate).toLocaleString('en-US')} rows/s without (ratio ${(dncRate / plainRate).toFixed(2)})`
		);
		summary.doNotCall = { size: dncSize, ...dnc };
		const ratio = (a, b) => (summary[a].median / summary[b].median).toFixed(2);
		console.log(
			`  ratios: import / plain-store floor (same rows) = ${ratio('import', 'copyFloor')}, import / plain-store floor (synthetic) = ${ratio('import', 'writeFloor')}, review / read floor = ${ratio('review', 'parseFloor')}, .xlsx / CSV: import ${ratio('xlsxImport', 'import')}, review ${ratio('xlsxReview', 'review')}`
		);
	}
	mkdirSync('bench-results', { recursive: true });
	writeFileSync(
		'bench-results/latest.json',
		JSON.stringify(
			{
				at: new Date().toISOString(),
				metrics: METRICS.map(({ name, unit, how }) => ({ name, unit, how })),
				results
			},
			null,
			2
		)
	);
	console.log('\nwritten: bench-results/latest.json');
} finally {
	server.close();
	rmSync(dir, { recursive: true, force: true });
}
