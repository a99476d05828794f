import { expect, test } from '@playwright/test';
import { BASE, fixture, importWithDefaults, numberIn } from './helpers';

test('phone contact cards (.vcf from an iPhone, Google and Android) import through the wizard', async ({
	page
}) => {
	await page.goto(`${BASE}/import`);
	await page.getByLabel('Contacts file').setInputFiles(fixture('phone-contacts.vcf'));
	await expect(page.getByText('phone contact cards (vCard), one row per card')).toBeVisible();
	// One row per card, fixed columns; the header row and delimiter do not apply to cards.
	const preview = page.getByRole('table', { name: 'Preview' });
	await expect(preview.getByRole('row')).toHaveCount(5);
	await expect(page.getByLabel('Header row')).toHaveCount(0);
	await expect(page.getByLabel('Delimiter')).toHaveCount(0);

	await page.getByRole('button', { name: 'Next' }).click();
	await expect(page.getByRole('combobox', { name: 'Phone', exact: true })).toHaveValue('phone');
	await expect(page.getByRole('combobox', { name: 'Last Name' })).toHaveValue('last_name');
	await expect(page.getByRole('combobox', { name: 'Categories' })).toHaveValue('tags');

	await importWithDefaults(page, fixture('phone-contacts.vcf'), { autoCreate: true });
	await expect(page.getByTestId('import-status')).toHaveText('Completed', { timeout: 60_000 });
	expect(await numberIn(page, 'import-imported')).toBe(4);
	expect(await numberIn(page, 'import-failed')).toBe(0);

	// The Android card's quoted-printable name, and its preferred (PREF) mobile number.
	await page.goto(`${BASE}/contacts`);
	await page.getByLabel('Search contacts').fill('müller');
	await page.getByRole('link', { name: /Jürgen Müller/ }).click();
	await expect(page.getByText('+4915123456789', { exact: true }).first()).toBeVisible();

	// The Google card: its note lands in an auto-created custom field; no photo is kept anywhere.
	await page.goto(`${BASE}/contacts`);
	await page.getByLabel('Search contacts').fill('lovelace');
	await page.getByRole('link', { name: /Ada Lovelace/ }).click();
	await expect(page.getByText('Met at the, conference')).toBeVisible();
	await expect(page.getByText('+442079460018', { exact: true }).first()).toBeVisible();
	await page.goto(`${BASE}/contacts`);
	await page.getByLabel('Search contacts').fill('appleseed');
	await page.getByRole('link', { name: /John Appleseed/ }).click();
	await expect(page.getByText('+14085550101', { exact: true }).first()).toBeVisible();
	expect(await page.content()).not.toContain('9j/4AAQ');
});

test('cells copied from a spreadsheet paste as tab-separated rows', async ({ page }) => {
	await page.goto(`${BASE}/import`);
	await page.getByText('Paste cells or CSV text instead').click();
	// What Excel and Google Sheets put on the clipboard: tabs between cells, a line per row.
	await page
		.getByLabel('Cells or CSV text')
		.fill('Mobile\tGiven Name\tCompany\n+14155550911\tTabitha\tAcme, Inc\n+14155550912\tTed\t\n');
	await page.getByRole('button', { name: 'Use pasted text' }).click();
	await expect(page.getByLabel('Delimiter')).toHaveValue('\t');
	await expect(page.getByRole('table', { name: 'Preview' }).getByRole('row')).toHaveCount(3);
	await page.getByRole('button', { name: 'Next' }).click();
	await expect(page.getByRole('combobox', { name: 'Mobile' })).toHaveValue('phone');
	await expect(page.getByRole('combobox', { name: 'Company' })).toHaveValue('company');
});
