/**
 * `npm run bench` (after the Chromium benchmark) and `bench:smoke`: the same import in each
 * engine (Chromium, Firefox, WebKit; ENGINES chooses), through the UI with the cross-engine driver
 * (tests/cross), on the plain CPU and again with the CPU slowed down (`--slowdown 4` by default,
 * as a mid-range phone runs; `--slowdown 1` skips it), each in a fresh browser. For each: first
 * preview, review pass, import, the content processes' peak PSS during the import and its growth,
 * then over the imported contacts: the list's cold open after a reload, the first search after a
 * reload, five kinds of search (name, email, phone, company, tag), and the PSS with the contacts
 * open and searched. Beside them, each engine's own floors measured in the same run: reading the
 * file with no processing (the review's floor) and the plain-store floor (a fresh store keyed by
 * phone with an email and a name index, 5,000 per transaction; bench/bench-api.ts), each in a
 * fresh browser of its own. Memory and the slowdown: engine-processes.ts. Prints figures; asserts
 * no time. It fails only when an import does not end with exactly the file's valid rows.
 *
 * Times are taken in the page (performance.now()) from the event that starts a step (the file
 * input's change, a click, typing) to the first moment a MutationObserver sees its result in the
 * DOM. The list's cold open is taken from the page's navigation start to its first row and count.
 * Chromium and Firefox run on on-disk profiles; WebKit's automation sessions keep IndexedDB in
 * memory (like a private window), which flatters its write figures against the others.
 *
 * Usage: node --import tsx scripts/bench-engines.ts [--rows 100000] [--slowdown 4]
 *        [--slowed chromium,firefox]   (the engines measured slowed too; all by default)
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { writeContactsCsv } from './gen-contacts.js';
import { benchMount } from './bench-mount.js';
import { enginesToTest, type Engine } from '../tests/cross/browsers';
import { waitFor, type Page } from '../tests/cross/driver';
import { next, openDevice, serveApp } from '../tests/cross/app';
import { samplePss, slowDown, type Slowdown } from './engine-processes';
import { growthMb } from './memory.js';

const argv = process.argv.slice(2);
const option = (name: string, fallback: number) => {
	const i = argv.indexOf(name);
	return i >= 0 ? Number(argv[i + 1]) : fallback;
};
const rows = option('--rows', 100_000);
/** `--slowdown 1` runs the plain CPU only. */
const slowdownFactor = option('--slowdown', 4);
/** The engines also measured slowed down (the smoke run slows one, to keep that path working). */
const slowedArg = argv.indexOf('--slowed');
const slowedEngines = slowedArg >= 0 ? argv[slowedArg + 1].split(',') : null;

/** In the page: records when `start` (an event type) next fires and when `selector` shows `pattern`. */
const ARM = `
	const [start, selector, pattern] = args;
	window.__mark = { t0: null, t1: null };
	const re = new RegExp(pattern);
	document.addEventListener(start, () => { if (window.__mark.t0 === null) window.__mark.t0 = performance.now(); }, { capture: true, once: true });
	const check = () => {
		const el = document.querySelector(selector);
		if (el && re.test(el.textContent) && window.__mark.t0 !== null && window.__mark.t1 === null) {
			window.__mark.t1 = performance.now();
			observer.disconnect();
		}
	};
	const observer = new MutationObserver(check);
	observer.observe(document.body, { subtree: true, childList: true, characterData: true });
`;

async function measured(
	page: Page,
	start: string,
	selector: string,
	pattern: string,
	act: () => Promise<void>,
	timeoutMs = 900_000
) {
	await page.run(ARM, [start, selector, pattern]);
	await act();
	const mark = await waitFor(
		() =>
			page.run<{ t0: number; t1: number } | null>(
				'const m = window.__mark; return m && m.t1 !== null ? m : null'
			),
		`${selector} to read ${pattern}`,
		timeoutMs
	);
	return mark.t1 - mark.t0;
}

/** The figures of one engine in one mode (plain, or slowed down). */
interface Figures {
	preview: number;
	review: number;
	import: number;
	/** The peak and the growth (late minus early) of the content processes' PSS during the import. */
	importPeakMb: number;
	importGrowthMb: number;
	/** After a reload: navigation start to the first row and the count shown. */
	coldOpen: number;
	/** After a reload: typing to the first result. */
	firstSearch: number;
	/** Typing to the first result, by kind of search (the index is warm). */
	search: Record<string, number>;
	/** The content processes' PSS with the contacts open and searched. */
	contactsPssMb: number;
	/** The slowdown achieved on the page's main thread and in a worker (1 when plain). */
	slowdown: { main: number; worker: number };
}

interface Floors {
	readFloor: number;
	storeFloor: number;
}

/** A row in the middle of the file, and the searches over it (gen-contacts.js's values). */
function searches(expected: number): [string, string, string][] {
	let k = Math.floor(expected / 16) * 8 + 6;
	while (k % 997 === 0 || k % 1009 === 0 || k % 1013 === 0) k += 8;
	const n = `${200 + Math.floor(k / 10_000)}${String(k % 10_000).padStart(4, '0')}`;
	return [
		['name', 'søren', 'Søren'],
		['email', `olu.${k}@`, 'Olu'],
		['phone', `(212) ${n.slice(0, 3)}-${n.slice(3)}`, ''],
		['company', 'company 123', ''],
		['tag', 'list 3', '']
	];
}

/** Typing `query` into the search box until a result whose text has `expect` shows. */
async function searchOnce(page: Page, query: string, expect: string): Promise<number> {
	const box = page.label('Search contacts');
	await box.fill('');
	return measured(
		page,
		'input',
		'[aria-label="Search results"] a',
		expect.replace(/[.*+?^${}()|[\]\\]/g, '\\$&'),
		() => box.fill(query),
		120_000
	);
}

const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];

/** How much slower the page's main thread and a worker run than `plain` (their unslowed ms). */
async function calibrate(page: Page): Promise<{ main: number; worker: number }> {
	await page.goto('/bench/');
	await waitFor(() => page.run<boolean>('return !!window.callaroBench'), 'the benchmark worker');
	const main: number[] = [];
	const worker: number[] = [];
	for (let i = 0; i < 3; i++) {
		main.push(await page.run<number>('return window.callaroSpin(args[0]);', [SPIN_LOOPS]));
		worker.push(await page.run<number>('return window.callaroBench.spin(args[0]);', [SPIN_LOOPS]));
	}
	return { main: median(main), worker: median(worker) };
}
/** Enough arithmetic to take about 100 ms here, unslowed. */
const SPIN_LOOPS = 100_000_000;

async function benchEngine(
	engine: Engine,
	origin: string,
	file: string,
	expected: number,
	factor: number
): Promise<Figures> {
	const app = await openDevice(engine, origin);
	const procs = app.page.backend.processes();
	if (!procs) throw new Error(`${engine}: the browser's processes are unknown`);
	const memory = samplePss(engine, procs.root);
	const { page } = app;
	const step = (what: string) =>
		console.error(`${engine}${factor > 1 ? ` (${factor}× slower)` : ''}: ${what}`);
	let slowdown: Slowdown | undefined;
	try {
		// Unslowed first, then slowed: the ratio is the slowdown achieved.
		const plainSpin = await calibrate(page);
		if (factor > 1) slowdown = slowDown(procs.root, factor, procs.notBrowser);
		const spun = factor > 1 ? await calibrate(page) : plainSpin;
		step('preview');
		await page.goto('/import');
		await page.heading('Upload');
		const preview = await measured(page, 'change', 'table[aria-label=Preview]', '', () =>
			page.label('Contacts file', { prefix: true }).upload(file)
		);
		await next(page, 'Map columns');
		step('review');
		const review = await measured(page, 'click', '[data-testid=review-rows-to-import]', '\\d', () =>
			page.role('button', 'Next').click()
		);
		await next(page, 'Import');
		step('import');
		memory.phase('import');
		const imported = await measured(
			page,
			'click',
			'[data-testid=import-status]',
			'^Completed$',
			() => page.role('button', 'Start import').click(),
			3_600_000
		);
		memory.phase('after import');
		const count = await page.testId('import-imported').number();
		if (count !== expected)
			throw new Error(`${engine}: the import ended with ${count} contacts, not ${expected}`);
		step('contacts list');
		await page.goto('/contacts');
		const shown = expected.toLocaleString('en-US');
		await page.testId('contacts-count').waitForText(shown, 600_000);
		// Cold: a reload, timed from its navigation start to the first row and the count.
		await page.goto('/');
		await page.goto('/contacts');
		const coldOpen = await waitFor(
			() =>
				page.run<number | null>(
					`const el = document.querySelector('[data-testid=contacts-count]');
					const row = document.querySelector('[aria-label="Contacts"] [role=listitem] a');
					return row && el && el.textContent.trim() === args[0] ? performance.now() : null;`,
					[shown]
				),
			'the contacts list after a reload',
			600_000
		);
		step('search');
		await page.goto('/');
		await page.goto('/contacts');
		await page.label('Search contacts').first();
		const firstSearch = await searchOnce(page, 'zoë', 'Zoë');
		const search: Record<string, number> = {};
		for (const [kind, query, expect] of searches(expected))
			search[kind] = await searchOnce(page, query, expect);
		memory.phase('contacts');
		const phases = memory.stop();
		const during = phases.get('import')!;
		return {
			preview,
			review,
			import: imported,
			importPeakMb: during.peak,
			importGrowthMb: growthMb(during.samples),
			coldOpen,
			firstSearch,
			search,
			contactsPssMb: phases.get('contacts')!.peak,
			slowdown: { main: spun.main / plainSpin.main, worker: spun.worker / plainSpin.worker }
		};
	} finally {
		slowdown?.stop();
		memory.stop();
		await app.close();
	}
}

async function floorsOf(
	engine: Engine,
	origin: string,
	file: string,
	expected: number
): Promise<Floors> {
	const floors = await openDevice(engine, origin);
	try {
		const { page } = floors;
		console.error(`${engine}: floors`);
		await page.goto('/bench/');
		await waitFor(() => page.run<boolean>('return !!window.callaroBench'), 'the benchmark worker');
		await page.label('File to read').upload(file);
		const readFloor = await page.run<number>(
			"const [, ms] = await window.callaroBench.parseFloor(document.querySelector('#bench-file').files[0]); return ms;"
		);
		const storeFloor = await page.run<number>(
			'return await window.callaroBench.writeFloor(args[0]);',
			[expected]
		);
		return { readFloor, storeFloor };
	} finally {
		await floors.close();
	}
}

const dir = mkdtempSync(join(tmpdir(), 'callaro-bench-engines-'));
const server = await serveApp(benchMount());
try {
	const file = join(dir, `contacts-${rows}.csv`);
	const expected = await writeContactsCsv(file, rows);
	const factors = slowdownFactor > 1 ? [1, slowdownFactor] : [1];
	const results: [Engine, number, Figures][] = [];
	const floors = new Map<Engine, Floors>();
	for (const engine of enginesToTest()) {
		for (const factor of factors) {
			if (factor > 1 && slowedEngines && !slowedEngines.includes(engine)) continue;
			results.push([
				engine,
				factor,
				await benchEngine(engine, server.origin, file, expected, factor)
			]);
		}
		floors.set(engine, await floorsOf(engine, server.origin, file, expected));
	}
	const ms = (n: number) => `${Math.round(n).toLocaleString('en-US')} ms`;
	const mb = (n: number) => `${Math.round(n).toLocaleString('en-US')} MB`;
	const rate = (n: number, ms: number) =>
		`${Math.round(n / (ms / 1000)).toLocaleString('en-US')}/s`;
	const mode = (factor: number, f: Figures) =>
		factor === 1
			? 'plain'
			: `${factor}× slower (main ${f.slowdown.main.toFixed(1)}×, worker ${f.slowdown.worker.toFixed(1)}×)`;
	console.log(
		`\nEach engine, ${rows.toLocaleString('en-US')} rows (${expected.toLocaleString('en-US')} valid), one run each, this machine:`
	);
	console.log(
		'| engine | CPU | first preview | review pass | review / read floor | import | import / plain-store floor | import peak PSS | import PSS late − early |'
	);
	console.log('|---|---|---|---|---|---|---|---|---|');
	for (const [engine, factor, f] of results) {
		const { readFloor, storeFloor } = floors.get(engine)!;
		console.log(
			`| ${engine} | ${mode(factor, f)} | ${ms(f.preview)} | ${ms(f.review)} (${rate(rows, f.review)}) | ${(f.review / readFloor).toFixed(2)}× | ${ms(f.import)} (${rate(expected, f.import)}) | ${(f.import / storeFloor).toFixed(2)}× | ${mb(f.importPeakMb)} | ${mb(f.importGrowthMb)} |`
		);
	}
	const kinds = Object.keys(results[0]![2].search);
	console.log(
		`\nThe contacts, after the import (cold: after a reload; search: typing to the first result):`
	);
	console.log(
		`| engine | CPU | cold open | first search | ${kinds.map((k) => `search ${k}`).join(' | ')} | PSS, open and searched |`
	);
	console.log(`|---|---|---|---|${kinds.map(() => '---|').join('')}---|`);
	for (const [engine, factor, f] of results)
		console.log(
			`| ${engine} | ${mode(factor, f)} | ${ms(f.coldOpen)} | ${ms(f.firstSearch)} | ${kinds.map((k) => ms(f.search[k]!)).join(' | ')} | ${mb(f.contactsPssMb)} |`
		);
	console.log('\nThe floors, plain CPU, each in a fresh browser:');
	console.log('| engine | read the file, no processing | plain-store floor |');
	console.log('|---|---|---|');
	for (const [engine, f] of floors)
		console.log(
			`| ${engine} | ${ms(f.readFloor)} | ${ms(f.storeFloor)} (${rate(expected, f.storeFloor)}) |`
		);
	console.log(
		'\nPSS: the web content processes (Chromium renderers, Firefox content processes with its spare ones, WebKit web processes).' +
			` Slowed: every browser process runs 2 ms in ${2 * slowdownFactor} (SIGSTOP/SIGCONT); the achieved slowdown of the page's main thread and of a worker is measured with a fixed loop.`
	);
} finally {
	await server.stop();
	rmSync(dir, { recursive: true, force: true });
}
