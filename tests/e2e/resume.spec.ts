import { expect, test } from '@playwright/test';
import { importWithDefaults, numberIn, writeNumberedCsv } from './helpers';

test('a reload in the middle of a 50,000-row import resumes and ends with exactly 50,000 contacts', async ({
	page
}) => {
	const path = writeNumberedCsv(50_000);
	await importWithDefaults(page, path);
	const bar = page.getByRole('progressbar');
	await expect(bar).toHaveAttribute('aria-valuemax', '50000');
	// Wait for the first committed batch, then reload while the job is still running.
	await expect
		.poll(async () => Number(await bar.getAttribute('aria-valuenow')), { timeout: 60_000 })
		.toBeGreaterThan(0);
	const before = Number(await bar.getAttribute('aria-valuenow'));
	expect(before).toBeLessThan(50_000);
	await page.reload();

	await expect(page.getByTestId('import-status')).toHaveText('Completed', { timeout: 120_000 });
	expect(await numberIn(page, 'import-imported')).toBe(50_000);
	expect(await numberIn(page, 'import-skipped')).toBe(0);
	expect(await numberIn(page, 'import-failed')).toBe(0);
	await page.getByRole('link', { name: 'Contacts', exact: true }).click();
	await expect(page.getByTestId('contacts-count')).toHaveText('50,000');
});

test('pause stops at a batch boundary, resume finishes, cancel keeps what was imported', async ({
	page
}) => {
	const path = writeNumberedCsv(30_000, 'pause.csv');
	await importWithDefaults(page, path);
	const bar = page.getByRole('progressbar');
	await expect
		.poll(async () => Number(await bar.getAttribute('aria-valuenow')), { timeout: 60_000 })
		.toBeGreaterThan(0);
	await page.getByRole('button', { name: 'Pause' }).click();
	await expect(page.getByTestId('import-status')).toHaveText('Paused');
	const paused = Number(await bar.getAttribute('aria-valuenow'));
	expect(paused).toBeLessThan(30_000);
	// Paused means paused: nothing moves.
	await page.waitForTimeout(1500);
	expect(Number(await bar.getAttribute('aria-valuenow'))).toBe(paused);
	expect(await numberIn(page, 'import-imported')).toBe(paused);

	await page.getByRole('button', { name: 'Resume' }).click();
	await expect(page.getByTestId('import-status')).toHaveText(/Running|Completed/);
	await expect(page.getByTestId('import-status')).toHaveText('Completed', { timeout: 120_000 });
	expect(await numberIn(page, 'import-imported')).toBe(30_000);

	// A second import of other numbers, paused then cancelled: what was imported stays.
	await importWithDefaults(page, writeNumberedCsv(30_000, 'cancel.csv', 30_000));
	await expect
		.poll(async () => Number(await page.getByRole('progressbar').getAttribute('aria-valuenow')), {
			timeout: 60_000
		})
		.toBeGreaterThan(0);
	await page.getByRole('button', { name: 'Pause' }).click();
	await expect(page.getByTestId('import-status')).toHaveText('Paused');
	page.once('dialog', (d) => d.accept());
	await page.getByRole('button', { name: 'Cancel' }).click();
	await expect(page.getByTestId('import-status')).toHaveText('Cancelled');
	await expect(page.getByRole('button', { name: 'Resume' })).toHaveCount(0);
	const kept = await numberIn(page, 'import-imported');
	expect(kept).toBeGreaterThan(0);
	expect(kept).toBeLessThan(30_000);
	await page.getByRole('link', { name: 'Contacts', exact: true }).click();
	await expect(page.getByTestId('contacts-count')).toHaveText(
		(30_000 + kept).toLocaleString('en-US')
	);
});
