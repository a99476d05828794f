/**
 * The wizard in every engine: a CSV with problems fixed in Review, to a completed job, its error
 * report and its undo; then a workbook (.xlsx, .ods) and contact cards (.vcf) to completed jobs.
 */
import { describe, expect, it } from 'vitest';
import { enginesToTest } from './browsers';
import { useDevice } from './fixture';
import {
	captureDownloads,
	fixture,
	importEnds,
	importUploaded,
	next,
	savedText,
	tempFile,
	upload
} from './app';
import { odsFile, xlsxFile } from '../../scripts/gen-workbook.js';

describe.each(enginesToTest())('%s', (engine) => {
	const ctx = useDevice(engine);

	it('CSV: fixes in Review, a completed job, its error report, and undo', async () => {
		const { page } = ctx.device;
		await upload(page, fixture('contacts-realistic.csv'));
		await next(page, 'Map columns');
		// The suggestions are there however quickly Next was pressed.
		expect((await page.label('Phone Number').first()).value).toBe('phone');
		await next(page, 'Review');
		expect(await page.testId('review-rows-to-import').number(60_000)).toBe(4);
		expect(await page.testId('review-invalid-phone').number()).toBe(1);
		await page.label('Row 5 phone').fill('+1 415 555 0105');
		await page.testId('review-invalid-phone').waitForText(/^0\b/);
		expect(await page.testId('review-rows-to-import').number()).toBe(5);
		await next(page, 'Import');
		await page.role('button', 'Start import').click();
		await importEnds(page);
		expect(await page.testId('import-imported').number()).toBe(5);

		await captureDownloads(page);
		await page.role('link', 'Download error report', { prefix: true }).click();
		const report = await savedText(page);
		expect(report.split('\r\n')[0]).toContain('fixed: Phone Number');
		expect(report).toMatch(/Missing phone|Duplicate/);

		await page.navigate('Contacts');
		await page.testId('contacts-count').waitForText('5');
		await page.navigate('Import history');
		await page.role('table', 'Import history').first();
		await page.role('link', 'contacts-realistic.csv', { prefix: true }).click();
		await page.role('button', 'Undo import').click();
		await page.testId('import-undone').waitForText(/5 contacts deleted/, 60_000);
		await page.navigate('Contacts');
		await page.testId('contacts-count').waitForText('0');
	});

	it('.xlsx, .ods and .vcf each import to a completed job', async () => {
		const { page } = ctx.device;
		const sheet = [
			['Phone', 'First Name', 'Company'],
			['+14155550201', 'Ana', 'Acme'],
			['+14155550202', 'Ben', 'Beta'],
			['+14155550203', 'Cy', 'Cee']
		];
		const cases: [string, string, number][] = [
			[
				tempFile('book.xlsx', xlsxFile({ sheets: [{ name: 'People', rows: sheet }] })),
				'book.xlsx',
				3
			],
			[tempFile('book.ods', odsFile({ sheets: [{ name: 'People', rows: sheet }] })), 'book.ods', 3],
			[fixture('phone-contacts.vcf'), 'phone-contacts.vcf', -1]
		];
		for (const [path, name, rows] of cases) {
			await upload(page, path);
			await importUploaded(page);
			await importEnds(page);
			const imported = await page.testId('import-imported').number();
			if (rows >= 0) expect(imported, name).toBe(rows);
			else expect(imported, name).toBeGreaterThan(0);
		}
	});
});
