import { expect, test } from '@playwright/test';
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fixture, importWithDefaults, writeNumberedCsv } from './helpers';

test('segments: two conditions on imported custom fields, live count, save, reopen', async ({
	page
}) => {
	await importWithDefaults(page, fixture('contacts-realistic.csv'), { autoCreate: true });
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
	// Typed at once after a reload, while the worker reads the index: any early matches give way
	// to the full answer, and the note that more may come goes with them.
	await page.reload();
	await page.getByLabel('Search contacts').fill('first1');
	const results = page.getByRole('list', { name: 'Search results' }).getByRole('link');
	await expect(page.getByText('The first 100 matches; type more to narrow.')).toBeVisible();
	await expect(results).toHaveCount(100);
	await expect(page.getByText('First matches; still searching every contact…')).toHaveCount(0);
	await expect(results.first()).toHaveText(/^First1\d* Last1\d*$/);
	await page.getByLabel('Search contacts').fill('');
	await page.reload();
	await page.getByLabel('Search contacts').fill('last99997 first99997');
	await expect(results).toHaveText(['First99997 Last99997']);
});

test('a segment export is formula-safe and imports back into a fresh browser unchanged', async ({
	page,
	browser
}) => {
	const dir = mkdtempSync(join(tmpdir(), 'callaro-e2e-'));
	const source = join(dir, 'hostile.csv');
	writeFileSync(
		source,
		[
			'Phone,First Name,Last Name,Company,Tags,Lead Source',
			'+14155550101,"=HYPERLINK(""http://evil.example"",""x"")",King,"a;=1+1",vip,web',
			"+14155550102,O'Brien,+cmd|calc,Zoë 日本,vip;west,'=already",
			'+14155550103,@SUM(A1),-2+3,"say ""hi""",vip,＝1+1'
		].join('\n') + '\n'
	);
	/** Imports a file with the suggested mapping and auto-created custom fields. */
	const importFile = async (p: typeof page, path: string) => {
		await importWithDefaults(p, path, { autoCreate: true });
		await expect(p.getByTestId('import-status')).toHaveText('Completed');
		await expect(p.getByTestId('import-imported')).toContainText('3');
	};
	/** Exports a segment of every contact tagged vip and returns the file's text. */
	const exportVip = async (p: typeof page) => {
		await p.goto('/segments');
		await p.getByRole('button', { name: 'New segment' }).click();
		await p.getByLabel('Segment name').fill('VIP');
		await p.getByLabel('Field', { exact: true }).selectOption('tags');
		await p.getByLabel('Operator', { exact: true }).selectOption('has_tag');
		await p.getByLabel('Value', { exact: true }).fill('vip');
		await expect(p.getByTestId('segment-count')).toHaveText('3');
		await p.getByRole('button', { name: 'Save segment' }).click();
		await expect(p).toHaveURL(/\/segments\/[\w-]+$/);
		const [download] = await Promise.all([
			p.waitForEvent('download'),
			p.getByRole('button', { name: 'Export CSV' }).click()
		]);
		const path = join(dir, `${Math.random()}.csv`);
		await download.saveAs(path);
		return readFileSync(path, 'utf8');
	};

	await importFile(page, source);
	const exported = await exportVip(page);
	// Phones are plain E.164; every formula-looking cell is guarded; separators are quoted.
	expect(exported).toContain('+14155550101,');
	expect(exported).toContain(`"'=HYPERLINK(""http://evil.example"",""x"")"`);
	expect(exported).toContain('"a;=1+1"');
	expect(exported).toContain("'+cmd|calc");
	expect(exported).toContain("'@SUM(A1)");
	expect(exported).toContain("'＝1+1");
	// The source's own guard was removed on import, and the export guards the value again.
	expect(exported).toContain(",'=already");

	// A person on another device imports that file: the contacts come back the same.
	const other = await browser.newContext();
	const second = await other.newPage();
	const copy = join(dir, 'exported.csv');
	writeFileSync(copy, exported);
	await importFile(second, copy);
	expect(await exportVip(second)).toBe(exported);
	await second.goto('/contacts');
	await second.getByRole('link', { name: /HYPERLINK/ }).click();
	await expect(second.locator('dl')).toContainText('=HYPERLINK("http://evil.example","x")');
	await expect(second.locator('dl')).toContainText('a;=1+1');
	await other.close();
});
