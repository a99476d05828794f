import { expect, test, type Locator, type Page } from '@playwright/test';
import {
	BASE,
	googleExport,
	importWithDefaults,
	next,
	numberIn,
	upload,
	writeCsv
} from './helpers';

async function box(locator: Locator) {
	const b = await locator.boundingBox();
	expect(b).not.toBeNull();
	return b!;
}

async function pageScrollsSideways(page: Page): Promise<boolean> {
	return page.evaluate(
		() => document.documentElement.scrollWidth > document.documentElement.clientWidth
	);
}

test('a wide preview scrolls in its own frame, rows one line high, header and row numbers in view', async ({
	page
}) => {
	await page.setViewportSize({ width: 1280, height: 900 });
	await upload(page, googleExport(40));
	const frame = page.getByRole('region', { name: 'Preview, scrollable' });
	const table = page.getByRole('table', { name: 'Preview' });
	await expect(table.getByRole('columnheader')).toHaveCount(24);
	await expect(frame).toHaveAttribute('tabindex', '0');

	const heights = await table
		.locator('tbody tr')
		.evaluateAll((rows) => rows.map((r) => r.getBoundingClientRect().height));
	expect(heights.length).toBeGreaterThan(5);
	for (const h of heights) expect(h).toBeLessThan(40);
	const header = await box(table.getByRole('columnheader', { name: 'Given Name' }));
	expect(header.height).toBeLessThan(40);
	expect(await pageScrollsSideways(page)).toBe(false);
	// A long cell is cut short on screen and whole in its title.
	const note = table.getByRole('cell', { name: /^A note long enough/ }).first();
	await expect(note).toHaveAttribute('title', /about person 0 and more$/);

	const scroll = await frame.evaluate((el) => {
		el.scrollTop = 250;
		el.scrollLeft = el.scrollWidth;
		return { top: el.scrollTop, left: el.scrollLeft };
	});
	expect(scroll.top).toBeGreaterThan(100);
	expect(scroll.left).toBeGreaterThan(100);
	const frameBox = await box(frame);
	// The last column's header is still at the top of the frame.
	const last = await box(table.getByRole('columnheader', { name: 'Address 1 - Formatted' }));
	expect(Math.abs(last.y - frameBox.y)).toBeLessThan(3);
	// The corner header and a row number scrolled into view stay at the frame's left edge.
	const corner = await box(table.getByRole('columnheader', { name: 'Row' }));
	expect(Math.abs(corner.x - frameBox.x)).toBeLessThan(3);
	expect(Math.abs(corner.y - frameBox.y)).toBeLessThan(3);
	const numbers = table.locator('tbody tr td:first-child');
	const visible = await numbers.evaluateAll((cells, frameTop) => {
		return cells.findIndex((c) => c.getBoundingClientRect().top > (frameTop as number) + 60);
	}, frameBox.y);
	expect(visible).toBeGreaterThan(3);
	const rowNumber = await box(numbers.nth(visible));
	expect(Math.abs(rowNumber.x - frameBox.x)).toBeLessThan(3);
	expect(rowNumber.y).toBeLessThan(frameBox.y + frameBox.height);
	expect(await pageScrollsSideways(page)).toBe(false);
});

test('Review folds the unmapped column names and has one primary button, Next', async ({
	page
}) => {
	await page.setViewportSize({ width: 1280, height: 900 });
	await upload(page, googleExport(5));
	await next(page, 'Map columns');
	await next(page, 'Review');
	const card = page.getByTestId('review-unmapped-columns');
	await expect(card).toBeVisible({ timeout: 60_000 });
	const unmapped = await numberIn(page, 'review-unmapped-columns');
	expect(unmapped).toBeGreaterThan(10);
	const names = card.getByRole('listitem');
	await expect(names.first()).toBeHidden();
	const card0 = await box(card);
	expect(card0.height).toBeLessThan(200);
	await card.getByText(`Show ${unmapped} columns`).click();
	await expect(names).toHaveCount(unmapped);
	await expect(names.filter({ hasText: 'Given Name Yomi' })).toHaveCount(0);
	await expect(card.getByRole('listitem').filter({ hasText: 'Birthday' })).toBeVisible();

	const primary = page.locator('button.primary:visible');
	await expect(primary).toHaveCount(1);
	await expect(primary).toHaveText('Next');
	const start = page.getByRole('button', { name: 'Start import' });
	await expect(start).toBeVisible();
	await expect(start).not.toHaveClass(/primary/);
	await next(page, 'Import');
	await expect(page.locator('button.primary:visible')).toHaveCount(1);
	await expect(page.locator('button.primary:visible')).toHaveText('Start import');
});

test('segment condition controls are named exactly Field, Operator and Value', async ({ page }) => {
	await page.goto(`${BASE}/segments`);
	await page.getByRole('button', { name: 'New segment' }).click();
	await page.getByRole('button', { name: 'Add condition' }).click();
	const fields = page.getByRole('combobox', { name: 'Field', exact: true });
	const operators = page.getByRole('combobox', { name: 'Operator', exact: true });
	const values = page.getByRole('textbox', { name: 'Value', exact: true });
	await expect(fields).toHaveCount(2);
	await expect(operators).toHaveCount(2);
	await expect(values).toHaveCount(2);
	for (let i = 0; i < 2; i++) {
		await expect(fields.nth(i)).toHaveAccessibleName('Field');
		await expect(operators.nth(i)).toHaveAccessibleName('Operator');
		await expect(values.nth(i)).toHaveAccessibleName('Value');
	}
	const ids = await page
		.locator('.condition select, .condition input')
		.evaluateAll((els) => els.map((e) => e.id));
	expect(ids.every((id) => id !== '')).toBe(true);
	expect(new Set(ids).size).toBe(ids.length);
	// Each label still focuses its own control.
	await page.getByText('Operator', { exact: true }).nth(1).click();
	await expect(operators.nth(1)).toBeFocused();
});

test('search finds a name with punctuation, whole or in part, and runs none of it', async ({
	page
}) => {
	const markup = '<img src=x onerror="window.__xss=1">';
	const path = writeCsv('markup.csv', [
		'phone,first_name,last_name,email,company',
		`+14155550301,"${markup.replace(/"/g, '""')}",,x@example.com,`,
		'+14155550302,Window,Cleaner,clean@example.com,"AT&T (US)"'
	]);
	await importWithDefaults(page, path);
	await expect(page.getByTestId('import-status')).toHaveText('Completed');
	await page.goto(`${BASE}/contacts`);
	const list = page.getByRole('list', { name: 'Contacts' });
	await expect(list.getByRole('link', { name: markup })).toBeVisible();
	const search = page.getByLabel('Search contacts');
	for (const query of [markup, 'onerror="window', 'window.__xss', 'xss']) {
		await search.fill(query);
		await expect(page.getByRole('link', { name: markup })).toBeVisible();
		await expect(page.getByRole('link', { name: 'Window Cleaner' })).toHaveCount(0);
	}
	await search.fill('at&t (us)');
	await expect(page.getByRole('link', { name: 'Window Cleaner' })).toBeVisible();
	await expect(page.getByRole('link', { name: markup })).toHaveCount(0);
	await search.fill('(415) 555-0302');
	await expect(page.getByRole('link', { name: 'Window Cleaner' })).toBeVisible();
	expect(await page.evaluate(() => (window as { __xss?: unknown }).__xss)).toBeUndefined();
	await expect(page.locator('main img')).toHaveCount(0);
});

test('the outcome bar shows each count in proportion at 360 px', async ({ page }) => {
	await page.setViewportSize({ width: 360, height: 800 });
	const path = writeCsv('outcome.csv', [
		'phone,first_name',
		'+14155550401,Ada',
		'+14155550402,Bea',
		'+14155550403,Cy',
		'+14155550404,Di',
		'12,Invalid',
		'+14155550401,Again'
	]);
	await importWithDefaults(page, path);
	await expect(page.getByTestId('import-status')).toHaveText('Completed');
	expect(await numberIn(page, 'import-imported')).toBe(4);
	expect(await numberIn(page, 'import-skipped')).toBe(2);

	const bar = page.getByRole('img', { name: /Import outcome/ });
	await expect(bar).toBeVisible();
	await expect(bar).toHaveAccessibleName(
		'Import outcome of 6 rows: 4 new, 0 updated, 2 skipped, 0 failed.'
	);
	const whole = await box(bar);
	const created = await box(bar.locator('[data-kind="created"]'));
	const skipped = await box(bar.locator('[data-kind="skipped"]'));
	expect(Math.abs(created.width - (whole.width * 4) / 6)).toBeLessThan(2);
	expect(Math.abs(skipped.width - (whole.width * 2) / 6)).toBeLessThan(2);
	await expect(bar.locator('[data-kind="failed"]')).toHaveCount(0);
	const legend = page.getByRole('listitem').filter({ hasText: /^(New|Updated|Skipped|Failed):/ });
	await expect(legend).toHaveText(['New: 4', 'Updated: 0', 'Skipped: 2', 'Failed: 0']);
	expect(await pageScrollsSideways(page)).toBe(false);
});
