/**
 * The do-not-call list and the calling hours, driven as a person would: a list loaded in Settings
 * from files with numbers in three formats, the Review's count and skip option, a contact marked
 * Do not call, the segment, and calling hours that change who is callable.
 */
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { expect, test, type Page } from '@playwright/test';
import { next, numberIn, upload } from './helpers';

const field = (page: Page, label: string) => page.locator(`dt:text-is("${label}") + dd`);

function file(name: string, text: string): string {
	const path = join(mkdtempSync(join(tmpdir(), 'callaro-dnc-')), name);
	writeFileSync(path, text);
	return path;
}

// 13:30 in London, 08:30 in New York, 05:30 in San Francisco (summer time in all three).
const CLOCK = new Date('2026-07-15T12:30:00Z');

test('a do-not-call list in three number formats marks contacts, counts in Review, skips on request, and never leaves a listed contact callable', async ({
	page
}) => {
	await page.clock.setFixedTime(CLOCK);
	await page.goto('/settings');
	await expect(page.getByTestId('dnc-count')).toHaveText('0');
	// A text file with a header word, an international, a national (default country US) and a
	// 00-prefixed number, and a line that is not a number.
	await page
		.getByLabel('Do-not-call file')
		.setInputFiles(
			file(
				'dnc.txt',
				['Numbers', '+1 415-555-0100', '(212) 555-0101', '0044 20 7946 0958', 'call later'].join(
					'\n'
				)
			)
		);
	await expect(page.getByTestId('dnc-count')).toHaveText('3');
	await expect(page.getByRole('status').filter({ hasText: 'numbers read' })).toContainText(
		'3 numbers read from “dnc.txt”, 3 new on the list. 1 entry was not a phone number and was left out, e.g. row 5: “call later”.'
	);
	// A CSV adds to the list; a number already listed counts once.
	await page
		.getByLabel('Do-not-call file')
		.setInputFiles(file('more.csv', 'phone,name\n+14155550100,Sam\n+1 646 555 0102,Nia\n'));
	await expect(page.getByTestId('dnc-count')).toHaveText('4');

	await upload(
		page,
		file(
			'contacts.csv',
			[
				'Phone,First Name,Last Name,Time Zone',
				'+1 212 555 0101,Nina,York,America/New_York',
				'+1 212 555 0199,Olga,York,America/New_York',
				'+44 20 7946 0958,Lena,London,Europe/London',
				'+1 415 555 0100,Sam,Francisco,America/Los_Angeles',
				'+1 415 555 0177,Ty,Francisco,America/Los_Angeles'
			].join('\n')
		)
	);
	await next(page, 'Map columns');
	await next(page, 'Review');
	await expect(page.getByTestId('review-rows-to-import')).toContainText('5');
	await expect(page.getByTestId('review-do-not-call')).toHaveText('3');
	// Callable: Olga only (New York, 08:30); Nina and Lena are listed, San Francisco is at 05:30.
	await expect(page.getByTestId('review-callable-now')).toHaveText('1');
	await page.getByRole('checkbox', { name: 'Skip do-not-call numbers' }).check();
	await expect(page.getByTestId('review-rows-to-import')).toContainText('2');
	await page.getByRole('checkbox', { name: 'Skip do-not-call numbers' }).uncheck();
	await expect(page.getByTestId('review-rows-to-import')).toContainText('5');
	await next(page, 'Import');
	await page.getByRole('button', { name: 'Start import' }).click();
	await expect(page.getByTestId('import-status')).toHaveText('Completed');
	await expect(page.getByTestId('import-imported')).toContainText('5');

	await page.goto('/contacts');
	await page.getByLabel('Search contacts').fill('Nina');
	await page.getByRole('link', { name: 'Nina York' }).click();
	await expect(field(page, 'Do not call')).toHaveText('Yes');
	await expect(field(page, 'Local time')).toHaveText('08:30');
	await expect(field(page, 'Callable now')).toHaveText('No');

	await page.goto('/segments');
	await page.getByRole('button', { name: 'New segment' }).click();
	await page.getByLabel('Field', { exact: true }).selectOption('do_not_call');
	await page.getByLabel('Operator', { exact: true }).selectOption('equals');
	await page.getByLabel('Value', { exact: true }).fill('yes');
	await expect(page.getByTestId('segment-count')).toHaveText('3');
	await page.getByLabel('Field', { exact: true }).selectOption('callable_now');
	await expect(page.getByTestId('segment-count')).toHaveText('1');

	// Calling hours from 05:00: San Francisco (05:30) opens, but Sam is listed: only Ty joins.
	await page.goto('/settings');
	await page.getByLabel('Calling hours from').fill('05:00');
	await page.getByLabel('Calling hours from').blur();
	await expect(page.getByRole('status').filter({ hasText: 'Calling hours saved' })).toHaveText(
		'Calling hours saved: 05:00–21:00, local time.'
	);
	await page.goto('/segments');
	await page.getByRole('button', { name: 'New segment' }).click();
	await page.getByLabel('Field', { exact: true }).selectOption('callable_now');
	await page.getByLabel('Value', { exact: true }).fill('yes');
	await expect(page.getByTestId('segment-count')).toHaveText('2');

	// Cleared, the list unflags: every contact in hours is callable.
	await page.goto('/settings');
	page.once('dialog', (d) => void d.accept());
	await page.getByRole('button', { name: 'Clear do-not-call list' }).click();
	await expect(page.getByTestId('dnc-count')).toHaveText('0');
	await page.goto('/segments');
	await page.getByRole('button', { name: 'New segment' }).click();
	await page.getByLabel('Field', { exact: true }).selectOption('callable_now');
	await page.getByLabel('Value', { exact: true }).fill('yes');
	await expect(page.getByTestId('segment-count')).toHaveText('5');
	expect(await numberIn(page, 'segment-count')).toBe(5);
});

test('the skip option reports each listed row in the error report', async ({ page }) => {
	await page.goto('/settings');
	await page.getByLabel('Do-not-call file').setInputFiles(file('one.txt', '+1 415 555 0100\n'));
	await expect(page.getByTestId('dnc-count')).toHaveText('1');
	await upload(
		page,
		file('two.csv', 'Phone,First Name\n+1 415 555 0100,Sam\n+1 415 555 0101,Ada\n')
	);
	await next(page, 'Map columns');
	await next(page, 'Review');
	await page.getByRole('checkbox', { name: 'Skip do-not-call numbers' }).check();
	await expect(page.getByTestId('review-rows-to-import')).toContainText('1');
	await next(page, 'Import');
	await page.getByRole('button', { name: 'Start import' }).click();
	await expect(page.getByTestId('import-status')).toHaveText('Completed');
	await expect(page.getByTestId('import-imported')).toContainText('1');
	await expect(page.getByTestId('import-skipped')).toContainText('1');
	const errors = page.getByRole('table', { name: 'Errors' });
	await expect(errors).toContainText('On the do-not-call list');
	await expect(errors).toContainText('+14155550100 is on the do-not-call list');
});
