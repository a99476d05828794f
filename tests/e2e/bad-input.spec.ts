import { expect, test } from '@playwright/test';
import { fixture, next } from './helpers';

async function pick(
	page: import('@playwright/test').Page,
	file: string | { name: string; mimeType: string; buffer: Buffer }
) {
	await page.goto('/import');
	await page.getByLabel('CSV file').setInputFiles(file);
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
