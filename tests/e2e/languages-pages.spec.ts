/**
 * Every page in every language: after an import made in English, the language is switched in
 * Settings and each page is opened at 360, 768 and 1280 px. Each shows its own words in that
 * language (read from the project's message files, so a string left in English fails), holds its
 * layout (nothing scrolls sideways, even with German's longer labels) and stays clean under axe.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { expect, test, type Page } from '@playwright/test';
import { axeProblems, next, noHorizontalScroll, upload, writeCsv } from './helpers';

type Messages = Record<string, string>;
const messages = (lang: string): Messages =>
	JSON.parse(
		readFileSync(join(import.meta.dirname, '..', '..', 'messages', `${lang}.json`), 'utf8')
	);

const WIDTHS = [360, 768, 1280];

for (const lang of ['de', 'es', 'fr', 'pt-BR']) {
	test(`every page in ${lang} at ${WIDTHS.join(', ')} px: translated, axe-clean, no sideways scroll`, async ({
		page
	}) => {
		test.setTimeout(180_000);
		const t = messages(lang);
		await upload(
			page,
			writeCsv('team.csv', [
				'Phone,First Name,Last Name,Company',
				'+1 212 555 0100,Ana,Ruiz,Acme',
				'+1 212 555 0101,Ben,Okafor,Acme'
			])
		);
		await next(page, 'Map columns');
		await next(page, 'Review');
		await next(page, 'Import');
		await page.getByRole('button', { name: 'Start import' }).click();
		await expect(page.getByTestId('import-status')).toHaveText('Completed');
		const detail = new URL(page.url()).pathname;

		await page.goto('/settings');
		await page.getByLabel('Language', { exact: true }).selectOption(lang);
		await expect(page.getByRole('heading', { level: 1 })).toHaveText(t.nav_settings);

		const pages: [string, (p: Page) => Promise<void>][] = [
			[
				'/',
				async (p) => void (await expect(p.getByRole('link', { name: t.home_start })).toBeVisible())
			],
			[
				'/import',
				async (p) =>
					void (await expect(p.getByRole('heading', { level: 1 })).toHaveText(t.step_upload))
			],
			[
				'/imports',
				async (p) => {
					await expect(p.getByRole('heading', { level: 1 })).toHaveText(t.nav_history);
					await expect(p.getByRole('columnheader', { name: t.history_file })).toBeVisible();
					await expect(p.getByRole('cell', { name: t.status_completed })).toBeVisible();
				}
			],
			[
				detail,
				async (p) => {
					await expect(p.getByRole('heading', { level: 1 })).toHaveText(
						t.detail_title.replace('{file}', 'team.csv')
					);
					await expect(p.getByTestId('import-status')).toHaveText(t.status_completed);
					await expect(p.getByRole('link', { name: t.detail_download_report })).toBeVisible();
					await expect(p.getByRole('columnheader', { name: t.errors_reason })).toBeVisible();
					await expect(p.getByRole('cell', { name: t.errors_none })).toBeVisible();
				}
			],
			[
				'/contacts',
				async (p) => {
					await expect(p.getByRole('heading', { level: 1 })).toHaveText(t.nav_contacts);
					await expect(p.getByLabel(t.contacts_search)).toBeVisible();
					await expect(p.locator('p', { has: p.getByTestId('contacts-count') })).toHaveText(
						`2 ${t.contacts_word_other}`
					);
				}
			],
			[
				'/contacts/+12125550100',
				async (p) => {
					await expect(p.getByRole('heading', { level: 1 })).toHaveText('Ana Ruiz');
					await expect(p.locator('dt').first()).toHaveText(t.field_phone);
					await expect(p.getByRole('button', { name: t.contact_edit })).toBeVisible();
				}
			],
			[
				'/segments',
				async (p) => {
					await expect(p.getByRole('heading', { level: 1 })).toHaveText(t.nav_segments);
					await expect(p.getByRole('button', { name: t.segments_new })).toBeVisible();
				}
			],
			[
				'/settings',
				async (p) => {
					await expect(p.getByRole('heading', { name: t.settings_calling_hours })).toBeVisible();
					await expect(p.getByLabel(t.hours_from)).toBeVisible();
					await expect(p.getByLabel(t.country_label)).toBeVisible();
				}
			]
		];
		for (const width of WIDTHS) {
			await page.setViewportSize({ width, height: 800 });
			for (const [path, check] of pages) {
				await page.goto(path);
				await expect(page.locator('html')).toHaveAttribute('lang', lang);
				await check(page);
				await noHorizontalScroll(page);
				expect(await axeProblems(page), `${lang} ${path} at ${width}`).toEqual([]);
			}
		}
	});
}
