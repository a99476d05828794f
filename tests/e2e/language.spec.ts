/**
 * The app's language: the browser's on a first visit when the app has it, `Language` in Settings
 * switches it (labelled the same in every language), the choice is remembered, and `<html lang>`
 * follows it. Numbers follow the language too.
 */
import { expect, test } from '@playwright/test';
import { BASE } from './helpers';

test('a German browser gets German; Language switches to French and is remembered; English again', async ({
	browser
}) => {
	const context = await browser.newContext({ locale: 'de-DE' });
	const page = await context.newPage();
	await page.goto(`${BASE}/`);
	await expect(page.getByRole('link', { name: 'Einstellungen' })).toBeVisible();
	await expect(page.locator('html')).toHaveAttribute('lang', 'de');
	await expect(page.getByRole('link', { name: 'Import starten' })).toBeVisible();

	await page.getByRole('link', { name: 'Einstellungen' }).click();
	const language = page.getByLabel('Language', { exact: true });
	await expect(language).toHaveValue('de');
	await language.selectOption('fr');
	await expect(page.getByRole('link', { name: 'Réglages' })).toBeVisible();
	await expect(page.locator('html')).toHaveAttribute('lang', 'fr');
	await page.reload();
	await expect(page.getByRole('link', { name: 'Réglages' })).toBeVisible();
	await expect(page.getByLabel('Language', { exact: true })).toHaveValue('fr');

	await page.getByLabel('Language', { exact: true }).selectOption('en');
	await expect(page.getByRole('link', { name: 'Settings' })).toBeVisible();
	await expect(page.locator('html')).toHaveAttribute('lang', 'en');
	await context.close();
});

test('a browser in a language the app lacks gets English', async ({ browser }) => {
	const context = await browser.newContext({ locale: 'ja-JP' });
	const page = await context.newPage();
	await page.goto(`${BASE}/`);
	await expect(page.getByRole('link', { name: 'Settings' })).toBeVisible();
	await expect(page.locator('html')).toHaveAttribute('lang', 'en');
	await context.close();
});
