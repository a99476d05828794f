import { expect, test, type Page } from '@playwright/test';
import { fixture, next, numberIn, upload } from './helpers';

/** The value shown beside a label on a contact's page. */
const field = (page: Page, label: string) => page.locator(`dt:text-is("${label}") + dd`);

test('calling-ready: phone types and time zones from the numbers, in Review, on contacts and in segments', async ({
	page
}) => {
	await upload(page, fixture('calling-ready.csv'));
	await next(page, 'Map columns');
	await expect(page.getByLabel('Time Zone', { exact: true })).toHaveValue('timezone');
	await next(page, 'Review');
	await expect(page.getByTestId('review-rows-to-import')).toContainText('6');

	// +1 numbers are fixed-or-mobile (unknown); the UK numbers are a mobile and a landline.
	const types = page.getByTestId('review-phone-types');
	await expect(types).toContainText('Phone types');
	expect(await numberIn(page, 'review-phone-type-mobile')).toBe(1);
	expect(await numberIn(page, 'review-phone-type-landline')).toBe(1);
	expect(await numberIn(page, 'review-phone-type-voip')).toBe(0);
	expect(await numberIn(page, 'review-phone-type-toll_free')).toBe(1);
	expect(await numberIn(page, 'review-phone-type-unknown')).toBe(3);

	// Five rows have no zone: 212 and both UK numbers are placed; 850 (two zones) and 800 are not.
	const fill = page.getByRole('checkbox', { name: 'Fill time zones from phone numbers' });
	await expect(fill).toBeChecked();
	expect(await numberIn(page, 'review-timezone-filled')).toBe(3);
	expect(await numberIn(page, 'review-timezone-unknown')).toBe(2);
	await fill.uncheck();
	await expect(page.getByTestId('review-timezone-unknown')).toContainText('5');
	expect(await numberIn(page, 'review-timezone-filled')).toBe(0);
	await fill.check();
	await expect(page.getByTestId('review-timezone-filled')).toContainText('3');

	await next(page, 'Import');
	await page.getByRole('button', { name: 'Start import' }).click();
	await expect(page.getByTestId('import-status')).toHaveText('Completed');
	await expect(page.getByTestId('import-imported')).toContainText('6');

	const contact = async (name: string, type: string, zone: string) => {
		await page.goto('/contacts');
		await page.getByLabel('Search contacts').fill(name.split(' ')[0]);
		await page.getByRole('link', { name }).click();
		await expect(page.getByRole('heading', { name, level: 1 })).toBeVisible();
		await expect(field(page, 'Phone type')).toHaveText(type);
		await expect(field(page, 'Timezone')).toHaveText(zone);
	};
	await contact('Nadia York', 'Unknown', 'America/New_York');
	await contact('Pan Handle', 'Unknown', '—');
	await contact('Ulla Mobile', 'Mobile', 'Europe/London');
	await contact('Liam London', 'Landline', 'Europe/London');
	await contact('Sam Francisco', 'Unknown', 'Asia/Tokyo');
	await contact('Toll Free', 'Toll-free', '—');

	await page.getByRole('link', { name: 'Segments', exact: true }).click();
	await page.getByRole('button', { name: 'New segment' }).click();
	await page.getByLabel('Segment name').fill('Mobiles');
	await page.getByLabel('Field', { exact: true }).selectOption('phone_type');
	await page.getByLabel('Operator', { exact: true }).selectOption('equals');
	await page.getByLabel('Value', { exact: true }).selectOption('mobile');
	await expect(page.getByTestId('segment-count')).toHaveText('1');
	await page.getByLabel('Value', { exact: true }).selectOption('unknown');
	await expect(page.getByTestId('segment-count')).toHaveText('3');
	await page.getByLabel('Operator', { exact: true }).selectOption('not_equals');
	await expect(page.getByTestId('segment-count')).toHaveText('3');
	await page.getByLabel('Operator', { exact: true }).selectOption('equals');
	await page.getByLabel('Value', { exact: true }).selectOption('mobile');
	await expect(page.getByTestId('segment-count')).toHaveText('1');
	await page.getByRole('button', { name: 'Save segment' }).click();
	await expect(page).toHaveURL(/\/segments\/[\w-]+$/);
	await expect(page.getByRole('list', { name: 'Segment contacts' }).getByRole('link')).toHaveText([
		'Ulla Mobile'
	]);
});
