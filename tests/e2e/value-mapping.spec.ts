/**
 * Value mapping in Review: a time zone column written as EST, PST and CET shows its values with
 * their counts and suggested zones; once applied, the import stores the canonical zones. A tag
 * column's spelling variants become one tag. The same columns imported again get the value
 * mappings used before from mapping memory.
 */
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { expect, test, type Page } from '@playwright/test';
import { next, upload } from './helpers';

const field = (page: Page, label: string) => page.locator(`dt:text-is("${label}") + dd`);

test('EST, PST and CET are mapped to IANA zones, and VIP variants to one tag, before the import', async ({
	page
}) => {
	const path = join(mkdtempSync(join(tmpdir(), 'callaro-values-')), 'zones.csv');
	writeFileSync(
		path,
		[
			'Phone,First Name,Last Name,Time Zone,Tags',
			'+1 212 555 0100,Ana,East,EST,VIP',
			'+1 212 555 0101,Ben,East,EST,vip',
			'+1 415 555 0100,Cy,West,PST,V.I.P',
			'+33 6 12 34 56 78,Dee,Paris,CET,VIP',
			'+81 3 1234 5678,Eli,Mars,Olympus,'
		].join('\n')
	);
	await upload(page, path);
	await next(page, 'Map columns');
	await next(page, 'Review');
	await expect(page.getByTestId('review-rows-to-import')).toContainText('5');

	await page.getByText('Map values of Time Zone').click();
	const zones = page.getByRole('table', { name: 'Values of Time Zone' });
	await expect(zones.getByRole('row')).toHaveCount(5);
	await expect(zones.getByRole('row').nth(1)).toContainText('EST');
	await expect(zones.getByRole('row').nth(1)).toContainText('2');
	await expect(page.getByLabel('Value EST of Time Zone', { exact: true })).toHaveValue(
		'America/New_York'
	);
	await expect(page.getByLabel('Value PST of Time Zone', { exact: true })).toHaveValue(
		'America/Los_Angeles'
	);
	await expect(page.getByLabel('Value CET of Time Zone', { exact: true })).toHaveValue(
		'Europe/Paris'
	);
	// No zone is known for "Olympus": the person types one.
	await expect(page.getByLabel('Value Olympus of Time Zone', { exact: true })).toHaveValue(
		'Olympus'
	);
	await page.getByLabel('Value Olympus of Time Zone', { exact: true }).fill('Asia/Tokyo');
	await page.getByRole('button', { name: 'Apply value mapping' }).first().click();
	// The review runs again with the mapping, and the fixes list says what it does.
	await expect(
		page.getByText('Values of “Time Zone” mapped: “EST” → “America/New_York”')
	).toBeVisible();
	await page.getByText('Map values of Time Zone').click();
	await expect(page.getByText('4 values mapped.')).toBeVisible();

	await page.getByText('Map values of Tags').click();
	await expect(page.getByLabel('Value vip of Tags', { exact: true })).toHaveValue('VIP');
	await expect(page.getByLabel('Value V.I.P of Tags', { exact: true })).toHaveValue('VIP');
	await page.getByRole('button', { name: 'Apply value mapping' }).nth(1).click();
	await expect(page.getByText('Values of “Tags” mapped:')).toBeVisible();

	await next(page, 'Import');
	await page.getByRole('button', { name: 'Start import' }).click();
	await expect(page.getByTestId('import-status')).toHaveText('Completed');
	await expect(page.getByTestId('import-imported')).toContainText('5');
	// No warning for an unknown zone: the mapping fixed it before validation.
	await expect(page.getByTestId('import-failed')).toContainText('0');

	const contact = async (name: string, zone: string, tags: string) => {
		await page.goto('/contacts');
		await page.getByLabel('Search contacts').fill(name.split(' ')[0]);
		await page.getByRole('link', { name }).click();
		await expect(field(page, 'Timezone')).toHaveText(zone);
		await expect(field(page, 'Tags')).toHaveText(tags);
	};
	await contact('Ben East', 'America/New_York', 'VIP');
	await contact('Cy West', 'America/Los_Angeles', 'VIP');
	await contact('Dee Paris', 'Europe/Paris', 'VIP');
	await contact('Eli Mars', 'Asia/Tokyo', '—');

	// The same columns again: mapping memory fills each value with what it was mapped to last
	// time (Olympus was typed by the person; no guess would give it).
	await page.goto('/import');
	await upload(page, path);
	await next(page, 'Map columns');
	await next(page, 'Review');
	await page.getByText('Map values of Time Zone').click();
	await expect(page.getByLabel('Value Olympus of Time Zone', { exact: true })).toHaveValue(
		'Asia/Tokyo'
	);
	await expect(page.getByLabel('Value EST of Time Zone', { exact: true })).toHaveValue(
		'America/New_York'
	);
});
