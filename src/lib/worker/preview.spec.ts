import { afterEach, describe, expect, it } from 'vitest';
import { getLocale, overwriteGetLocale } from '$lib/paraglide/runtime';
import { readFileSync } from 'node:fs';
import { VCARD_COLUMNS } from '$lib/formats/vcard/vcard-splitter';
import { zipSync } from 'fflate';
import { xlsxFile } from '../../../scripts/gen-workbook.js';
import { parseSettingsOf } from '$lib/domain/import-plan';
import { MAX_COLUMNS } from '$lib/formats/preview';
import { previewFile } from './preview';

const VCF = readFileSync(new URL('../../../tests/fixtures/phone-contacts.vcf', import.meta.url));

const file = (parts: BlobPart[], name = 'f.csv') => new File(parts, name);

const english = getLocale;
afterEach(() => overwriteGetLocale(english));

describe('previewFile', () => {
	it('previews a workbook: its sheets, the first visible one with rows, and another on request', async () => {
		const book = xlsxFile({
			sheets: [
				{ name: 'Cover', rows: [] },
				{ name: 'Leads', rows: [['Title'], [], ['Phone', 'Name'], ['+14155550100', 'Ada']] },
				{ name: 'More', rows: [['Phone'], ['+14155550101'], ['+14155550102']] }
			]
		});
		const p = await previewFile(file([book as BlobPart], 'book.xlsx'));
		expect(p).toMatchObject({ format: 'xlsx', sheet: 'Leads', headerRow: 3, problem: null });
		expect(p.sheets.map((s) => [s.name, s.rows])).toEqual([
			['Cover', 0],
			['Leads', 4],
			['More', 3]
		]);
		expect(p.headers).toEqual(['Phone', 'Name']);
		expect(parseSettingsOf(p)).toMatchObject({ format: 'xlsx', sheet: 'Leads', headerRow: 3 });

		const more = await previewFile(file([book as BlobPart], 'book.xlsx'), { sheet: 'More' });
		expect(more).toMatchObject({ sheet: 'More', headerRow: 1, headers: ['Phone'] });
		expect(more.rows).toHaveLength(2);

		const cover = await previewFile(file([book as BlobPart], 'book.xlsx'), { sheet: 'Cover' });
		expect(cover.problem).toBe('The sheet “Cover” is empty. Choose another sheet.');
	});

	it('explains a ZIP that is not a spreadsheet and a workbook that is cut off', async () => {
		const zip = await previewFile(
			file([zipSync({ 'a.txt': new Uint8Array([65]) }) as BlobPart], 'a.zip')
		);
		expect(zip.problem).toMatch(/is a ZIP archive but not a spreadsheet/);
		const book = xlsxFile({ sheets: [{ name: 'S', rows: [['Phone']] }] });
		const cut = await previewFile(file([book.slice(0, 200) as BlobPart], 'cut.xlsx'));
		expect(cut.problem).toMatch(/ZIP directory is missing/);
	});

	it('knows phone contact cards: fixed columns, one row per card, the header always row 1', async () => {
		const p = await previewFile(file([VCF], 'contacts.vcf'), { headerRow: 3, delimiter: ';' });
		expect(p).toMatchObject({ format: 'vcard', headerRow: 1, problem: null });
		expect(p.headers).toEqual([...VCARD_COLUMNS]);
		expect(p.rows.map((r) => r.row)).toEqual([2, 3, 4, 5]);
		expect(p.samples[VCARD_COLUMNS.indexOf('Last Name')]).toEqual([
			'Appleseed',
			'Lovelace',
			'Müller'
		]);
	});

	it('explains a vCard file whose cards hold nothing, and reads a card cut off at the end', async () => {
		const empty = await previewFile(file(['BEGIN:VCARD\nVERSION:3.0\nEND:VCARD\n'], 'e.vcf'));
		expect(empty).toMatchObject({
			format: 'vcard',
			problem: 'The file has no contact cards with a name, phone or other field.'
		});
		const cut = await previewFile(file(['BEGIN:VCARD\nFN:Only a name\n'], 'c.vcf'));
		expect(cut.problem).toBeNull();
		expect(cut.rows).toHaveLength(1);
	});

	it('reads headers and the first rows, uniquing headers', async () => {
		const p = await previewFile(file(['\ufeffPhone,Notes,Notes,\r\n+1 415 555 0101,a,b,c\r\n']));
		expect(p).toMatchObject({
			encoding: 'utf-8',
			bom: true,
			delimiter: ',',
			newline: '\r\n',
			headerRow: 1,
			problem: null
		});
		expect(p.headers).toEqual(['Phone', 'Notes', 'Notes (2)', 'Column 4']);
		expect(p.rows).toEqual([{ row: 2, cells: ['+1 415 555 0101', 'a', 'b', 'c'] }]);
	});

	it.each([
		[[''], /empty \(0 bytes\)/],
		[['\n\n \n'], /only blank lines/],
		[['Phone,Name\n'], /header row \(row 1\) but no contacts/],
		[
			[new Uint8Array([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a, 0, 0, 0, 0x0d])],
			/binary data/
		],
		[[new Uint8Array([0x50, 0x4b, 3, 4, 0, 0, 0, 0, 8, 0])], /ZIP directory is missing/]
	])('explains a file it cannot import (%#)', async (parts, problem) => {
		expect((await previewFile(file(parts as BlobPart[]))).problem).toMatch(problem);
	});

	it('explains it in the app’s language (the worker is told the page’s)', async () => {
		overwriteGetLocale(() => 'de');
		expect((await previewFile(file([''], 'leer.csv'))).problem).toBe(
			'Die Datei ist leer (0 Byte). Wählen Sie eine CSV-Datei mit einer Kopfzeile und mindestens einem Kontakt.'
		);
		overwriteGetLocale(() => 'es');
		expect((await previewFile(file(['Phone,Name\n']))).problem).toBe(
			'El archivo tiene una fila de encabezado (fila 1), pero ningún contacto debajo.'
		);
		overwriteGetLocale(() => 'pt-BR');
		const binary = new Uint8Array([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a, 0, 0, 0, 0x0d]);
		expect((await previewFile(file([binary], 'foto.png'))).problem).toMatch(
			/^“foto\.png” não é um arquivo de texto CSV/
		);
	});

	it('reads only the start of a file whose first line is huge, and says so', async () => {
		const p = await previewFile(file(['x'.repeat(12_000_000)]));
		expect(p.problem).toMatch(/No complete row was found in the first 8 MB/);
	});

	it('caps a header of 100,000 columns with a notice', async () => {
		const header = Array.from({ length: 100_000 }, (_, i) => `c${i}`).join(',');
		const p = await previewFile(file([`Phone,${header}\n+14155550101\n`]));
		expect(p.headers).toHaveLength(MAX_COLUMNS);
		expect(p.columns).toBe(100_001);
		expect(p.notice).toMatch(/100,001 columns; only the first 500/);
		expect(p.problem).toBeNull();
	});

	it('finds the header below a preamble and takes an override', async () => {
		const text =
			'Exported by CRM\nOn 2024-01-01\n\nPhone,Name\n+14155550101,Ada\n+14155550102,Bob\n';
		const p = await previewFile(file([text]));
		expect(p.headerRow).toBe(4);
		expect(p.headers).toEqual(['Phone', 'Name']);
		const q = await previewFile(file([text]), { headerRow: 5 });
		expect(q.headers).toEqual(['+14155550101', 'Ada']);
		expect(q.detectedHeaderRow).toBe(4);
	});

	it('takes encoding and delimiter overrides', async () => {
		const bytes = new Uint8Array([
			...new TextEncoder().encode('Phone;Nom\n+33612345678;'),
			0xe9,
			0x0a
		]);
		const p = await previewFile(file([bytes]));
		expect(p.encoding).toBe('windows-1252');
		expect(p.rows[0].cells).toEqual(['+33612345678', 'é']);
		const q = await previewFile(file([bytes]), { delimiter: ',' });
		expect(q.headers).toEqual(['Phone;Nom']);
	});
});
