import { expect, test, type Page } from '@playwright/test';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import * as XLSX from '@e965/xlsx';
import { strToU8, zipSync } from 'fflate';
import { declareSize, odsFile, xlsxFile } from '../../scripts/gen-workbook.js';
import { BASE, importWithDefaults, numberIn } from './helpers';

function write(name: string, bytes: Uint8Array): string {
	const path = join(mkdtempSync(join(tmpdir(), 'callaro-books-')), name);
	writeFileSync(path, bytes);
	return path;
}

/** A sales team's workbook: a hidden notes sheet, the leads under a merged title, an archive. */
function salesWorkbook(): string {
	return write(
		'West leads.xlsx',
		xlsxFile({
			macros: true,
			sheets: [
				{ name: 'Notes', hidden: true, rows: [['Do not call before 9am']] },
				{
					name: 'Leads',
					merges: ['A1:F1'],
					rows: [
						['West region leads, Q3'],
						[],
						[
							'Mobile Phone',
							'First Name',
							'Last Name',
							'Account ID',
							'Signed up',
							'Full name',
							{ style: 'text' }
						],
						[
							{ raw: '1.4155550123E+10' },
							'Ada',
							'Lovelace',
							{ v: 42, style: 'zeros' },
							{ v: 45356, style: 'date' },
							{ f: 'B4&" "&C4', v: 'Ada Lovelace' }
						],
						[
							'+1 (415) 555-0124',
							{ rich: ['Jürgen', ' M.'] },
							'Müller',
							'0000000043',
							{ v: 45357, style: 'date' },
							{ f: 'B5&" "&C5', v: 'Jürgen M. Müller' }
						],
						[
							14155550125,
							'Grace',
							'Hopper',
							{ v: 44, style: 'zeros' },
							{ v: 45358, style: 'date' },
							{ e: '#N/A' }
						],
						['not a phone', 'Broken', 'Row', '', '', '']
					]
				},
				{
					name: 'Archive',
					rows: [
						['Phone', 'Name'],
						['+14155550199', 'Old lead'],
						['+14155550198', 'Older lead']
					]
				}
			]
		})
	);
}

async function openContact(page: Page, search: string, name: RegExp) {
	await page.goto(`${BASE}/contacts`);
	await page.getByLabel('Search contacts').fill(search);
	await page.getByRole('link', { name }).click();
}

test('an Excel workbook: pick the sheet, and cells come in as the sheet shows them', async ({
	page
}) => {
	const path = salesWorkbook();
	await page.goto(`${BASE}/import`);
	await page.getByLabel('Contacts file').setInputFiles(path);
	await expect(page.getByText('Excel workbook')).toBeVisible();
	// The sheets by name and row count; the hidden one is marked; the first visible sheet with rows opens.
	const sheet = page.getByRole('combobox', { name: 'Sheet' });
	await expect(sheet).toHaveValue('Leads');
	await expect(sheet.getByRole('option')).toHaveText([
		'Notes (1 row) (hidden)',
		'Leads (7 rows)',
		'Archive (3 rows)'
	]);
	await expect(page.getByText('macros. They are never run')).toBeVisible();
	// The merged title and the blank row above the header are skipped; the header is row 3.
	await expect(page.getByLabel('Header row')).toHaveValue('3');
	const preview = page.getByRole('table', { name: 'Preview' });
	await expect(preview.getByRole('columnheader')).toContainText([
		'Mobile Phone',
		'First Name',
		'Account ID',
		'Signed up',
		'Full name'
	]);
	await expect(preview).toContainText('14155550123');
	await expect(preview).toContainText('0000000042');
	await expect(preview).toContainText('2024-03-05');
	await expect(preview).toContainText('Ada Lovelace');
	await expect(preview).not.toContainText('E+10');
	// The formatted empty cell after the last header makes no column.
	await expect(preview.getByRole('columnheader', { name: /Column/ })).toHaveCount(0);

	// Another sheet reads at once, with its own header.
	await sheet.selectOption('Archive');
	await expect(preview).toContainText('Old lead');
	await expect(page.getByLabel('Header row')).toHaveValue('1');
	await sheet.selectOption('Leads');
	await expect(preview).toContainText('Lovelace');

	await page.getByRole('button', { name: 'Next' }).click();
	await expect(page.getByRole('combobox', { name: 'Mobile Phone' })).toHaveValue('phone');
	await page.getByRole('button', { name: 'Next' }).click();
	await expect(page.getByRole('heading', { name: 'Review', level: 1 })).toBeVisible();
	await expect(page.getByTestId('review-rows-to-import')).toContainText('3', { timeout: 60_000 });
	await expect(page.getByTestId('review-invalid-phone')).toContainText('1');
	// The review names the sheet's own row number.
	await expect(page.getByRole('table', { name: 'Problem rows' })).toContainText('7');
	await page
		.getByRole('checkbox', { name: 'Auto-create custom fields for unmapped columns' })
		.check();
	await page.getByRole('button', { name: 'Next' }).click();
	await page.getByRole('button', { name: 'Start import' }).click();
	await expect(page.getByTestId('import-status')).toHaveText('Completed', { timeout: 60_000 });
	expect(await numberIn(page, 'import-imported')).toBe(3);
	expect(await numberIn(page, 'import-skipped')).toBe(1);
	await expect(page.getByText('sheet “Leads”')).toBeVisible();

	await openContact(page, 'lovelace', /Ada Lovelace/);
	await expect(page.getByText('+14155550123', { exact: true }).first()).toBeVisible();
	await expect(page.getByText('0000000042', { exact: true })).toBeVisible();
	await expect(page.getByText('2024-03-05', { exact: true })).toBeVisible();
	await openContact(page, 'hopper', /Grace Hopper/);
	await expect(page.getByText('+14155550125', { exact: true }).first()).toBeVisible();
	await expect(page.getByText('0000000044', { exact: true })).toBeVisible();
});

test('an OpenDocument sheet and a legacy .xls import through the same wizard', async ({ page }) => {
	const ods = write(
		'contacts.ods',
		odsFile({
			sheets: [
				{
					name: 'Contacts',
					emptyTail: true,
					rows: [
						['Phone', 'First Name', 'Last Name', 'Zip'],
						[14155550301, 'Olga', 'Ods', { float: '2134', shown: '02134' }],
						['+14155550302', 'Otto', 'Ods', { float: '501', shown: '00501' }]
					]
				}
			]
		})
	);
	await importWithDefaults(page, ods, { autoCreate: true });
	await expect(page.getByTestId('import-status')).toHaveText('Completed', { timeout: 60_000 });
	expect(await numberIn(page, 'import-imported')).toBe(2);
	await openContact(page, 'olga', /Olga Ods/);
	await expect(page.getByText('+14155550301', { exact: true }).first()).toBeVisible();
	await expect(page.getByText('02134', { exact: true })).toBeVisible();

	const book = XLSX.utils.book_new();
	XLSX.utils.book_append_sheet(
		book,
		XLSX.utils.aoa_to_sheet([
			['Phone', 'First Name', 'Last Name'],
			[14155550401, 'Xavier', 'Xls']
		]),
		'Sheet1'
	);
	const xls = write(
		'old.xls',
		new Uint8Array(XLSX.write(book, { type: 'array', bookType: 'biff8' }) as ArrayBuffer)
	);
	await importWithDefaults(page, xls);
	await expect(page.getByTestId('import-status')).toHaveText('Completed', { timeout: 60_000 });
	expect(await numberIn(page, 'import-imported')).toBe(1);
	await openContact(page, 'xavier', /Xavier Xls/);
	await expect(page.getByText('+14155550401', { exact: true }).first()).toBeVisible();
});

test('a hostile or broken workbook is refused on Upload with a reason, and the app goes on', async ({
	page
}) => {
	// A sheet that says it is small but inflates far past what it says (a zip bomb).
	const files = {
		'xl/workbook.xml': strToU8(
			'<workbook xmlns:r="r"><sheets><sheet name="S" sheetId="1" r:id="rId1"/></sheets></workbook>'
		),
		'xl/_rels/workbook.xml.rels': strToU8(
			'<Relationships><Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/worksheet" Target="worksheets/sheet1.xml"/></Relationships>'
		),
		'xl/worksheets/sheet1.xml': strToU8(
			`<worksheet><sheetData>${' '.repeat(30_000_000)}</sheetData></worksheet>`
		)
	};
	const zipped = declareSize(zipSync(files, { level: 9 }), 'xl/worksheets/sheet1.xml', 1000);
	await page.goto(`${BASE}/import`);
	await page.getByLabel('Contacts file').setInputFiles(write('bomb.xlsx', zipped));
	await expect(page.getByRole('alert')).toContainText('expands to more than');
	await expect(page.getByRole('button', { name: 'Next' })).toBeDisabled();

	// A workbook cut off in the middle (an interrupted download).
	const cut = xlsxFile({ sheets: [{ name: 'S', rows: [['Phone'], ['+14155550100']] }] });
	await page
		.getByLabel('Contacts file')
		.setInputFiles(write('cut.xlsx', cut.slice(0, cut.length - 40)));
	await expect(page.getByRole('alert')).toContainText('file may be cut off');

	// A ZIP that is not a spreadsheet.
	await page
		.getByLabel('Contacts file')
		.setInputFiles(write('photos.zip', zipSync({ 'a.jpg': new Uint8Array([1, 2, 3]) })));
	await expect(page.getByRole('alert')).toContainText('ZIP archive but not a spreadsheet');

	// A good workbook still reads after them.
	await page.getByLabel('Contacts file').setInputFiles(write('ok.xlsx', cut));
	await expect(page.getByRole('table', { name: 'Preview' })).toContainText('+14155550100');
	await expect(page.getByRole('button', { name: 'Next' })).toBeEnabled();
});
