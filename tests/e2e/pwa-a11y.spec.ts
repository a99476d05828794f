import { expect, test, type Page, type TestInfo } from '@playwright/test';
import { axeProblems, fixture, next, noHorizontalScroll } from './helpers';

const SIZES = [
	{ name: 'phone', width: 360, height: 640 },
	{ name: 'tablet', width: 768, height: 1024 },
	{ name: 'desktop', width: 1280, height: 800 }
];

/**
 * With `E2E_SHOTS=1`, a full-page screenshot of each checked screen, in the test's output folder,
 * for a person to look over the layouts (nothing compares them, so a plain run skips their cost).
 */
async function shot(page: Page, info: TestInfo, name: string) {
	if (process.env.E2E_SHOTS === '1')
		await page.screenshot({ path: info.outputPath(`${name}.png`), fullPage: true });
}

test('after one visit the whole app works offline: every route, and the wizard to a Completed import', async ({
	page,
	context
}) => {
	await page.goto('/');
	await page.evaluate(async () => {
		await navigator.serviceWorker.ready;
		if (!navigator.serviceWorker.controller) {
			await new Promise((r) =>
				navigator.serviceWorker.addEventListener('controllerchange', r, { once: true })
			);
		}
	});
	await context.setOffline(true);
	for (const [path, heading] of [
		['/imports', 'Import history'],
		['/contacts', 'Contacts'],
		['/segments', 'Segments'],
		['/settings', 'Settings'],
		['/import', 'Upload']
	]) {
		await page.goto(path);
		await expect(page.getByRole('heading', { name: heading, level: 1 })).toBeVisible();
	}
	await expect(page.getByRole('status').filter({ hasText: 'Offline' }).first()).toBeVisible();
	await page.reload();
	await page.getByLabel('Contacts file').setInputFiles(fixture('contacts-realistic.csv'));
	await next(page, 'Map columns');
	await next(page, 'Review');
	await next(page, 'Import');
	await page.getByRole('button', { name: 'Start import' }).click();
	await expect(page.getByTestId('import-status')).toHaveText('Completed');
	await expect(page.getByTestId('import-imported')).toHaveText('4');
});

for (const size of SIZES) {
	test(`every page and wizard step at ${size.width}×${size.height}: no serious axe violation, no sideways scroll`, async ({
		browser
	}, info) => {
		const mobile = size.width < 1000;
		const context = await browser.newContext({
			viewport: { width: size.width, height: size.height },
			isMobile: mobile,
			hasTouch: mobile
		});
		const page = await context.newPage();
		const check = async (name: string) => {
			await noHorizontalScroll(page);
			expect(await axeProblems(page), name).toEqual([]);
			await shot(page, info, `${size.name}-${name}`);
		};
		await page.goto('/');
		await check('home');
		await page.goto('/import');
		await check('upload');
		await page.getByLabel('Contacts file').setInputFiles(fixture('contacts-realistic.csv'));
		await expect(page.getByRole('table', { name: 'Preview' })).toBeVisible();
		await check('upload-preview');
		await next(page, 'Map columns');
		await check('map');
		await page.getByRole('combobox', { name: 'Last Name', exact: true }).selectOption('first_name');
		await check('map-blocked');
		await page.getByRole('combobox', { name: 'Last Name', exact: true }).selectOption('last_name');
		await next(page, 'Review');
		await expect(page.getByTestId('review-rows-to-import')).toBeVisible();
		await check('review');
		await next(page, 'Import');
		await check('import');
		await page.getByRole('button', { name: 'Start import' }).click();
		await expect(page.getByTestId('import-status')).toHaveText('Completed');
		await check('import-detail');
		await page.goto('/imports');
		await check('history');
		await page.goto('/contacts');
		await expect(page.getByTestId('contacts-count')).toHaveText('4');
		await check('contacts');
		await page.getByRole('list', { name: 'Contacts' }).getByRole('link').first().click();
		await check('contact');
		await page.goto('/segments');
		await page.getByRole('button', { name: 'New segment' }).click();
		await check('segments');
		await page.getByLabel('Segment name').fill('All');
		await page.getByLabel('Operator').selectOption('is_not_empty');
		await page.getByRole('button', { name: 'Save segment' }).click();
		await expect(page).toHaveURL(/\/segments\/[\w-]+$/);
		await check('segment');
		await page.goto('/settings');
		await check('settings');
		await context.close();
	});
}

test('the whole wizard by keyboard alone; focus moves to each step heading', async ({ page }) => {
	await page.goto('/import');
	await page.getByLabel('Contacts file').setInputFiles(fixture('contacts-realistic.csv'));
	await expect(page.getByRole('table', { name: 'Preview' })).toBeVisible();
	const tabTo = async (name: string) => {
		for (let i = 0; i < 200; i++) {
			await page.keyboard.press('Tab');
			const focused = await page.evaluate(() => document.activeElement?.textContent?.trim() ?? '');
			if (focused === name) return;
		}
		throw new Error(`could not reach “${name}” with Tab`);
	};
	for (const heading of ['Map columns', 'Review', 'Import']) {
		await tabTo('Next');
		await page.keyboard.press('Enter');
		await expect(page.getByRole('heading', { name: heading, level: 1 })).toBeFocused();
		if (heading === 'Review') await expect(page.getByTestId('review-rows-to-import')).toBeVisible();
	}
	await tabTo('Start import');
	await page.keyboard.press('Enter');
	await expect(page.getByTestId('import-status')).toHaveText('Completed');
});

test('pasted CSV text imports like a file', async ({ page }) => {
	await page.goto('/import');
	await page.getByText('Paste cells or CSV text instead').click();
	await page.getByLabel('Cells or CSV text').fill('Phone,First Name\n+14155550901,Pasted\n');
	await page.getByRole('button', { name: 'Use pasted text' }).click();
	await expect(page.getByRole('table', { name: 'Preview' })).toContainText('Pasted');
	await next(page, 'Map columns');
	await next(page, 'Review');
	await expect(page.getByTestId('review-rows-to-import')).toContainText('1');
});
