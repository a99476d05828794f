import { expect, test } from '@playwright/test';
import { numberIn } from './helpers';

test('custom fields: a bad key is explained, a good one is added, renamed and deleted', async ({
	page
}) => {
	await page.goto('/settings');
	await page.getByLabel('Key').fill('Lead Source');
	await page.getByRole('button', { name: 'Add field' }).click();
	await expect(page.getByRole('alert')).toContainText('starts with a lower-case letter');

	await page.getByLabel('Key').fill('email');
	await page.getByRole('button', { name: 'Add field' }).click();
	await expect(page.getByRole('alert')).toContainText('standard field');

	await page.getByLabel('Key').fill('region');
	await page.getByLabel('Label', { exact: true }).fill('Region');
	await page.getByRole('button', { name: 'Add field' }).click();
	const label = page.getByRole('textbox', { name: 'Label for region' });
	await expect(label).toHaveValue('Region');

	await label.fill('Sales region');
	await label.press('Enter');
	await expect(page.getByRole('status')).toContainText('Renamed “region” to “Sales region”');
	await page.reload();
	await expect(page.getByRole('textbox', { name: 'Label for region' })).toHaveValue('Sales region');

	// The mapping offers it under its label, with the cf: value.
	await page.goto('/import');
	await page.getByLabel('Contacts file').setInputFiles({
		name: 'r.csv',
		mimeType: 'text/csv',
		buffer: Buffer.from('Phone,Sales Region\n+14155552671,West\n')
	});
	await page.getByRole('button', { name: 'Next' }).click();
	await expect(page.getByRole('combobox', { name: 'Sales Region' })).toHaveValue('cf:region');

	await page.goto('/settings');
	page.once('dialog', (d) => d.accept());
	await page.getByRole('button', { name: 'Delete region' }).click();
	await expect(page.getByRole('textbox', { name: 'Label for region' })).toHaveCount(0);
});

test('the default country is saved and used by the next review', async ({ page }) => {
	await page.goto('/settings');
	await page.getByLabel('Default country').selectOption('GB');
	await expect(page.getByRole('status')).toContainText('GB');
	await page.goto('/import');
	await page.getByLabel('Contacts file').setInputFiles({
		name: 'uk.csv',
		mimeType: 'text/csv',
		buffer: Buffer.from('Phone,Name\n020 7946 0958,Ada\n07911 123456,Bob\n')
	});
	await page.getByRole('button', { name: 'Next' }).click();
	await page.getByRole('button', { name: 'Next' }).click();
	await expect(page.getByLabel('Default country')).toHaveValue('GB');
	await expect(page.getByTestId('review-rows-to-import')).toBeVisible();
	expect(await numberIn(page, 'review-rows-to-import')).toBe(2);
	expect(await numberIn(page, 'review-invalid-phone')).toBe(0);
	// Switching the country re-runs the pass: these are not valid US numbers.
	await page.getByLabel('Default country').selectOption('US');
	await expect.poll(() => numberIn(page, 'review-invalid-phone')).toBe(2);
	expect(await numberIn(page, 'review-rows-to-import')).toBe(0);
});

test('a backend URL the browser would block is refused with what to use instead', async ({
	page
}) => {
	await page.goto('/settings');
	await page.getByLabel('Backend URL').fill('http://192.168.1.20:8787');
	await page.getByLabel('API token').fill('secret');
	await page.getByRole('button', { name: 'Save sync settings' }).click();
	await expect(page.getByRole('alert')).toContainText('Use https://');
	await expect(page.getByRole('alert')).toContainText('192.168.1.20');
	await expect(page.getByTestId('sync-status')).toHaveText('Off');
	await page.getByLabel('Backend URL').fill('http://localhost:8799');
	await page.getByRole('button', { name: 'Save sync settings' }).click();
	await expect(page.getByRole('alert')).toHaveCount(0);
});
