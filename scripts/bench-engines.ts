/**
 * `npm run bench` (after the Chromium benchmark) and `bench:smoke`: the same import in each
 * engine (Chromium, Firefox, WebKit; ENGINES chooses), through the UI with the cross-engine driver
 * (tests/cross), each beside that engine's own floors measured in the same run: reading the file
 * with no processing (the review's floor) and the plain-store floor (a fresh store keyed by phone
 * with an email and a name index, 5,000 per transaction; bench/bench-api.ts), each floor
 * in a fresh browser of its own. Prints figures; asserts no time. It fails only when an import
 * does not end with exactly the file's valid rows.
 *
 * Times are taken in the page (performance.now()) from the event that starts a step (the file
 * input's change, a click) to the first moment a MutationObserver sees its result in the DOM.
 * The list's cold open is taken from the page's navigation start to its count showing.
 * Chromium and Firefox run on on-disk profiles; WebKit's automation sessions keep IndexedDB in
 * memory (like a private window), which flatters its write figures against the others.
 *
 * Usage: node --import tsx scripts/bench-engines.ts [--rows 100000]
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { writeContactsCsv } from './gen-contacts.js';
import { benchMount } from './bench-mount.js';
import { enginesToTest, type Engine } from '../tests/cross/browsers';
import { waitFor, type Page } from '../tests/cross/driver';
import { next, openDevice, serveApp } from '../tests/cross/app';

const argv = process.argv.slice(2);
const rows = Number(argv[argv.indexOf('--rows') + 1] || 100_000) || 100_000;

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

interface Figures {
	preview: number;
	review: number;
	import: number;
	listOpen: number;
	readFloor: number;
	storeFloor: number;
}

async function benchEngine(
	engine: Engine,
	origin: string,
	file: string,
	expected: number
): Promise<Figures> {
	const app = await openDevice(engine, origin);
	let figures: Omit<Figures, 'readFloor' | 'storeFloor'>;
	try {
		const { page } = app;
		const step = (what: string) => console.error(`${engine}: ${what}`);
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
		const imported = await measured(
			page,
			'click',
			'[data-testid=import-status]',
			'^Completed$',
			() => page.role('button', 'Start import').click()
		);
		const count = await page.testId('import-imported').number();
		if (count !== expected)
			throw new Error(`${engine}: the import ended with ${count} contacts, not ${expected}`);
		step('contacts list');
		await page.goto('/contacts');
		const shown = expected.toLocaleString('en-US');
		await page.testId('contacts-count').waitForText(shown, 120_000);
		// Cold: a reload, timed from its navigation start to the count.
		await page.goto('/contacts');
		const listOpen = await waitFor(
			() =>
				page.run<number | null>(
					`const el = document.querySelector('[data-testid=contacts-count]');
					return el && el.textContent.trim() === args[0] ? performance.now() : null;`,
					[shown]
				),
			'the contacts count after a reload',
			120_000
		);
		figures = { preview, review, import: imported, listOpen };
	} finally {
		await app.close();
	}
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
		return { ...figures, readFloor, storeFloor };
	} finally {
		await floors.close();
	}
}

const dir = mkdtempSync(join(tmpdir(), 'callaro-bench-engines-'));
const server = await serveApp(benchMount());
try {
	const file = join(dir, `contacts-${rows}.csv`);
	const expected = await writeContactsCsv(file, rows);
	const results: [Engine, Figures][] = [];
	for (const engine of enginesToTest())
		results.push([engine, await benchEngine(engine, server.origin, file, expected)]);
	const ms = (n: number) => `${Math.round(n).toLocaleString('en-US')} ms`;
	const rate = (n: number, ms: number) =>
		`${Math.round(n / (ms / 1000)).toLocaleString('en-US')}/s`;
	console.log(
		`\nEach engine, ${rows.toLocaleString('en-US')} rows (${expected.toLocaleString('en-US')} valid), one run each, this machine:`
	);
	console.log(
		'| engine | first preview | review pass | read floor | review / floor | import | plain-store floor | import / floor | list open after reload |'
	);
	console.log('|---|---|---|---|---|---|---|---|---|');
	for (const [engine, f] of results) {
		console.log(
			`| ${engine} | ${ms(f.preview)} | ${ms(f.review)} (${rate(rows, f.review)}) | ${ms(f.readFloor)} | ${(f.review / f.readFloor).toFixed(2)}× | ${ms(f.import)} (${rate(expected, f.import)}) | ${ms(f.storeFloor)} (${rate(expected, f.storeFloor)}) | ${(f.import / f.storeFloor).toFixed(2)}× | ${ms(f.listOpen)} |`
		);
	}
} finally {
	await server.stop();
	rmSync(dir, { recursive: true, force: true });
}
