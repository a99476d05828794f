import { describe, expect, it } from 'vitest';
import { odsFile } from '../../../../scripts/gen-workbook.js';
import type { SourceRecord } from '../record';
import { detectFormat, readRecords } from '../registry';
import type { WorkbookFormat } from '../sheet/workbook';
import { odsFormat } from './ods-format';

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

describe('ods', () => {
	it('reads typed values, repeated rows and columns, comments and merged cells', async () => {
		const blob = blobOf(
			odsFile({
				sheets: [
					{ name: 'Empty', rows: [] },
					{
						name: 'Contacts',
						emptyTail: true,
						rows: [
							[
								{ text: 'Name', span: 2 },
								{ covered: true },
								'Phone',
								'Zip',
								'Since',
								'Time',
								'VIP',
								'Share'
							],
							[
								'Ada',
								'Lovelace',
								14155550123,
								{ float: '415', shown: '00415' },
								{ date: '2024-03-05' },
								{ time: 'PT14H30M00S' },
								{ bool: true },
								{ percent: '0.25', shown: '25%' }
							],
							{
								repeat: 2,
								cells: ['Twin', '', { float: '1.4155550124E+10', shown: '14155550124' }]
							},
							[
								{ text: 'Note', note: 'not part of the cell' },
								{ lines: ['two', 'lines'] },
								{ text: 'x', repeat: 3 }
							]
						]
					}
				]
			})
		);
		expect((await detectFormat(blob))?.id).toBe('ods');
		const book = await odsFormat.open(blob);
		expect(book.info.sheets).toEqual([
			{ name: 'Empty', rows: 0, hidden: false },
			{ name: 'Contacts', rows: 5, hidden: false }
		]);
		const rows = await all(blob, 'ods');
		expect(rows).toEqual([
			{ row: 1, cells: ['Name', '', 'Phone', 'Zip', 'Since', 'Time', 'VIP', 'Share'] },
			{
				row: 2,
				cells: ['Ada', 'Lovelace', '14155550123', '00415', '2024-03-05', '14:30:00', 'TRUE', '25%']
			},
			{ row: 3, cells: ['Twin', '', '14155550124'] },
			{ row: 4, cells: ['Twin', '', '14155550124'] },
			{ row: 5, cells: ['Note', 'two\nlines', 'x', 'x', 'x'] }
		]);
		// Reading one named sheet skips the listing pass, and still says when the sheet is gone.
		expect((await all(blob, 'ods', 'Contacts')).map((r) => r.row)).toEqual([1, 2, 3, 4, 5]);
		await expect(all(blob, 'ods', 'Gone')).rejects.toThrow(/no sheet named “Gone”/);
		const first = await book.firstRecords('Contacts', 2);
		expect(first.records.map((r) => r.row)).toEqual([1, 2]);
		expect(first.whole).toBe(false);
		expect((await book.firstRecords('Contacts', 100)).whole).toBe(true);
	});
});
