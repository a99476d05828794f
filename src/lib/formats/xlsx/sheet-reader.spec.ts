import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { SheetError } from '../sheet/sheet-xml';
import type { SourceRecord } from '../record';
import { XlsxSheetReader } from './sheet-reader';

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

function readAll(chunks: string[]): SourceRecord[] {
	const r = new XlsxSheetReader(CONTEXT);
	const out: SourceRecord[] = [];
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
