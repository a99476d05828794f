import { expect, test } from '@playwright/test';
import { importWithDefaults, numberIn, writeNumberedCsv } from './helpers';

const valueNow = async (page: import('@playwright/test').Page) =>
	Number(await page.getByRole('progressbar').getAttribute('aria-valuenow'));

test('two tabs on one job: one runs it, the other follows, and takes over when the first closes', async ({
	context
}) => {
	const first = await context.newPage();
	await importWithDefaults(first, writeNumberedCsv(60_000, 'tabs.csv'));
	const jobUrl = first.url();
	const second = await context.newPage();
	await second.goto(jobUrl);
	// The second tab follows the job live.
	const seen = await valueNow(second);
	await expect.poll(() => valueNow(second), { timeout: 60_000 }).toBeGreaterThan(seen);
	await expect(second.getByTestId('import-status')).toHaveText('Running');
	const before = await valueNow(second);
	expect(before).toBeLessThan(60_000);
	await first.close();
	await expect(second.getByTestId('import-status')).toHaveText('Completed', { timeout: 120_000 });
	expect(await numberIn(second, 'import-imported')).toBe(60_000);
	await second.goto('/contacts');
	await expect(second.getByTestId('contacts-count')).toHaveText('60,000');
});

test('Undo import deletes what it created and restores what it changed', async ({ page }) => {
	const file = (name: string, text: string) => ({
		name,
		mimeType: 'text/csv',
		buffer: Buffer.from(text)
	});
	const upload = async (name: string, text: string) => {
		await page.goto('/import');
		await page.getByLabel('Contacts file').setInputFiles(file(name, text));
		for (const heading of ['Map columns', 'Review', 'Import']) {
			await page.getByRole('button', { name: 'Next' }).click();
			await expect(page.getByRole('heading', { name: heading, level: 1 })).toBeVisible();
		}
		await page.getByRole('button', { name: 'Start import' }).click();
		await expect(page.getByTestId('import-status')).toHaveText('Completed');
	};
	await upload('a.csv', 'Phone,First Name,Tags\n+14155550401,Ada,vip\n+14155550402,Bob,\n');
	await upload('b.csv', 'Phone,First Name,Tags\n+14155550401,Augusta,new\n+14155550403,Cy,\n');
	page.once('dialog', (d) => {
		expect(d.message()).toContain('1 contact it created will be deleted and 1 contact it changed');
		void d.accept();
	});
	await page.getByRole('button', { name: 'Undo import' }).click();
	await expect(page.getByTestId('import-undone')).toContainText('1 contact deleted');
	await expect(page.getByRole('button', { name: 'Undo import' })).toHaveCount(0);
	await page.goto('/contacts');
	await expect(page.getByTestId('contacts-count')).toHaveText('2');
	await page.getByRole('link', { name: 'Ada' }).click();
	await expect(page.locator('dl')).toContainText('vip');
	await expect(page.locator('dl')).not.toContainText('new');
	await page.goto('/imports');
	await expect(
		page.getByRole('table', { name: 'Import history' }).getByRole('row').nth(1)
	).toContainText('Undone');
});

test('the import page shows progress moving while the import runs, not only at the end', async ({
	page
}) => {
	await importWithDefaults(page, writeNumberedCsv(60_000, 'live.csv'));
	// Watch the bar as a person would until the import completes: it must pass through many
	// intermediate values (the worker's progress messages, a few a second).
	const seen = new Set<number>();
	await expect
		.poll(
			async () => {
				const now = await valueNow(page);
				if (now > 0 && now < 60_000) seen.add(now);
				return page.getByTestId('import-status').textContent();
			},
			{ timeout: 120_000, intervals: [100] }
		)
		.toBe('Completed');
	expect(seen.size).toBeGreaterThanOrEqual(6);
	expect(await valueNow(page)).toBe(60_000);
});
