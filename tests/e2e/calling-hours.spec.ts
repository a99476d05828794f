import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { expect, test, type Page } from '@playwright/test';
import { next, numberIn, upload } from './helpers';

/** The value shown beside a label on a contact's page. */
const field = (page: Page, label: string) => page.locator(`dt:text-is("${label}") + dd`);

// The page's clock is fixed half a second before a minute ends: the app's minute clock then
// ticks every half second of real time, so a test moves the clock and sees the counts follow.
const BEFORE_EIGHT_IN_NEW_YORK = new Date('2026-07-15T11:59:59.500Z'); // NY 07:59, Tokyo 20:59
const AFTER_EIGHT_IN_NEW_YORK = new Date('2026-07-15T12:00:59.500Z'); // NY 08:00, Tokyo 21:00

function callingCsv(): string {
	const dir = mkdtempSync(join(tmpdir(), 'callaro-calling-'));
	const path = join(dir, 'calling.csv');
	writeFileSync(
		path,
		[
			'Phone,First Name,Last Name,Time Zone,Contact Owner',
			'+1 212 555 0100,Nina,York,,ana@acme.io',
			'+44 20 7946 0958,Lena,London,Europe/London,',
			'+81 3 1234 5678,Taro,Tokyo,Asia/Tokyo,Bob',
			'+1 415 555 0100,Sam,Francisco,America/Los_Angeles,',
			'+1 850 555 0100,Pat,Handle,,',
			'+1 646 555 0100,Nia,Park,,'
		].join('\n')
	);
	return path;
}

async function openContact(page: Page, name: string) {
	await page.goto('/contacts');
	await page.getByLabel('Search contacts').fill(name.split(' ')[0]);
	await page.getByRole('link', { name }).click();
	await expect(page.getByRole('heading', { name, level: 1 })).toBeVisible();
}

async function condition(page: Page, fieldName: string, operator: string, value: string) {
	await page.getByLabel('Field', { exact: true }).selectOption(fieldName);
	await page.getByLabel('Operator', { exact: true }).selectOption(operator);
	await page.getByLabel('Value', { exact: true }).fill(value);
}

test('callable now and local time at the test’s own clock, owners mapped and defaulted, in Review, on contacts and in segments', async ({
	page
}) => {
	await page.clock.setFixedTime(BEFORE_EIGHT_IN_NEW_YORK);
	await upload(page, callingCsv());
	await next(page, 'Map columns');
	await expect(page.getByLabel('Contact Owner', { exact: true })).toHaveValue('owner');
	await next(page, 'Review');
	await expect(page.getByTestId('review-rows-to-import')).toContainText('6');
	// 07:59 in New York (not yet, for both numbers), 12:59 in London, 20:59 in Tokyo, 04:59 in
	// San Francisco; the 850 number lies in two zones, so it has none and is never callable.
	await expect(page.getByTestId('review-callable-now')).toHaveText('2');
	expect(await numberIn(page, 'review-callable-unknown')).toBe(1);
	// A minute later New York opens and Tokyo closes: the count follows without a new pass.
	await page.clock.setFixedTime(AFTER_EIGHT_IN_NEW_YORK);
	await expect(page.getByTestId('review-callable-now')).toHaveText('3');
	// Without filling zones from numbers, the New York rows have none either.
	await page.getByRole('checkbox', { name: 'Fill time zones from phone numbers' }).uncheck();
	await expect(page.getByTestId('review-callable-now')).toHaveText('1');
	expect(await numberIn(page, 'review-callable-unknown')).toBe(3);
	await page.getByRole('checkbox', { name: 'Fill time zones from phone numbers' }).check();

	await page.getByLabel('Default owner').fill('  Carla   Diaz ');
	await page.getByLabel('Default owner').blur();
	await next(page, 'Import');
	await page.getByRole('button', { name: 'Start import' }).click();
	await expect(page.getByTestId('import-status')).toHaveText('Completed');
	await expect(page.getByTestId('import-imported')).toContainText('6');

	await openContact(page, 'Nina York');
	await expect(field(page, 'Local time')).toHaveText('08:00');
	await expect(field(page, 'Callable now')).toHaveText('Yes');
	await expect(field(page, 'Owner')).toHaveText('ana@acme.io');
	await page.clock.setFixedTime(BEFORE_EIGHT_IN_NEW_YORK);
	await expect(field(page, 'Local time')).toHaveText('07:59');
	await expect(field(page, 'Callable now')).toHaveText('No');
	await openContact(page, 'Pat Handle');
	await expect(field(page, 'Local time')).toHaveText('Unknown');
	await expect(field(page, 'Callable now')).toHaveText('No');
	// The default owner, cleaned as an imported value is.
	await expect(field(page, 'Owner')).toHaveText('Carla Diaz');

	await page.goto('/segments');
	await page.getByRole('button', { name: 'New segment' }).click();
	await page.getByLabel('Segment name').fill('Callable');
	await condition(page, 'callable_now', 'equals', 'yes');
	await expect(page.getByTestId('segment-count')).toHaveText('2');
	// The clock crosses eight in New York and nine in Tokyo: the live count moves, no reload.
	await page.clock.setFixedTime(AFTER_EIGHT_IN_NEW_YORK);
	await expect(page.getByTestId('segment-count')).toHaveText('3');
	await page.getByLabel('Value', { exact: true }).fill('no');
	await expect(page.getByTestId('segment-count')).toHaveText('3');
	await page.clock.setFixedTime(BEFORE_EIGHT_IN_NEW_YORK);
	await expect(page.getByTestId('segment-count')).toHaveText('4');

	// 09:00–17:00 local: only London (12:59) at this clock; a window past midnight: San Francisco.
	await condition(page, 'local_time', 'between', '09:00-17:00');
	await expect(page.getByTestId('segment-count')).toHaveText('1');
	await page.getByLabel('Value', { exact: true }).fill('22:00-06:00');
	await expect(page.getByTestId('segment-count')).toHaveText('1');
	await page.getByLabel('Value', { exact: true }).fill('09:00');
	await expect(page.getByTestId('segment-count')).toHaveText('—');

	await expect(page.getByText('Write the local time as a window, e.g. 09:00-17:00.')).toBeVisible();

	await condition(page, 'owner', 'equals', 'carla diaz');
	await expect(page.getByTestId('segment-count')).toHaveText('4');
	await page.getByRole('button', { name: 'Save segment' }).click();
	await expect(page).toHaveURL(/\/segments\/[\w-]+$/);
	// In phone order.
	await expect(page.getByRole('list', { name: 'Segment contacts' }).getByRole('link')).toHaveText([
		'Sam Francisco',
		'Nia Park',
		'Pat Handle',
		'Lena London'
	]);
});
