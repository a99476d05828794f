import { expect, test } from '@playwright/test';
import { fixture, next, numberIn, upload } from './helpers';

async function reviewAndImport(page: import('@playwright/test').Page) {
	await next(page, 'Import');
	await page.getByRole('button', { name: 'Start import' }).click();
	await expect(page.getByTestId('import-status')).toHaveText('Completed');
}

test('a Windows-1252, semicolon-separated file from European Excel', async ({ page }) => {
	await upload(page, fixture('excel-fr-1252-semicolon.csv'));
	await expect(page.getByLabel('Encoding')).toHaveValue('windows-1252');
	await expect(page.getByLabel('Delimiter')).toHaveValue(';');
	const preview = page.getByRole('table', { name: 'Preview' });
	await expect(preview.getByRole('columnheader', { name: 'Téléphone' })).toBeVisible();
	await expect(preview).toContainText('Frédéric');
	await expect(preview).toContainText('Ça va; bien');

	// Overriding the encoding re-renders the preview at once (and shows mojibake, as it should).
	await page.getByLabel('Encoding').selectOption('utf-8');
	await expect(preview).not.toContainText('Frédéric');
	await page.getByLabel('Encoding').selectOption('windows-1252');
	await expect(preview).toContainText('Frédéric');

	await next(page, 'Map columns');
	await expect(page.getByRole('combobox', { name: 'Téléphone' })).toHaveValue('phone');
	await expect(page.getByRole('combobox', { name: 'Prénom' })).toHaveValue('first_name');
	await expect(page.getByRole('combobox', { name: 'Nom', exact: true })).toHaveValue('last_name');
	await expect(page.getByRole('combobox', { name: 'Société' })).toHaveValue('company');
	await next(page, 'Review');
	await page.getByLabel('Default country').selectOption('FR');
	await expect.poll(() => numberIn(page, 'review-rows-to-import')).toBe(3);
	await reviewAndImport(page);
	expect(await numberIn(page, 'import-imported')).toBe(3);
	await page.goto('/contacts');
	await page.getByRole('link', { name: 'Frédéric Müller' }).click();
	await expect(page.locator('dl')).toContainText('+33612345678');
	await expect(page.locator('dl')).toContainText('Société Générale');
});

test('a UTF-16 LE tab-separated file (Excel "Unicode Text")', async ({ page }) => {
	await upload(page, fixture('excel-unicode-text-utf16le.txt'));
	await expect(page.getByLabel('Encoding')).toHaveValue('utf-16le');
	await expect(page.getByLabel('Delimiter')).toHaveValue('\t');
	await expect(page.getByRole('table', { name: 'Preview' })).toContainText('東京 Trading');
	await next(page, 'Map columns');
	await expect(page.getByRole('combobox', { name: 'Mobile Phone' })).toHaveValue('phone');
	await next(page, 'Review');
	await expect.poll(() => numberIn(page, 'review-rows-to-import')).toBe(2);
	await reviewAndImport(page);
	await page.goto('/contacts');
	await expect(page.getByRole('link', { name: 'Łukasz Nowak' })).toBeVisible();
});

test('a file with a preamble: the header row is found below it, and can be overridden', async ({
	page
}) => {
	await upload(page, fixture('linkedin-style-preamble.csv'));
	await expect(page.getByLabel('Header row')).toHaveValue('4');
	const preview = page.getByRole('table', { name: 'Preview' });
	await expect(preview.getByRole('columnheader', { name: 'Phone' })).toBeVisible();
	await expect(preview.getByRole('row')).toHaveCount(1 + 3);
	await expect(preview.getByRole('cell', { name: '5', exact: true })).toBeVisible();

	await page.getByLabel('Header row').fill('1');
	await page.getByLabel('Header row').press('Tab');
	await expect(preview.getByRole('columnheader', { name: 'Notes:' })).toBeVisible();
	await page.getByLabel('Header row').fill('4');
	await page.getByLabel('Header row').press('Tab');
	await expect(preview.getByRole('columnheader', { name: 'Email Address' })).toBeVisible();

	await next(page, 'Map columns');
	await next(page, 'Review');
	await expect.poll(() => numberIn(page, 'review-rows-to-import')).toBe(3);
	await reviewAndImport(page);
	expect(await numberIn(page, 'import-imported')).toBe(3);
	const errors = page.getByRole('table', { name: 'Errors' });
	await expect(errors).toContainText('No errors.');
});

test('an unterminated quote in the middle: the rows before and after it import', async ({
	page
}) => {
	await upload(page, fixture('unterminated-quote.csv'));
	await next(page, 'Map columns');
	await next(page, 'Review');
	await expect.poll(() => numberIn(page, 'review-rows-to-import')).toBe(3);
	await expect(page.getByTestId('review-malformed')).toContainText('1');
	await expect(page.getByRole('table', { name: 'Problem rows' })).toContainText(
		'A quoted cell opens on this row'
	);
	await reviewAndImport(page);
	expect(await numberIn(page, 'import-imported')).toBe(3);
	expect(await numberIn(page, 'import-failed')).toBe(1);
	const errors = page.getByRole('table', { name: 'Errors' });
	await expect(errors.getByRole('row').nth(1)).toContainText('3');
	await expect(errors).toContainText('A quoted cell opens on this row');
	await page.goto('/contacts');
	await expect(page.getByTestId('contacts-count')).toHaveText('3');
	await expect(page.getByRole('link', { name: '+14155550104' })).toBeVisible();
	await expect(page.getByRole('link', { name: '+14155550102' })).toHaveCount(0);
});

test('a hostile file: markup stays text, formulas stay inert, prototype names are plain columns', async ({
	page
}) => {
	const dialogs: string[] = [];
	page.on('dialog', (d) => {
		dialogs.push(d.message());
		void d.dismiss();
	});
	await upload(page, fixture('hostile.csv'));
	const preview = page.getByRole('table', { name: 'Preview' });
	await expect(preview.getByRole('columnheader', { name: '<b>Bold</b>' })).toBeVisible();
	await expect(preview).toContainText('<img src=x onerror=alert(1)>');
	await expect(preview.locator('img, script, svg, b')).toHaveCount(0);

	await next(page, 'Map columns');
	await expect(page.getByRole('combobox', { name: '__proto__' })).toHaveValue('');
	await next(page, 'Review');
	await page
		.getByRole('checkbox', { name: 'Auto-create custom fields for unmapped columns' })
		.check();
	const created = page.getByRole('list', { name: 'Custom fields to create' });
	for (const key of ['proto', 'constructor', 'prototype', 'b_bold_b'])
		await expect(created).toContainText(key);
	await expect.poll(() => numberIn(page, 'review-rows-to-import')).toBe(2);
	await reviewAndImport(page);

	await page.goto('/contacts');
	await page.getByRole('link', { name: '<img src=x onerror=alert(1)>' }).click();
	const detail = page.locator('dl');
	await expect(detail.locator('dt', { hasText: '__proto__' })).toBeVisible();
	await expect(detail).toContainText('polluted');
	await expect(detail).toContainText('<script>alert(1)</script>');
	await expect(detail.locator('img, script')).toHaveCount(0);
	expect(await page.evaluate(() => (({}) as Record<string, unknown>).polluted)).toBeUndefined();

	await page.goto('/contacts');
	await page.getByRole('link', { name: "=cmd|' /C calc'!A0" }).click();
	await expect(page.locator('dl')).toContainText('@SUM(1+1)');
	expect(dialogs).toEqual([]);
});

test('mapping memory and named mappings', async ({ page }) => {
	const file = (name: string, text: string) => ({
		name,
		mimeType: 'text/csv',
		buffer: Buffer.from(text)
	});
	await page.goto('/import');
	await page
		.getByLabel('Contacts file')
		.setInputFiles(file('a.csv', 'Tel,Who,Source\n+14155550301,Ada,Web\n'));
	await next(page, 'Map columns');
	await page.getByRole('combobox', { name: 'Tel' }).selectOption('phone');
	await page.getByRole('combobox', { name: 'Who' }).selectOption('first_name');
	await page.getByRole('combobox', { name: 'Source' }).selectOption('skip');
	await page.getByText('Saved mappings').click();
	await page.getByLabel('Mapping name').fill('Fair leads');
	await page.getByRole('button', { name: 'Save mapping' }).click();
	await expect(page.getByRole('status')).toContainText('Mapping “Fair leads” saved.');
	await next(page, 'Review');
	await reviewAndImport(page);

	// The same header set, in another order: the mapping used last time comes back.
	await page.goto('/import');
	await page
		.getByLabel('Contacts file')
		.setInputFiles(file('b.csv', 'Source,Who,Tel\nWeb,Bob,+14155550302\n'));
	await next(page, 'Map columns');
	await expect(page.getByRole('status')).toContainText('imported before');
	await expect(page.getByRole('combobox', { name: 'Who' })).toHaveValue('first_name');
	await expect(page.getByRole('combobox', { name: 'Source' })).toHaveValue('skip');

	// A named mapping applied to a file that lacks one of its columns says which.
	await page.goto('/import');
	await page
		.getByLabel('Contacts file')
		.setInputFiles(file('c.csv', 'Tel,Other\n+14155550303,x\n'));
	await next(page, 'Map columns');
	await page.getByText('Saved mappings').click();
	await page.getByLabel('Saved mapping', { exact: true }).selectOption('Fair leads');
	await page.getByRole('button', { name: 'Apply mapping' }).click();
	await expect(page.getByRole('status')).toContainText('does not have: Who');
	await expect(page.getByRole('combobox', { name: 'Tel' })).toHaveValue('phone');
});
