import { expect, test, type Page } from '@playwright/test';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { launchBrowser, type RunningBrowser } from './browser-process';
import { next, numberIn } from './helpers';

test.describe.configure({ mode: 'serial' });
// Tracing follows every browser a test connects to, and these browsers die by SIGKILL.
test.use({ trace: 'off' });

/** A file with bad rows mixed in, and the exact outcome expected. */
function writeMixedCsv(rows: number) {
	const dir = mkdtempSync(join(tmpdir(), 'callaro-crash-'));
	const lines = ['Phone,First Name,Email'];
	const seen = new Set<string>();
	let created = 0;
	let skipped = 0;
	let warnings = 0;
	for (let i = 0; i < rows; i++) {
		let phone = `+1212${200 + Math.floor(i / 10_000)}${String(i % 10_000).padStart(4, '0')}`;
		if (i % 900 === 899) phone = '+12122000000'; // duplicate of the first row
		if (i % 500 === 7) phone = '12345';
		if (i % 700 === 3) phone = '';
		const email = i % 800 === 5 ? 'not-an-email' : `p${i}@example.com`;
		lines.push(`${phone},Person ${i},${email}`);
		if (phone === '' || phone === '12345' || seen.has(phone)) skipped++;
		else {
			seen.add(phone);
			created++;
			if (email === 'not-an-email') warnings++;
		}
	}
	const path = join(dir, `mixed-${rows}.csv`);
	writeFileSync(path, lines.join('\n') + '\n');
	return { path, created, skipped, warnings, dir };
}

/** Rows done as the page shows them. */
async function progress(page: Page) {
	return Number(await page.locator('[role="progressbar"]').getAttribute('aria-valuenow'));
}

/**
 * Rows committed, read from IndexedDB itself: the page's progress can lag the worker by seconds
 * at full speed (its live query waits behind the import's write transactions), too coarse to
 * aim a kill at 90%.
 */
async function committed(page: Page, jobId: string): Promise<number> {
	return page.evaluate(
		(id) =>
			new Promise<number>((resolve, reject) => {
				const open = indexedDB.open('callaro-import');
				open.onerror = () => reject(open.error);
				open.onsuccess = () => {
					const db = open.result;
					const get = db.transaction('jobs').objectStore('jobs').get(id);
					get.onsuccess = () => {
						db.close();
						resolve(get.result?.counts?.processed ?? 0);
					};
					get.onerror = () => reject(get.error);
				};
			}),
		jobId
	);
}

async function startImport(page: Page, baseURL: string, path: string) {
	await page.goto(`${baseURL}/import`);
	await page.getByLabel('Contacts file').setInputFiles(path);
	await expect(page.getByRole('table', { name: 'Preview' })).toBeVisible();
	await next(page, 'Map columns');
	await next(page, 'Review');
	await expect(page.getByTestId('review-rows-to-import')).toBeVisible({ timeout: 60_000 });
	await next(page, 'Import');
	await page.getByRole('button', { name: 'Start import' }).click();
	await expect(page).toHaveURL(/\/imports\/[\w-]+$/);
	return page.url();
}

async function expectExact(
	page: Page,
	baseURL: string,
	jobUrl: string,
	file: ReturnType<typeof writeMixedCsv>
) {
	await page.goto(jobUrl);
	await expect(page.getByTestId('import-status')).toHaveText('Completed', { timeout: 120_000 });
	expect(await numberIn(page, 'import-imported')).toBe(file.created);
	expect(await numberIn(page, 'import-skipped')).toBe(file.skipped);
	expect(await numberIn(page, 'import-failed')).toBe(0);
	expect(await numberIn(page, 'import-warnings')).toBe(file.warnings);
	const [download] = await Promise.all([
		page.waitForEvent('download'),
		page.getByRole('link', { name: 'Download error report' }).click()
	]);
	const report = readFileSync(await download.path(), 'utf8')
		.trim()
		.split('\r\n');
	// One line per skipped row and per warning, each once: no row reported twice.
	expect(report.length - 1).toBe(file.skipped + file.warnings);
	const rowNumbers = report.slice(1).map((l) => l.split(',')[0]);
	expect(new Set(rowNumbers).size).toBe(rowNumbers.length);
	await page.goto(`${baseURL}/contacts`);
	await expect(page.getByTestId('contacts-count')).toHaveText(file.created.toLocaleString('en-US'));
}

test('SIGKILL at about 10%, 50% and 90% of an import: each relaunch resumes, the end is exact', async ({
	baseURL
}) => {
	const profile = mkdtempSync(join(tmpdir(), 'callaro-profile-'));
	const file = writeMixedCsv(120_000);
	let b: RunningBrowser = await launchBrowser(profile);
	try {
		const jobUrl = await startImport(b.page, baseURL!, file.path);
		const jobId = jobUrl.split('/').pop()!;
		const total = Number(await b.page.getByRole('progressbar').getAttribute('aria-valuemax'));
		expect(total).toBe(120_000);
		for (const fraction of [0.1, 0.5, 0.9]) {
			// Kill right after the poll that saw the point: no further round trip in between.
			let atKill = 0;
			await expect
				.poll(async () => (atKill = await committed(b.page, jobId)), {
					timeout: 120_000,
					intervals: [25]
				})
				.toBeGreaterThanOrEqual(total * fraction);
			b.kill();
			expect(atKill).toBeLessThan(total);
			const relaunched = Date.now();
			b = await launchBrowser(profile);
			await b.page.goto(jobUrl);
			// The job resumes by itself when the app opens; progress never goes back.
			await expect
				.poll(() => progress(b.page), { timeout: 60_000, intervals: [50] })
				.toBeGreaterThan(atKill);
			console.info(
				`killed at ${atKill}/${total}; resumed and moved on ${Date.now() - relaunched} ms after relaunch`
			);
		}
		await expectExact(b.page, baseURL!, jobUrl, file);
	} finally {
		b.kill();
		rmSync(profile, { recursive: true, force: true });
		rmSync(file.dir, { recursive: true, force: true });
	}
});

test('SIGKILL during the first batch and during the review pass', async ({ baseURL }) => {
	const profile = mkdtempSync(join(tmpdir(), 'callaro-profile-'));
	const small = writeMixedCsv(20_000);
	let b: RunningBrowser = await launchBrowser(profile);
	try {
		// Review pass: nothing is written before Start import, so nothing is left behind.
		await b.page.goto(`${baseURL}/import`);
		await b.page.getByLabel('Contacts file').setInputFiles(small.path);
		await next(b.page, 'Map columns');
		await b.page.getByRole('button', { name: 'Next' }).click();
		// The pass starts once the draft is saved; kill the browser while it runs (or just after).
		await expect(b.page.getByText(/Checking every row|rows to import/).first()).toBeVisible();
		b.kill();
		b = await launchBrowser(profile);
		await b.page.goto(`${baseURL}/imports`);
		await expect(b.page.getByRole('table', { name: 'Import history' })).toContainText(
			'No imports yet.'
		);
		// The import being prepared comes back in Review, with nothing written.
		await b.page.goto(`${baseURL}/import`);
		await expect(b.page.getByRole('heading', { name: 'Review', level: 1 })).toBeVisible();
		await expect(b.page.getByTestId('review-rows-to-import')).toBeVisible({ timeout: 60_000 });
		await b.page.getByRole('button', { name: 'Start over' }).click();
		await expect(b.page.getByRole('heading', { name: 'Upload', level: 1 })).toBeVisible();

		// First batch: killed right after Start import.
		const jobUrl = await startImport(b.page, baseURL!, small.path);
		b.kill();
		b = await launchBrowser(profile);
		await expectExact(b.page, baseURL!, jobUrl, small);
	} finally {
		b.kill();
		rmSync(profile, { recursive: true, force: true });
		rmSync(small.dir, { recursive: true, force: true });
	}
});
