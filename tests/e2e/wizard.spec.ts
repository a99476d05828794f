import { expect, test } from '@playwright/test';
import { readFileSync } from 'node:fs';
import {
	fixture,
	importWithDefaults,
	next,
	numberIn,
	upload,
	watchForeignRequests
} from './helpers';

test('the whole wizard on a realistic file, from upload to a contact, with no foreign request', async ({
	page,
	baseURL
}) => {
	const foreign = watchForeignRequests(page, new URL(baseURL!).origin);
	await upload(page, fixture('contacts-realistic.csv'));

	// Upload: headers (BOM stripped), quoted commas and line breaks kept in one row.
	const preview = page.getByRole('table', { name: 'Preview' });
	await expect(preview.getByRole('columnheader', { name: 'Phone Number' })).toBeVisible();
	await expect(preview).toContainText('Analytical Engines, Ltd');
	await expect(preview).toContainText('Line one');
	await expect(page.getByLabel('Header row')).toHaveValue('1');

	// Map: suggestions from real export headers.
	await next(page, 'Map columns');
	const expected: Record<string, string> = {
		'Phone Number': 'phone',
		'First Name': 'first_name',
		'Last Name': 'last_name',
		'E-mail Address': 'email',
		'Organization Name': 'company',
		Labels: 'tags',
		'Time Zone': 'timezone',
		'Lead Source': '',
		Notes: ''
	};
	for (const [header, value] of Object.entries(expected)) {
		await expect(page.getByRole('combobox', { name: header, exact: true })).toHaveValue(value);
	}
	// A duplicate target blocks Next and names both columns.
	await page.getByRole('combobox', { name: 'Last Name', exact: true }).selectOption('first_name');
	const alert = page.getByRole('alert');
	await expect(alert).toContainText('First name');
	await expect(alert).toContainText('“First Name”');
	await expect(alert).toContainText('“Last Name”');
	await expect(page.getByRole('button', { name: 'Next' })).toBeDisabled();
	await page.getByRole('combobox', { name: 'Last Name', exact: true }).selectOption('last_name');
	await expect(page.getByRole('alert')).toHaveCount(0);
	await page.getByRole('combobox', { name: 'Notes', exact: true }).selectOption('skip');

	// Review: exact counts from the full pass.
	await next(page, 'Review');
	await expect(page.getByTestId('review-rows-to-import')).toBeVisible();
	expect(await numberIn(page, 'review-rows-to-import')).toBe(4);
	expect(await numberIn(page, 'review-missing-phone')).toBe(1);
	expect(await numberIn(page, 'review-invalid-phone')).toBe(1);
	expect(await numberIn(page, 'review-duplicates-in-file')).toBe(1);
	expect(await numberIn(page, 'review-unmapped-columns')).toBe(1);
	await expect(page.getByTestId('review-unmapped-columns')).toContainText('Lead Source');
	const problems = page.getByRole('table', { name: 'Problem rows' });
	await expect(problems.getByRole('textbox', { name: 'Row 4 phone' })).toHaveValue('');
	await expect(problems.getByRole('textbox', { name: 'Row 5 phone' })).toHaveValue('not a number');
	await expect(problems.getByRole('textbox', { name: 'Row 6 phone' })).toHaveValue('415-555-2671');
	await expect(problems).toContainText('Same phone number as row 2');
	await expect(problems.getByRole('textbox', { name: 'Row 8 email' })).toHaveValue('eve@');
	await expect(page.getByLabel('Default country')).toHaveValue('US');
	await expect(page.getByRole('radio', { name: 'Update' })).toBeChecked();

	// Auto-create applies to the not-mapped column only (Notes was skipped).
	await page
		.getByRole('checkbox', { name: 'Auto-create custom fields for unmapped columns' })
		.check();
	await expect(page.getByRole('list', { name: 'Custom fields to create' })).toHaveText(
		/lead_source/
	);
	await expect(page.getByRole('list', { name: 'Custom fields to create' })).not.toHaveText(/notes/);

	// Import: the detail page reaches Completed with exact counts.
	await next(page, 'Import');
	await page.getByRole('button', { name: 'Start import' }).click();
	await expect(page).toHaveURL(/\/imports\/[\w-]+$/);
	await expect(page.getByTestId('import-status')).toHaveText('Completed');
	expect(await numberIn(page, 'import-imported')).toBe(4);
	expect(await numberIn(page, 'import-skipped')).toBe(3);
	expect(await numberIn(page, 'import-failed')).toBe(0);
	const bar = page.getByRole('progressbar');
	await expect(bar).toHaveAttribute('aria-valuenow', '7');
	await expect(bar).toHaveAttribute('aria-valuemax', '7');
	const errors = page.getByRole('table', { name: 'Errors' });
	await expect(errors.getByRole('row')).toHaveCount(1 + 5);
	await expect(errors).toContainText('Same phone number as row 2');

	// The error report downloads as CSV, formula-safe.
	const [download] = await Promise.all([
		page.waitForEvent('download'),
		page.getByRole('link', { name: 'Download error report' }).click()
	]);
	const report = readFileSync(await download.path(), 'utf8');
	expect(report.split('\r\n')[0]).toContain('row,kind,severity,column,value,reason');
	expect(report).toContain("'=1+2");
	expect(report).not.toMatch(/,=1\+2/);
	expect(report).toContain('Mars/Base');

	// Contacts: count, search, and a contact with normalised values and its custom field.
	await page.getByRole('link', { name: 'Contacts', exact: true }).click();
	await expect(page.getByTestId('contacts-count')).toHaveText('4');
	await page.getByLabel('Search contacts').fill('ada');
	await expect(page.getByRole('link', { name: 'Ada Lovelace' })).toBeVisible();
	await expect(page.getByRole('link', { name: 'Bob Ray' })).toHaveCount(0);
	await page.getByRole('link', { name: 'Ada Lovelace' }).click();
	await expect(page.getByRole('heading', { name: 'Ada Lovelace' })).toBeVisible();
	const detail = page.locator('dl');
	await expect(detail).toContainText('+14155552671');
	await expect(detail).toContainText('Ada@example.com');
	await expect(detail).toContainText('Analytical Engines, Ltd');
	await expect(detail.locator('.chip')).toHaveText(['vip', 'west']);
	await expect(detail).toContainText('America/New_York');
	await expect(detail.locator('dt', { hasText: 'Lead Source' })).toBeVisible();
	await expect(detail).toContainText('Trade Fair');

	// History lists the job.
	await page.getByRole('link', { name: 'Import history', exact: true }).click();
	const history = page.getByRole('table', { name: 'Import history' });
	await expect(history.getByRole('row')).toHaveCount(2);
	await expect(history).toContainText('Completed');

	expect(foreign).toEqual([]);
});

test('re-importing the same file with Update creates nothing', async ({ page }) => {
	await importWithDefaults(page, fixture('contacts-realistic.csv'));
	await expect(page.getByTestId('import-status')).toHaveText('Completed');
	await page.goto('/contacts');
	await expect(page.getByTestId('contacts-count')).toHaveText('4');

	await upload(page, fixture('contacts-realistic.csv'));
	await next(page, 'Map columns');
	await next(page, 'Review');
	await expect(page.getByTestId('review-existing')).toContainText('4');
	await next(page, 'Import');
	await page.getByRole('button', { name: 'Start import' }).click();
	await expect(page.getByTestId('import-status')).toHaveText('Completed');
	expect(await numberIn(page, 'import-imported')).toBe(4);
	await expect(page.getByTestId('import-imported').locator('..')).toContainText('0 new, 4 updated');
	await page.goto('/contacts');
	await expect(page.getByTestId('contacts-count')).toHaveText('4');
});

test('Skip for existing contacts leaves them out of rows to import', async ({ page }) => {
	await importWithDefaults(page, fixture('contacts-realistic.csv'));
	await expect(page.getByTestId('import-status')).toHaveText('Completed');
	await upload(page, fixture('contacts-realistic.csv'));
	await next(page, 'Map columns');
	await next(page, 'Review');
	await expect(page.getByTestId('review-rows-to-import')).toBeVisible();
	expect(await numberIn(page, 'review-rows-to-import')).toBe(4);
	await page.getByRole('radio', { name: 'Skip' }).check();
	expect(await numberIn(page, 'review-rows-to-import')).toBe(0);
});

test('the template lists the standard fields and custom field keys', async ({ page }) => {
	await page.goto('/settings');
	await page.getByLabel('Key').fill('lead_source');
	await page.getByLabel('Label', { exact: true }).fill('Lead Source');
	await page.getByRole('button', { name: 'Add field' }).click();
	await expect(page.getByRole('textbox', { name: 'Label for lead_source' })).toHaveValue(
		'Lead Source'
	);
	await page.goto('/import');
	const [download] = await Promise.all([
		page.waitForEvent('download'),
		page.getByRole('button', { name: 'Download template' }).click()
	]);
	expect(readFileSync(await download.path(), 'utf8').trim()).toBe(
		'phone,first_name,last_name,email,company,tags,timezone,owner,lead_source'
	);
});
