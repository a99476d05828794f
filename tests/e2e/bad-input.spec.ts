import { expect, test } from '@playwright/test';
import { fixture, next, numberIn } from './helpers';

async function pick(
	page: import('@playwright/test').Page,
	file: string | { name: string; mimeType: string; buffer: Buffer }
) {
	await page.goto('/import');
	await page.getByLabel('Contacts file').setInputFiles(file);
}

test('an empty file gets a clear message on Upload and cannot go on', async ({ page }) => {
	await pick(page, fixture('empty.csv'));
	await expect(page.getByRole('alert')).toContainText('The file is empty');
	await expect(page.getByRole('button', { name: 'Next' })).toBeDisabled();
});

test('a header-only file says there are no contacts', async ({ page }) => {
	await pick(page, fixture('header-only.csv'));
	await expect(page.getByRole('alert')).toContainText('no contacts below it');
	await expect(page.getByRole('button', { name: 'Next' })).toBeDisabled();
});

test('a binary file renamed .csv is refused with a reason', async ({ page }) => {
	const png = Buffer.from([
		0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a, 0, 0, 0, 0x0d, 0x49, 0x48, 0x44, 0x52, 0, 0, 1,
		0
	]);
	await pick(page, {
		name: 'photo.csv',
		mimeType: 'text/csv',
		buffer: Buffer.concat([png, Buffer.alloc(2000, 0)])
	});
	await expect(page.getByRole('alert')).toContainText('binary data');
	await expect(page.getByRole('button', { name: 'Next' })).toBeDisabled();
});

test('a file with no phone column is blocked on Map columns', async ({ page }) => {
	await pick(page, fixture('no-phone.csv'));
	await expect(page.getByRole('table', { name: 'Preview' })).toBeVisible();
	await next(page, 'Map columns');
	await expect(page.getByRole('alert')).toContainText('No column is mapped to Phone');
	await expect(page.getByRole('button', { name: 'Next' })).toBeDisabled();
});

test('an unknown import id says so instead of spinning', async ({ page }) => {
	await page.goto('/imports/does-not-exist');
	await expect(page.getByRole('heading', { name: 'Import not found' })).toBeVisible();
});

test('a file whose every other line opens a quote that never closes is read in linear time', async ({
	page
}) => {
	// 60,000 lines: each broken line's quote would make a reader that searches the rest again
	// after every stray quote take many minutes; every good row must still be imported.
	const lines = ['Phone,First Name'];
	for (let i = 0; i < 30_000; i++) {
		const n = `${200 + Math.floor(i / 10_000)}${String(i % 10_000).padStart(4, '0')}`;
		lines.push(`+1212${n},Good${i}`, `"broken ${i},x`);
	}
	await pick(page, {
		name: 'broken-quotes.csv',
		mimeType: 'text/csv',
		buffer: Buffer.from(lines.join('\n') + '\n')
	});
	await expect(page.getByRole('table', { name: 'Preview' })).toBeVisible({ timeout: 10_000 });
	await next(page, 'Map columns');
	await next(page, 'Review');
	await expect(page.getByTestId('review-rows-to-import')).toBeVisible({ timeout: 30_000 });
	expect(await numberIn(page, 'review-rows-to-import')).toBe(30_000);
	expect(await numberIn(page, 'review-malformed')).toBe(30_000);
});
