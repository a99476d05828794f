import { describe, expect, it } from 'vitest';
import { strToU8, zipSync } from 'fflate';
import { declareSize, xlsxFile, type XlsxCell } from '../../../../scripts/gen-workbook.js';
import { memorySource, readZipDirectory } from '$lib/io/zip-reader';
import type { SourceRecord } from '../record';
import { detectFormat, readRecords } from '../registry';
import type { WorkbookFormat } from '../sheet/workbook';
import { xlsxFormat } from './xlsx-format';

const blobOf = (bytes: Uint8Array) => new Blob([bytes as BlobPart]);

/** A sheet's records as a job reads them (the first sheet with rows when `sheet` is undefined). */
async function all(
	blob: Blob,
	format: WorkbookFormat['id'],
	sheet?: string
): Promise<SourceRecord[]> {
	const out: SourceRecord[] = [];
	const settings = { format, sheet, encoding: 'utf-8', delimiter: ',', newline: '\n' } as const;
	for await (const chunk of readRecords(blob, settings)) out.push(...chunk.records);
	return out;
}

/** A sheet shaped like a sales team's export: a merged title, then the header, then contacts. */
const SALES_ROWS: XlsxCell[][] = [
	['West region leads, Q3', null, null, null, null, null, null],
	[],
	[
		'Phone',
		'First Name',
		'Last Name',
		'Account ID',
		'Signed up',
		'Full name',
		'Score',
		{ style: 'text' }
	],
	[
		{ raw: '1.4155550123E+10' },
		'Ada',
		'Lovelace',
		{ v: 42, style: 'zeros' },
		{ v: 45356, style: 'date' },
		{ f: 'B4&" "&C4', v: 'Ada Lovelace' },
		{ v: 0.25, style: 'percent' },
		{ style: 'text' }
	],
	[
		'0415 555 0199',
		{ rich: ['Jürgen', ' M.'] },
		'Müller',
		'00017',
		{ v: 45356.5, style: 'datetime' },
		{ e: '#N/A' },
		0.1 + 0.2
	],
	[447700900123, 'Line_x000D_break', 'O\u2019Brien', null, null, { b: true }, 1e21]
];

describe('xlsx', () => {
	it('reads cells as a person sees them', async () => {
		const blob = blobOf(
			xlsxFile({ sheets: [{ name: 'Leads', rows: SALES_ROWS, merges: ['A1:G1'] }] })
		);
		expect((await detectFormat(blob))?.id).toBe('xlsx');
		const rows = await all(blob, 'xlsx');
		expect(rows.map((r) => r.row)).toEqual([1, 3, 4, 5, 6]);
		expect(rows[0].cells).toEqual(['West region leads, Q3']);
		// The formatted empty cell at the end of the header makes no column.
		expect(rows[1].cells).toEqual([
			'Phone',
			'First Name',
			'Last Name',
			'Account ID',
			'Signed up',
			'Full name',
			'Score'
		]);
		expect(rows[2].cells).toEqual([
			'14155550123',
			'Ada',
			'Lovelace',
			'0000000042',
			'2024-03-05',
			'Ada Lovelace',
			'25%'
		]);
		expect(rows[3].cells).toEqual([
			'0415 555 0199',
			'Jürgen M.',
			'Müller',
			'00017',
			'2024-03-05T12:00:00',
			'#N/A',
			'0.3'
		]);
		expect(rows[4].cells).toEqual([
			'447700900123',
			'Line\rbreak',
			'O\u2019Brien',
			'',
			'',
			'TRUE',
			'1000000000000000000000'
		]);
	});

	it('lists sheets with names, row counts and hidden state, and reads the one asked for', async () => {
		const blob = blobOf(
			xlsxFile({
				sheets: [
					{ name: 'Notes', rows: [], hidden: true },
					{ name: 'Q3 <West> & co', rows: SALES_ROWS },
					{
						name: 'No dimension',
						rows: [['Phone'], ['+14155550100'], ['+14155550101']],
						dimension: false,
						prefix: 'x'
					}
				]
			})
		);
		const book = await xlsxFormat.open(blob);
		expect(book.info.sheets).toEqual([
			{ name: 'Notes', rows: 0, hidden: true },
			{ name: 'Q3 <West> & co', rows: 6, hidden: false },
			{ name: 'No dimension', rows: 3, hidden: false }
		]);
		const other = await all(blob, 'xlsx', 'No dimension');
		expect(other.map((r) => r.cells[0])).toEqual(['Phone', '+14155550100', '+14155550101']);
		// Without a sheet, the first visible sheet with rows.
		expect((await all(blob, 'xlsx'))[0].cells[0]).toBe('West region leads, Q3');
		await expect(all(blob, 'xlsx', 'Gone')).rejects.toThrow(/no sheet named “Gone”/);
	});

	it('reads inline strings and 1904 dates, and says so about macros and links', async () => {
		const blob = blobOf(
			xlsxFile({
				inline: true,
				date1904: true,
				macros: true,
				externalLink: true,
				sheets: [
					{
						name: 'S',
						rows: [
							['Phone', 'Date'],
							['+14155550100', { v: 0, style: 'date' }]
						]
					}
				]
			})
		);
		const book = await xlsxFormat.open(blob);
		expect(book.info.notices.join(' ')).toMatch(/macros\. They are never run/);
		expect(book.info.notices.join(' ')).toMatch(/link to other workbooks/);
		expect((await all(blob, 'xlsx'))[1].cells).toEqual(['+14155550100', '1904-01-01']);
	});

	it('reads the same records through readRecords at any size of sheet', async () => {
		const rows: XlsxCell[][] = [['Phone', 'Name']];
		for (let i = 0; i < 5000; i++)
			rows.push([`+1415555${String(i).padStart(4, '0')}`, `Name ${i}`]);
		const blob = blobOf(xlsxFile({ sheets: [{ name: 'Big', rows }] }));
		const out: SourceRecord[] = [];
		let last = 0;
		for await (const chunk of readRecords(blob, {
			format: 'xlsx',
			sheet: 'Big',
			encoding: 'utf-8',
			delimiter: ',',
			newline: '\n'
		})) {
			out.push(...chunk.records);
			expect(chunk.bytesRead).toBeGreaterThanOrEqual(last);
			last = chunk.bytesRead;
		}
		expect(out).toHaveLength(5001);
		expect(out[5000]).toEqual({ row: 5001, cells: ['+14155554999', 'Name 4999'] });
	});

	it('refuses a zip bomb after its limit, a cut-off file, and a damaged part, with messages', async () => {
		// A sheet that declares a small size but inflates far past it.
		const bomb = xlsxFile({ sheets: [{ name: 'S', rows: [['Phone']] }] });
		const entries = await readZipDirectory(memorySource(bomb));
		expect(entries.get('xl/worksheets/sheet1.xml')).toBeDefined();
		const huge = `<worksheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main"><sheetData>${'<row/>'.repeat(10)}${' '.repeat(40_000_000)}</sheetData></worksheet>`;
		const files = {
			'xl/workbook.xml': strToU8(
				'<workbook xmlns:r="r"><sheets><sheet name="S" sheetId="1" r:id="rId1"/></sheets></workbook>'
			),
			'xl/_rels/workbook.xml.rels': strToU8(
				'<Relationships><Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/worksheet" Target="worksheets/sheet1.xml"/></Relationships>'
			),
			'xl/worksheets/sheet1.xml': strToU8(huge)
		};
		const zipped = zipSync(files, { level: 9 });
		expect(zipped.length).toBeLessThan(200_000);
		declareSize(zipped, 'xl/worksheets/sheet1.xml', 1_000_000);
		await expect(all(blobOf(zipped), 'xlsx')).rejects.toThrow(/expands to more than 1 MB/);

		const cut = bomb.slice(0, bomb.length - 30);
		await expect(xlsxFormat.open(blobOf(cut))).rejects.toThrow(/ZIP directory is missing/);

		const broken = zipSync({
			...files,
			'xl/worksheets/sheet1.xml': strToU8('<worksheet><sheetData><row><c><v>1</x></c></row>')
		});
		await expect(all(blobOf(broken), 'xlsx')).rejects.toThrow(/not well-formed XML/);
	});
});
