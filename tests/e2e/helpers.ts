import { expect, type Browser, type Page } from '@playwright/test';
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

/** The app under test (the same port as playwright.config.ts). */
export const BASE = `http://localhost:${process.env.E2E_PORT ?? 4174}`;

export const fixture = (name: string) => join(import.meta.dirname, '..', 'fixtures', name);

/** Records every request that leaves the app's origin (with sync off, none may). */
export function watchForeignRequests(page: Page, origin: string): string[] {
	const foreign: string[] = [];
	page.on('request', (req) => {
		const url = req.url();
		if (url.startsWith('blob:') || url.startsWith('data:')) return;
		if (new URL(url).origin !== origin) foreign.push(url);
	});
	return foreign;
}

/** Opens the wizard and uploads a file; waits for the preview. */
export async function upload(page: Page, path: string) {
	await page.goto(`${BASE}/import`);
	await expect(page.getByRole('heading', { name: 'Upload', level: 1 })).toBeVisible();
	await page.getByLabel('Contacts file').setInputFiles(path);
	await expect(page.getByRole('table', { name: 'Preview' })).toBeVisible();
}

/** Clicks Next and waits for the step heading. */
export async function next(page: Page, heading: string) {
	await page.getByRole('button', { name: 'Next' }).click();
	await expect(page.getByRole('heading', { name: heading, level: 1 })).toBeVisible();
}

/** Reads a number shown in an element (thousand separators allowed). */
export async function numberIn(page: Page, testId: string): Promise<number> {
	const text = (await page.getByTestId(testId).textContent()) ?? '';
	const match = /[\d,]+/.exec(text);
	return match ? Number(match[0].replace(/,/g, '')) : NaN;
}

/** Writes a CSV of `rows` distinct valid US numbers into a temporary folder. */
export function writeNumberedCsv(rows: number, name = 'numbered.csv', offset = 0): string {
	const dir = mkdtempSync(join(tmpdir(), 'callaro-e2e-'));
	const lines = ['Phone,First Name,Last Name,Email'];
	for (let i = offset; i < offset + rows; i++) {
		// Exchanges 200–299 are valid NANP numbers: +1 212 2xx xxxx.
		const n = `${200 + Math.floor(i / 10_000)}${String(i % 10_000).padStart(4, '0')}`;
		lines.push(`+1212${n},First${i},Last${i},person${i}@example.com`);
	}
	const path = join(dir, name);
	writeFileSync(path, lines.join('\n') + '\n');
	return path;
}

/**
 * Runs the wizard on an uploaded file with the suggested mapping (and, with `autoCreate`, custom
 * fields made for the unmapped columns) and starts the import.
 */
export async function importWithDefaults(page: Page, path: string, { autoCreate = false } = {}) {
	await upload(page, path);
	await next(page, 'Map columns');
	await next(page, 'Review');
	await expect(page.getByTestId('review-rows-to-import')).toBeVisible({ timeout: 60_000 });
	if (autoCreate)
		await page
			.getByRole('checkbox', { name: 'Auto-create custom fields for unmapped columns' })
			.check();
	await next(page, 'Import');
	await page.getByRole('button', { name: 'Start import' }).click();
	await expect(page).toHaveURL(/\/imports\/[\w-]+$/);
}

/** True when the page runs two animation frames within `ms` (timers run either way). */
const paintsFrames = (page: Page, ms: number) =>
	page.evaluate(
		(ms) =>
			new Promise<boolean>((resolve) => {
				const late = setTimeout(() => resolve(false), ms);
				requestAnimationFrame(() =>
					requestAnimationFrame(() => {
						clearTimeout(late);
						resolve(true);
					})
				);
			}),
		ms
	);

/**
 * A device: a browser profile of its own (its own IndexedDB), on the app's home page.
 *
 * Headless Chromium now and then starts a page whose renderer produces no frames at all: the DOM
 * answers and fills work, but `requestAnimationFrame` never fires, so every click waits forever
 * on Playwright's "stable" check (which compares an element's box across animation frames). That
 * is the browser's fault, not the app's: such a page is reported and replaced by a fresh profile,
 * and three in a row fail the test.
 */
export async function device(browser: Browser): Promise<Page> {
	for (let attempt = 1; ; attempt++) {
		const context = await browser.newContext({ baseURL: BASE });
		const page = await context.newPage();
		await page.goto('/');
		if (await paintsFrames(page, 10_000)) return page;
		const state = await page.evaluate(() => ({
			readyState: document.readyState,
			visibility: document.visibilityState,
			unfinished: performance
				.getEntriesByType('resource')
				.filter((e) => (e as PerformanceResourceTiming).responseEnd === 0)
				.map((e) => e.name)
		}));
		console.log(`device: a page ran no animation frame in 10 s: ${JSON.stringify(state)}`);
		await context.close();
		if (attempt === 3) throw new Error('three fresh pages in a row ran no animation frame');
	}
}

/** Edits a contact's first name as a person would: search, open, Edit, Save. */
export async function editFirstName(page: Page, name: string, to: string) {
	await page.goto('/contacts');
	await page.getByLabel('Search contacts').fill(name);
	await page.getByRole('link', { name }).click();
	await page.getByRole('button', { name: 'Edit' }).click();
	await page.getByLabel('First name').fill(to);
	await page.getByRole('button', { name: 'Save contact' }).click();
	await expect(page.getByRole('status').filter({ hasText: 'Contact saved.' })).toBeVisible();
}

/** Writes `lines` as a CSV file in a temporary folder. */
export function writeCsv(name: string, lines: string[]): string {
	const path = join(mkdtempSync(join(tmpdir(), 'callaro-rough-')), name);
	writeFileSync(path, lines.join('\n') + '\n');
	return path;
}

/** The 23 columns of a Google Contacts export, with `rows` people. */
export function googleExport(rows: number): string {
	const headers = [
		'Name',
		'Given Name',
		'Additional Name',
		'Family Name',
		'Name Prefix',
		'Name Suffix',
		'Nickname',
		'Birthday',
		'Gender',
		'Location',
		'Occupation',
		'Notes',
		'Photo',
		'Group Membership',
		'E-mail 1 - Type',
		'E-mail 1 - Value',
		'Phone 1 - Type',
		'Phone 1 - Value',
		'Phone 2 - Type',
		'Phone 2 - Value',
		'Organization 1 - Name',
		'Organization 1 - Title',
		'Address 1 - Formatted'
	];
	const lines = [headers.join(',')];
	for (let i = 0; i < rows; i++) {
		lines.push(
			[
				`Person ${i} Example`,
				`Person ${i}`,
				'',
				'Example',
				'Dr.',
				'',
				`p${i}`,
				'1990-01-01',
				'',
				'',
				'Engineer',
				`"A note long enough to be cut short in the preview, about person ${i} and more"`,
				'https://lh3.googleusercontent.com/a/photo',
				'* myContacts',
				'* Home',
				`person${i}@example.com`,
				'Mobile',
				`+1212${String(2_000_000 + i)}`,
				'',
				'',
				'Example Corp',
				'Engineer',
				'"1 Main St, Springfield"'
			].join(',')
		);
	}
	return writeCsv('google-contacts.csv', lines);
}

const AXE_SOURCE = readFileSync(
	createRequire(import.meta.url).resolve('axe-core/axe.min.js'),
	'utf8'
);

/**
 * Serious or critical axe violations on the page, as "rule: target" lines. axe-core is put in the
 * page once per document and run on it directly: the Playwright wrapper finishes each run in a
 * new blank page, which made every check 2–4× slower (the app has no frames for it to reach).
 */
export async function axeProblems(page: Page): Promise<string[]> {
	if (!(await page.evaluate(() => 'axe' in window))) await page.evaluate(AXE_SOURCE);
	return page.evaluate(async () => {
		const axe = (window as unknown as { axe: typeof import('axe-core') }).axe;
		const { violations } = await axe.run(document, { resultTypes: ['violations'] });
		return violations
			.filter((v) => v.impact === 'serious' || v.impact === 'critical')
			.flatMap((v) => v.nodes.map((n) => `${v.id}: ${n.target.join(' ')}`));
	});
}

/** Fails when the page scrolls sideways. */
export async function noHorizontalScroll(page: Page) {
	const { scroll, client } = await page.evaluate(() => ({
		scroll: document.documentElement.scrollWidth,
		client: document.documentElement.clientWidth
	}));
	expect(scroll, 'page scrolls sideways').toBeLessThanOrEqual(client);
}

/**
 * Opens `path` afresh (a start of the app: it syncs) until `check` passes, for what another
 * device changed to arrive.
 */
export async function reopenUntil(
	page: Page,
	path: string,
	check: () => Promise<void>,
	timeoutMs = 90_000
) {
	await expect(async () => {
		await page.goto(path);
		await check();
	}).toPass({ timeout: timeoutMs, intervals: [1000, 2000, 3000] });
}
