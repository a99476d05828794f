import { expect, test } from '@playwright/test';
import { readFileSync } from 'node:fs';
import { fixture, next, numberIn, upload, writeNumberedCsv } from './helpers';

test('fix an invalid phone inline, skip a row, reload mid-fixing, import the fixed values', async ({
	page
}) => {
	await upload(page, fixture('contacts-realistic.csv'));
	await next(page, 'Map columns');
	await next(page, 'Review');
	await expect.poll(() => numberIn(page, 'review-rows-to-import')).toBe(4);
	expect(await numberIn(page, 'review-invalid-phone')).toBe(1);

	const problems = page.getByRole('table', { name: 'Problem rows' });
	await problems.getByRole('textbox', { name: 'Row 5 phone' }).fill('+1 415 555 0105');
	await problems.getByRole('textbox', { name: 'Row 5 phone' }).press('Enter');
	await expect.poll(() => numberIn(page, 'review-invalid-phone')).toBe(0);
	await expect.poll(() => numberIn(page, 'review-rows-to-import')).toBe(5);
	await problems.getByRole('textbox', { name: 'Row 4 phone' }).fill('(415) 555-0104');
	await problems.getByRole('textbox', { name: 'Row 4 phone' }).blur();
	await expect.poll(() => numberIn(page, 'review-missing-phone')).toBe(0);
	await expect.poll(() => numberIn(page, 'review-rows-to-import')).toBe(6);
	await problems.getByRole('button', { name: 'Skip row 6' }).click();
	await expect(page.getByRole('list').filter({ hasText: 'Row 6 skipped' })).toBeVisible();

	// A reload in the middle of fixing keeps every fix.
	await page.reload();
	await expect(page.getByRole('heading', { name: 'Review', level: 1 })).toBeVisible();
	await expect(page.getByRole('status').filter({ hasText: 'was restored' })).toBeVisible();
	await expect.poll(() => numberIn(page, 'review-rows-to-import')).toBe(6);
	await expect(page.getByRole('region', { name: 'Fixes' }).getByRole('listitem')).toHaveCount(3);

	// Undo the skip: the duplicate comes back as a duplicate.
	await page.getByRole('button', { name: 'Undo fix 3' }).click();
	await expect.poll(() => numberIn(page, 'review-duplicates-in-file')).toBe(1);
	await page
		.getByRole('table', { name: 'Problem rows' })
		.getByRole('button', { name: 'Skip row 6' })
		.click();
	await expect.poll(() => numberIn(page, 'review-duplicates-in-file')).toBe(0);

	await next(page, 'Import');
	await page.getByRole('button', { name: 'Start import' }).click();
	await expect(page.getByTestId('import-status')).toHaveText('Completed');
	expect(await numberIn(page, 'import-imported')).toBe(6);
	const [download] = await Promise.all([
		page.waitForEvent('download'),
		page.getByRole('link', { name: 'Download error report' }).click()
	]);
	const report = readFileSync(await download.path(), 'utf8');
	expect(report.split('\r\n')[0]).toContain('fixed: Phone Number');
	expect(report).toContain('Skipped by you');

	await page.goto('/contacts');
	await page.getByLabel('Search contacts').fill('dan');
	await page.getByRole('link', { name: 'Dan Bad' }).click();
	await expect(page.locator('dl')).toContainText('+14155550105');
	// The next visit to Import starts fresh: the draft went with the import.
	await page.goto('/import');
	await expect(page.getByRole('heading', { name: 'Upload', level: 1 })).toBeVisible();
});

test('a bulk find-and-replace over 100,000 rows shows its count first, then changes the counts', async ({
	page
}) => {
	await upload(page, writeNumberedCsv(100_000, 'bulk.csv'));
	await next(page, 'Map columns');
	await next(page, 'Review');
	await expect
		.poll(() => numberIn(page, 'review-rows-to-import'), { timeout: 60_000 })
		.toBe(100_000);
	await page.getByText('Fix a whole column').click();
	await page.getByLabel('Column', { exact: true }).selectOption({ label: 'Phone' });
	await page.getByLabel('Find').fill('+1212');
	await page.getByLabel('Replace with').fill('+1999');
	await page.getByRole('button', { name: 'Preview fix' }).click();
	await expect(page.getByTestId('bulk-fix-count')).toHaveText('This fix changes 100,000 rows.', {
		timeout: 60_000
	});
	await page.getByRole('button', { name: 'Apply fix' }).click();
	// +1 999 is not a valid area code: every row becomes an invalid phone.
	await expect
		.poll(() => numberIn(page, 'review-invalid-phone'), { timeout: 60_000 })
		.toBe(100_000);
	expect(await numberIn(page, 'review-rows-to-import')).toBe(0);
	await page.getByRole('button', { name: 'Undo fix 1' }).click();
	await expect
		.poll(() => numberIn(page, 'review-rows-to-import'), { timeout: 60_000 })
		.toBe(100_000);
});
