/**
 * Every page in every language: after an import made in English, the language is switched in
 * Settings and each page is opened at 360, 768 and 1280 px. Each shows its own words in that
 * language (read from the project's message files, so a string left in English fails), holds its
 * layout (nothing scrolls sideways, even with German's longer labels) and stays clean under axe.
 * Settings' sync and custom field sections are among them (the members section needs a backend
 * that names the device an owner: the team spec covers it), and a second test walks the wizard in
 * each language to Review's fix tools (bulk fixes, value mapping, problem rows, the fix history).
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

/** A message with its placeholders filled in, as the app renders it. */
const fill = (message: string, words: Record<string, string>) =>
	message.replace(/\{(\w+)\}/g, (_, key: string) => words[key] ?? `{${key}}`);

const escapeRegExp = (text: string) => text.replace(/[.*+?^$()|[\]\\{}]/g, '\\$&');

/** A message with any value in its placeholders, for names that hold a row number. */
const pattern = (message: string) =>
	new RegExp(
		'^' +
			message
				.split(/\{\w+\}/)
				.map(escapeRegExp)
				.join('.+') +
			'$'
	);

/** Opens Settings and chooses `lang` (the page reloads into it). */
async function chooseLanguage(page: Page, lang: string, t: Messages) {
	await page.goto('/settings');
	await page.getByLabel('Language', { exact: true }).selectOption(lang);
	await expect(page.getByRole('heading', { level: 1 })).toHaveText(t.nav_settings);
}

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

		await chooseLanguage(page, lang, t);

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
					await expect(p.getByRole('progressbar', { name: t.progress_label })).toBeVisible();
					await expect(p.getByText(`${t.outcome_new}: 2`, { exact: true })).toBeVisible();
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
					// Sync, off: nothing configured on this device.
					await expect(
						p.getByRole('heading', { name: t.settings_sync, exact: true })
					).toBeVisible();
					await expect(p.getByTestId('sync-status')).toHaveText(t.sync_state_off);
					await expect(p.getByLabel(t.sync_backend_url)).toBeVisible();
					await expect(p.getByLabel(t.sync_api_token)).toBeVisible();
					await expect(p.getByRole('checkbox', { name: t.sync_enabled })).toBeVisible();
					await expect(p.getByRole('button', { name: t.sync_save, exact: true })).toBeVisible();
					await expect(p.getByRole('button', { name: t.sync_test, exact: true })).toBeVisible();
					await expect(p.getByText(t.sync_token_hint)).toBeVisible();
					// Custom fields: the import made none (every column went to a standard field).
					const fields = p.getByRole('table', { name: t.settings_custom_fields, exact: true });
					await expect(fields.getByRole('columnheader', { name: t.fields_key })).toBeVisible();
					await expect(fields.getByRole('columnheader', { name: t.fields_label })).toBeVisible();
					await expect(fields.getByRole('cell', { name: t.fields_none })).toBeVisible();
					await expect(p.getByRole('button', { name: t.fields_add, exact: true })).toBeVisible();
					await expect(p.getByText(t.fields_key_hint)).toBeVisible();
				}
			]
		];
		// Each page opens once; its layout and axe are then checked at each width in turn.
		for (const [path, check] of pages) {
			await page.setViewportSize({ width: WIDTHS[0]!, height: 800 });
			await page.goto(path);
			await expect(page.locator('html')).toHaveAttribute('lang', lang);
			await check(page);
			for (const width of WIDTHS) {
				await page.setViewportSize({ width, height: 800 });
				await check(page);
				await noHorizontalScroll(page);
				expect(await axeProblems(page), `${lang} ${path} at ${width}`).toEqual([]);
			}
		}
	});
}

for (const lang of ['de', 'es', 'fr', 'pt-BR']) {
	test(`Review's fix tools in ${lang}: translated, axe-clean, no sideways scroll`, async ({
		page
	}) => {
		test.setTimeout(120_000);
		const t = messages(lang);
		await chooseLanguage(page, lang, t);
		await page.goto('/import');
		await expect(page.locator('html')).toHaveAttribute('lang', lang);
		await page
			.getByLabel(t.file_label, { exact: true })
			.setInputFiles(
				writeCsv('zones.csv', [
					'Phone,First Name,Last Name,Time Zone',
					'+1 212 555 0100,Ana,Ruiz,EST',
					'+1 212 555 0101,Ben,Okafor,EST',
					'+1 415 555 0102,Cy,West,PST',
					'not a phone,Dee,Bad,EST'
				])
			);
		await expect(page.getByRole('table', { name: t.upload_preview, exact: true })).toBeVisible();

		await page.getByRole('button', { name: t.wizard_next, exact: true }).click();
		await expect(page.getByRole('heading', { level: 1 })).toHaveText(t.step_map);
		const mapping = page.getByRole('table', { name: t.map_table, exact: true });
		await expect(mapping.getByRole('columnheader', { name: t.map_samples })).toBeVisible();
		await expect(mapping.getByRole('columnheader', { name: t.map_import_as })).toBeVisible();
		// A select is named by its column's header (the file's words); its options are the app's.
		await expect(
			page.getByRole('combobox', { name: 'Time Zone', exact: true }).locator('option:checked')
		).toHaveText(t.field_timezone);

		await page.getByRole('button', { name: t.wizard_next, exact: true }).click();
		await expect(page.getByRole('heading', { level: 1 })).toHaveText(t.step_review);
		await expect(page.getByRole('heading', { name: t.values_title, exact: true })).toBeVisible();

		// Bulk fixes: find "+1" in Phone, the first column.
		await page.getByText(t.bulk_title, { exact: true }).click();
		await expect(page.getByLabel(t.bulk_fix, { exact: true }).locator('option').first()).toHaveText(
			t.bulk_replace
		);
		await page.getByLabel(t.bulk_find, { exact: true }).fill('+1');
		await page.getByRole('button', { name: t.bulk_preview, exact: true }).click();
		await expect(page.getByTestId('bulk-fix-count')).toHaveText(
			fill(t.bulk_changes_other, { count: '3' })
		);
		await expect(page.getByRole('button', { name: t.bulk_apply, exact: true })).toBeVisible();

		// Value mapping: EST and PST, with their suggested zones.
		await page.getByText(fill(t.values_summary_other, { column: 'Time Zone', count: '2' })).click();
		const values = page.getByRole('table', { name: fill(t.values_table, { column: 'Time Zone' }) });
		await expect(values.getByRole('columnheader', { name: t.values_becomes })).toBeVisible();
		await expect(
			page.getByLabel(fill(t.values_input, { value: 'EST', column: 'Time Zone' }), { exact: true })
		).toHaveValue('America/New_York');

		// Problem rows: the row whose phone is not a number, with a Skip button (EST may add more).
		const problems = page.getByRole('table', { name: t.problems_table, exact: true });
		await expect(problems.getByRole('columnheader', { name: t.errors_reason })).toBeVisible();
		await expect(
			problems.getByRole('cell', { name: t.issue_invalid_phone, exact: true })
		).toBeVisible();
		// The reason too, stored in English by the import's rules, is shown in the language.
		await expect(
			problems.getByRole('cell', { name: t.reason_not_phone, exact: true })
		).toBeVisible();
		await expect(
			problems.getByRole('button', { name: pattern(t.problems_skip_named) }).first()
		).toBeVisible();
		await expect(
			page.getByLabel(t.problems_show, { exact: true }).locator('option').first()
		).toHaveText(t.problems_every);

		// Applying the value mapping lists it among the fixes, with its Undo.
		await page.getByRole('button', { name: t.values_apply, exact: true }).click();
		await expect(
			page.getByRole('heading', { name: fill(t.fixes_title, { count: '1' }), exact: true })
		).toBeVisible();
		await expect(
			page.getByRole('button', { name: fill(t.fixes_undo_named, { n: '1' }), exact: true })
		).toBeVisible();

		for (const width of WIDTHS) {
			await page.setViewportSize({ width, height: 800 });
			await noHorizontalScroll(page);
			expect(await axeProblems(page), `${lang} Review at ${width}`).toEqual([]);
		}
	});
}

test("an edit's refusal reads in the language: the field's name and the rule's reason", async ({
	page
}) => {
	const t = messages('de');
	await upload(page, writeCsv('one.csv', ['Phone,First Name', '+1 212 555 0100,Ana']));
	await next(page, 'Map columns');
	await next(page, 'Review');
	await next(page, 'Import');
	await page.getByRole('button', { name: 'Start import' }).click();
	await expect(page.getByTestId('import-status')).toHaveText('Completed');
	await chooseLanguage(page, 'de', t);

	await page.goto('/contacts/+12125550100');
	await page.getByRole('button', { name: t.contact_edit, exact: true }).click();
	await page.getByLabel(t.field_email, { exact: true }).fill('eve@');
	await page.getByRole('button', { name: t.edit_save, exact: true }).click();
	// Stored and thrown in English by the rules; shown in German by the one error notice.
	await expect(page.getByRole('alert')).toHaveText(`${t.field_email}: ${t.reason_email_shape}.`);
});

test('what the worker and sync write reads in the language: file problems, the do-not-call list, the connection test', async ({
	page
}) => {
	const t = messages('fr');
	await chooseLanguage(page, 'fr', t);

	// Read by the worker, which is told the page's language when it starts.
	await page.goto('/import');
	const input = page.getByLabel(t.file_label, { exact: true });
	await input.setInputFiles({ name: 'vide.csv', mimeType: 'text/csv', buffer: Buffer.alloc(0) });
	await expect(page.getByRole('alert')).toHaveText(t.file_empty);
	await input.setInputFiles(writeCsv('entete.csv', ['Phone,Name']));
	await expect(page.getByRole('alert')).toHaveText(fill(t.file_no_contacts, { row: '1' }));

	await page.goto('/settings');
	await page
		.getByLabel(t.dnc_file, { exact: true })
		.setInputFiles(writeCsv('noms.csv', ['Name', 'Ana']));
	await expect(page.getByRole('alert')).toHaveText(
		fill(t.dnc_no_phone_example, { file: 'noms.csv', row: '2', value: 'Ana' })
	);

	const test = page.getByRole('button', { name: t.sync_test, exact: true });
	await test.click();
	await expect(page.getByRole('status').filter({ hasText: t.conn_enter_url })).toBeVisible();
	// A port nothing listens on: the browser's own reason stays as the browser words it.
	await page.getByLabel(t.sync_backend_url).fill('http://localhost:9');
	await page.getByLabel(t.sync_api_token).fill('jeton');
	await test.click();
	await expect(
		page
			.getByRole('status')
			.filter({ hasText: pattern(t.conn_cannot_reach.replace('{url}', 'http://localhost:9')) })
	).toBeVisible();
});
