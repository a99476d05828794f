import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import {
	parseStyles,
	parseWorkbook,
	parseWorksheetTargets,
	SharedStringsReader,
	SheetError,
	unescapeOoxml,
	XlsxSheetReader
} from './xlsx';
import type { CsvRecord } from './csv-records';

const SHEET = `<?xml version="1.0" encoding="UTF-8" standalone="yes"?>
<worksheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main"><dimension ref="A1:D4"/><sheetData>
<row r="1" spans="1:4"><c r="A1" t="s"><v>0</v></c><c r="B1" t="s"><v>1</v></c><c r="D1" s="2"/></row>
<row r="3"><c r="A3"><v>1.4155550123E+10</v></c><c r="C3" s="1"><v>45356</v></c><c r="D3" t="str"><f>A3&amp;"x"</f><v>cached</v></c></row>
<row r="4"><c t="inlineStr"><is><r><t>Jür</t></r><r><t xml:space="preserve">gen </t></r><rPh><t>ユ</t></rPh></is></c><c t="b"><v>0</v></c><c t="e"><v>#DIV/0!</v></c></row>
</sheetData><mergeCells count="1"><mergeCell ref="A1:B1"/></mergeCells></worksheet>`;

const CONTEXT = {
	string: (i: number) => ['Phone', 'Name'][i] ?? '',
	formats: [
		{ kind: 'general' as const },
		{ kind: 'date' as const, date: true, time: false },
		{ kind: 'general' as const }
	],
	date1904: false
};

function readAll(chunks: string[]): CsvRecord[] {
	const r = new XlsxSheetReader(CONTEXT);
	const out: CsvRecord[] = [];
	for (const c of chunks) out.push(...r.push(c));
	out.push(...r.finish());
	return out;
}

describe('XlsxSheetReader', () => {
	it('reads rows by their numbers and cells by their columns', () => {
		expect(readAll([SHEET])).toEqual([
			{ row: 1, cells: ['Phone', 'Name'] },
			{ row: 3, cells: ['14155550123', '', '2024-03-05', 'cached'] },
			{ row: 4, cells: ['Jürgen ', 'FALSE', '#DIV/0!'] }
		]);
	});

	it('reads the same rows whatever the chunk boundaries', () => {
		const whole = readAll([SHEET]);
		fc.assert(
			fc.property(fc.integer({ min: 1, max: 200 }), (size) => {
				const chunks: string[] = [];
				for (let i = 0; i < SHEET.length; i += size) chunks.push(SHEET.slice(i, i + size));
				expect(readAll(chunks)).toEqual(whole);
			})
		);
	});

	it('sees the declared used range before the rows', () => {
		const r = new XlsxSheetReader(CONTEXT);
		r.push(SHEET.slice(0, SHEET.indexOf('<sheetData>')));
		expect(r.lastRow).toBe(4);
		expect(r.inData).toBe(false);
	});

	it('keeps the cells of a row cut off by the end of a damaged part', () => {
		const r = new XlsxSheetReader(CONTEXT);
		const cut = '<worksheet><sheetData><row r="2"><c t="s"><v>1</v></c>';
		expect(r.push(cut)).toEqual([]);
		expect(() => r.finish()).toThrow(SheetError);
	});
});

describe('SharedStringsReader', () => {
	it('joins rich text runs, leaves out phonetic guides, and unescapes _xHHHH_', () => {
		const r = new SharedStringsReader({ maxStrings: 10, maxChars: 100 });
		r.push(
			'<sst><si><t>Plain</t></si><si><r><t>Ri</t></r><r><t>ch</t></r><rPh><t>リッチ</t></rPh></si><si><t>a_x000D_b</t></si><si/></sst>'
		);
		expect(r.close()).toEqual(['Plain', 'Rich', 'a\rb', '']);
	});

	it('stops at its limits with a message', () => {
		const many = new SharedStringsReader({ maxStrings: 2, maxChars: 100 });
		expect(() =>
			many.push('<sst><si><t>a</t></si><si><t>b</t></si><si><t>c</t></si></sst>')
		).toThrow(/more than 2 texts/);
		const long = new SharedStringsReader({ maxStrings: 10, maxChars: 5 });
		expect(() => long.push(`<sst><si><t>${'x'.repeat(6)}</t></si></sst>`)).toThrow(SheetError);
	});
});

describe('workbook parts', () => {
	it('lists sheets with their relationship ids and state, and the date system', () => {
		const wb = parseWorkbook(
			'<workbook xmlns:r="urn:r"><workbookPr date1904="1"/><sheets><sheet name="A &amp; B" sheetId="1" r:id="rId1"/><sheet name="Hidden" sheetId="2" state="veryHidden" r:id="rId2"/></sheets></workbook>'
		);
		expect(wb).toEqual({
			date1904: true,
			sheets: [
				{ name: 'A & B', rid: 'rId1', hidden: false },
				{ name: 'Hidden', rid: 'rId2', hidden: true }
			]
		});
	});

	it('resolves worksheet targets, and leaves out charts and external targets', () => {
		const t = parseWorksheetTargets(
			'<Relationships><Relationship Id="rId1" Type="http://x/worksheet" Target="worksheets/sheet1.xml"/><Relationship Id="rId2" Type="http://x/worksheet" Target="/xl/worksheets/../worksheets/sheet2.xml"/><Relationship Id="rId3" Type="http://x/chartsheet" Target="chartsheets/c.xml"/><Relationship Id="rId4" Type="http://x/worksheet" Target="http://evil/x.xml" TargetMode="External"/></Relationships>',
			'xl/'
		);
		expect([...t]).toEqual([
			['rId1', 'xl/worksheets/sheet1.xml'],
			['rId2', 'xl/worksheets/sheet2.xml']
		]);
	});

	it("reads each style's number format", () => {
		const f = parseStyles(
			'<styleSheet><numFmts><numFmt numFmtId="164" formatCode="00000"/><numFmt numFmtId="165" formatCode="[&gt;100]0;0"/></numFmts><cellStyleXfs><xf numFmtId="14"/></cellStyleXfs><cellXfs><xf numFmtId="0"/><xf numFmtId="164"/><xf numFmtId="14"/><xf numFmtId="165"/></cellXfs></styleSheet>'
		);
		expect(f.map((x) => x.kind)).toEqual(['general', 'zeros', 'date', 'general']);
	});

	it('unescapes OOXML character escapes', () => {
		expect(unescapeOoxml('Line_x000A_two _x005F_x')).toBe('Line\ntwo _x');
	});
});
