/**
 * The wizard on a phone: a 390×844 viewport with touch, importing a 23-column Google Contacts
 * export. The Map step shows the mapped columns and folds the rest behind one button, within two
 * screens; Review shows the rows to import, the missing phones and the unmapped columns on its
 * first screen, before any option; the controls are big enough to touch.
 */
import { devices, expect, test } from '@playwright/test';
import { axeProblems, googleExport, next, noHorizontalScroll, upload } from './helpers';

const SCREEN = { width: 390, height: 844 };

test.use({
	viewport: SCREEN,
	hasTouch: true,
	isMobile: true,
	deviceScaleFactor: devices['iPhone 13'].deviceScaleFactor
});

test('Map fits a Google export in two screens and Review puts its numbers on the first', async ({
	page
}) => {
	await upload(page, googleExport(20));
	await next(page, 'Map columns');
	const more = page.getByRole('button', { name: /^Show \d+ more columns/ });
	await expect(more).toBeVisible();
	// The mapped columns are in view; the others wait behind the button.
	await expect(page.getByLabel('Phone 1 - Value', { exact: true })).toHaveValue('phone');
	await expect(page.getByLabel('Given Name', { exact: true })).toHaveValue('first_name');
	await expect(page.getByLabel('Birthday', { exact: true })).toHaveCount(0);
	const height = await page.evaluate(() => document.documentElement.scrollHeight);
	expect(height).toBeLessThanOrEqual(2 * SCREEN.height);
	// Unfolded, every column can be mapped, in the file's order.
	await more.tap();
	await expect(
		page.getByRole('table', { name: 'Column mapping' }).getByRole('combobox')
	).toHaveCount(23);
	await page.getByLabel('Birthday', { exact: true }).selectOption('skip');

	await next(page, 'Review');
	await expect(page.getByTestId('review-rows-to-import')).toContainText('20');
	for (const id of ['review-rows-to-import', 'review-missing-phone', 'review-unmapped-columns']) {
		const box = await page.getByTestId(id).boundingBox();
		expect(box, id).not.toBeNull();
		expect(box!.y + box!.height, `${id} on the first screen`).toBeLessThanOrEqual(SCREEN.height);
	}
	const counts = await page.getByTestId('review-rows-to-import').boundingBox();
	const country = await page.getByLabel('Default country').boundingBox();
	expect(country!.y).toBeGreaterThan(counts!.y);
	// Every radio and checkbox of the options is a 44 px target, itself or through its label.
	const small = await page
		.locator('main input[type="checkbox"], main input[type="radio"]')
		.evaluateAll((inputs) =>
			inputs
				.map((input) => {
					const own = input.getBoundingClientRect();
					const label = input.closest('label')?.getBoundingClientRect();
					const big = (r?: DOMRect) => !!r && r.height >= 44 && r.width >= 44;
					return big(own) || big(label) ? null : (input as HTMLInputElement).name || input.id;
				})
				.filter((name) => name !== null)
		);
	expect(small).toEqual([]);
});

/** What a person reads in each language, as the test drives it (the app's messages/*.json). */
const LANGUAGES = [
	{
		locale: 'en-US',
		file: 'Contacts file',
		preview: 'Preview',
		map: 'Map columns',
		review: 'Review',
		next: 'Next',
		more: /^Show \d+ more/
	},
	{
		locale: 'es-ES',
		file: 'Archivo de contactos',
		preview: 'Vista previa',
		map: 'Asignar columnas',
		review: 'Revisar',
		next: 'Siguiente',
		more: /^Mostrar \d+ columnas más/
	},
	{
		locale: 'de-DE',
		file: 'Kontaktdatei',
		preview: 'Vorschau',
		map: 'Spalten zuordnen',
		review: 'Prüfen',
		next: 'Weiter',
		more: /^\d+ weitere Spalten zeigen/
	},
	{
		locale: 'fr-FR',
		file: 'Fichier de contacts',
		preview: 'Aperçu',
		map: 'Associer les colonnes',
		review: 'Vérifier',
		next: 'Suivant',
		more: /^Afficher \d+ colonnes de plus/
	},
	{
		locale: 'pt-BR',
		file: 'Arquivo de contatos',
		preview: 'Pré-visualização',
		map: 'Mapear colunas',
		review: 'Revisar',
		next: 'Avançar',
		more: /^Mostrar mais \d+ colunas/
	}
];

for (const lang of LANGUAGES) {
	test(`in ${lang.locale} at 360 and 390 px: Map folds, Review leads with its numbers, axe is clean, nothing scrolls sideways`, async ({
		browser
	}) => {
		// One phone: each screen is checked at 390 px, then turned to 360 px (and back for Review).
		const context = await browser.newContext({
			locale: lang.locale,
			viewport: { width: 390, height: SCREEN.height },
			isMobile: true,
			hasTouch: true
		});
		const page = await context.newPage();
		const holds = async (screen: string, width: number) => {
			await page.setViewportSize({ width, height: SCREEN.height });
			await noHorizontalScroll(page);
			expect(await axeProblems(page), `${lang.locale} ${screen} at ${width}`).toEqual([]);
		};
		await page.goto('/import');
		await page.getByLabel(lang.file).setInputFiles(googleExport(5));
		await expect(page.getByRole('table', { name: lang.preview })).toBeVisible();
		await page.getByRole('button', { name: lang.next, exact: true }).click();
		await expect(page.getByRole('heading', { level: 1 })).toHaveText(lang.map);
		await expect(page.getByRole('button', { name: lang.more })).toBeVisible();
		await holds('map', 390);
		await holds('map', 360);
		await page.getByRole('button', { name: lang.next, exact: true }).click();
		await expect(page.getByRole('heading', { level: 1 })).toHaveText(lang.review);
		await expect(page.getByTestId('review-rows-to-import')).toContainText('5');
		for (const width of [360, 390]) {
			await page.setViewportSize({ width, height: SCREEN.height });
			const unmapped = await page.getByTestId('review-unmapped-columns').boundingBox();
			expect(
				unmapped!.y + unmapped!.height,
				`unmapped columns on the first screen at ${width}`
			).toBeLessThanOrEqual(SCREEN.height);
			await holds('review', width);
		}
		await context.close();
	});
}
