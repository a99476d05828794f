import { describe, expect, it } from 'vitest';
import * as XLSX from '@e965/xlsx';
import type { SourceRecord } from '../record';
import { detectFormat, readRecords } from '../registry';
import type { WorkbookFormat } from '../sheet/workbook';
import { xlsFormat } from './xls-format';

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

describe('xls', () => {
	it('reads a legacy Excel 97–2003 workbook through SheetJS, with the same cell rules', async () => {
		const sheet = XLSX.utils.aoa_to_sheet([
			['Phone', 'Name', 'Joined'],
			[14155550123, 'Ada', 45356],
			['+447700900123', 'Jürgen', '']
		]);
		sheet.C2.z = 'yyyy-mm-dd';
		const book = XLSX.utils.book_new();
		XLSX.utils.book_append_sheet(book, sheet, 'Old');
		XLSX.utils.book_append_sheet(book, XLSX.utils.aoa_to_sheet([['x']]), 'Other');
		const bytes = XLSX.write(book, { type: 'array', bookType: 'biff8' }) as ArrayBuffer;
		const blob = blobOf(new Uint8Array(bytes));
		expect((await detectFormat(blob))?.id).toBe('xls');
		const opened = await xlsFormat.open(blob);
		expect(opened.info.sheets.map((s) => [s.name, s.rows])).toEqual([
			['Old', 3],
			['Other', 1]
		]);
		expect((await all(blob, 'xls', 'Old')).map((r) => r.cells)).toEqual([
			['Phone', 'Name', 'Joined'],
			['14155550123', 'Ada', '2024-03-05'],
			['+447700900123', 'Jürgen']
		]);
	});

	it('explains a file that only looks like one', async () => {
		const fake = new Uint8Array([0xd0, 0xcf, 0x11, 0xe0, 0xa1, 0xb1, 0x1a, 0xe1, 1, 2, 3]);
		await expect(xlsFormat.open(blobOf(fake))).rejects.toThrow(/cannot be read/);
	});
});
