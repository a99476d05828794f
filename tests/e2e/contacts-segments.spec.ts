import { expect, test } from '@playwright/test';
import { fixture, importWithDefaults, next, writeNumberedCsv } from './helpers';

test('segments: two conditions on imported custom fields, live count, save, reopen', async ({
	page
}) => {
	await page.goto('/import');
	await page.getByLabel('CSV file').setInputFiles(fixture('contacts-realistic.csv'));
	await next(page, 'Map columns');
	await next(page, 'Review');
	await page
		.getByRole('checkbox', { name: 'Auto-create custom fields for unmapped columns' })
		.check();
	await next(page, 'Import');
	await page.getByRole('button', { name: 'Start import' }).click();
	await expect(page.getByTestId('import-status')).toHaveText('Completed');
	await page.getByRole('link', { name: 'View imported contacts' }).click();
	await expect(page.getByRole('list', { name: 'Contacts' }).getByRole('link')).toHaveCount(4);

	await page.getByRole('link', { name: 'Segments', exact: true }).click();
	await page.getByRole('button', { name: 'New segment' }).click();
	await page.getByLabel('Segment name').fill('Web leads with a company');
	await page.getByLabel('Field', { exact: true }).selectOption('cf:lead_source');
	await page.getByLabel('Operator', { exact: true }).selectOption('equals');
	await page.getByLabel('Value', { exact: true }).fill('web');
	await expect(page.getByTestId('segment-count')).toHaveText('1');
	await page.getByRole('button', { name: 'Add condition' }).click();
	await page.getByLabel('Field', { exact: true }).nth(1).selectOption('company');
	await page.getByLabel('Operator', { exact: true }).nth(1).selectOption('is_not_empty');
	await expect(page.getByTestId('segment-count')).toHaveText('1');
	await page.getByLabel('Operator', { exact: true }).nth(1).selectOption('is_empty');
	await expect(page.getByTestId('segment-count')).toHaveText('0');
	await page.getByLabel('Operator', { exact: true }).nth(1).selectOption('is_not_empty');
	await page.getByLabel('Value', { exact: true }).first().fill('');
	await page.getByLabel('Operator', { exact: true }).first().selectOption('is_not_empty');
	await expect(page.getByTestId('segment-count')).toHaveText('3');
	await page.getByRole('button', { name: 'Save segment' }).click();
	await expect(page).toHaveURL(/\/segments\/[\w-]+$/);
	await expect(page.getByRole('list', { name: 'Segment contacts' }).getByRole('link')).toHaveCount(
		3
	);

	await page.getByRole('link', { name: 'Segments', exact: true }).click();
	await page.getByRole('link', { name: 'Web leads with a company' }).click();
	await expect(page.getByLabel('Segment name')).toHaveValue('Web leads with a company');
	await expect(page.getByLabel('Field', { exact: true }).nth(1)).toHaveValue('company');
	await expect(page.getByTestId('segment-count')).toHaveText('3');
	const [download] = await Promise.all([
		page.waitForEvent('download'),
		page.getByRole('button', { name: 'Export CSV' }).click()
	]);
	expect((await download.createReadStream()) !== null).toBe(true);
});

test('edit a contact: validated like an import, saved, shown', async ({ page }) => {
	await importWithDefaults(page, fixture('contacts-realistic.csv'));
	await expect(page.getByTestId('import-status')).toHaveText('Completed');
	await page.goto('/contacts');
	await page.getByLabel('Search contacts').fill('bob');
	await page.getByRole('link', { name: 'Bob Ray' }).click();
	await page.getByRole('button', { name: 'Edit' }).click();
	await page.getByLabel('Email').fill('bob@');
	await page.getByRole('button', { name: 'Save contact' }).click();
	await expect(page.getByRole('alert')).toContainText('Email: Not');
	await page.getByLabel('Email').fill('Bob@Initech.COM');
	await page.getByLabel('Tags').fill('lead; vip');
	await page.getByRole('button', { name: 'Save contact' }).click();
	await expect(page.getByRole('status')).toHaveText('Contact saved.');
	await expect(page.locator('dl')).toContainText('Bob@initech.com');
	await expect(page.locator('dl .chip')).toHaveText(['lead', 'vip']);
	page.once('dialog', (d) => d.accept());
	await page.getByRole('button', { name: 'Delete' }).click();
	await expect(page).toHaveURL(/\/contacts$/);
	await expect(page.getByTestId('contacts-count')).toHaveText('3');
});

test('100,000 contacts: the list keeps fewer than 200 rows in the DOM while scrolling to the end', async ({
	page
}) => {
	await importWithDefaults(page, writeNumberedCsv(100_000, 'hundred-k.csv'));
	await expect(page.getByTestId('import-status')).toHaveText('Completed', { timeout: 120_000 });
	await page.goto('/contacts');
	await expect(page.getByTestId('contacts-count')).toHaveText('100,000');
	const list = page.getByRole('list', { name: 'Contacts' });
	await expect(list.getByRole('link').first()).toBeVisible();
	// Name order ("last first", by code unit), then phone order: both sorted by the worker's index.
	await expect(list.getByRole('link').nth(2)).toHaveText('First10 Last10');
	await page.getByLabel('Sort by').selectOption('phone');
	await expect(list.getByRole('link').nth(2)).toHaveText('First2 Last2');
	let maxRows = 0;
	for (let step = 1; step <= 10; step++) {
		await list.evaluate((el, f) => (el.scrollTop = el.scrollHeight * f), step / 10);
		await page.waitForTimeout(100);
		maxRows = Math.max(maxRows, await list.getByRole('listitem').count());
	}
	expect(maxRows).toBeLessThan(200);
	await expect(list.getByRole('link', { name: 'First99999 Last99999' })).toBeVisible();
	// Search by any format of a phone number, served by the index.
	await page.getByLabel('Search contacts').fill('(212) 209-9999');
	await expect(page.getByRole('list', { name: 'Search results' }).getByRole('link')).toHaveText([
		'First99999 Last99999'
	]);
	// An email prefix and a name prefix, served by the same index.
	await page.getByLabel('Search contacts').fill('person5000@');
	await expect(page.getByRole('list', { name: 'Search results' }).getByRole('link')).toHaveText([
		'First5000 Last5000'
	]);
	await page.getByLabel('Search contacts').fill('last99998 first');
	await expect(page.getByRole('list', { name: 'Search results' }).getByRole('link')).toHaveText([
		'First99998 Last99998'
	]);
});
