import * as XLSX from '@e965/xlsx';
import { describe, expect, it } from 'vitest';
import { getDoNotCallMeta, readDoNotCall } from '$lib/db/do-not-call-repo';
import { freshDb } from '$support/test-db';
import { loadDoNotCallFile } from './do-not-call-load';

function workbook(rows: unknown[][]): File {
	const book = XLSX.utils.book_new();
	XLSX.utils.book_append_sheet(book, XLSX.utils.aoa_to_sheet(rows), 'DNC');
	const bytes = XLSX.write(book, { type: 'buffer', bookType: 'xlsx' }) as Uint8Array;
	return new File([bytes as BlobPart], 'dnc.xlsx');
}

describe('loadDoNotCallFile', () => {
	it('reads every cell that is a phone, in any format, and counts the rest with an example', async () => {
		const db = freshDb();
		const text = 'Phone;Note\n+1 415-555-0100;call later\n(212) 555-0101;\n0044 20 7946 0958;x\n';
		const load = await loadDoNotCallFile(db, new File([text], 'dnc.csv'), 'US');
		expect(load).toMatchObject({ read: 3, added: 3, notPhones: 2 });
		expect(load.example).toEqual({ row: 2, value: 'call later' });
		const { set } = await readDoNotCall(db);
		expect(['+14155550100', '+12125550101', '+442079460958'].every((p) => set.has(p))).toBe(true);
	});

	it('reads a sheet, adds to the list, and counts a number already listed once', async () => {
		const db = freshDb();
		await loadDoNotCallFile(db, new File(['+14155550100\n'], 'one.txt'), 'US');
		const load = await loadDoNotCallFile(
			db,
			workbook([['Mobile'], ['+1 415 555 0100'], ['07400 123456']]),
			'GB'
		);
		expect(load).toMatchObject({ read: 2, added: 1, notPhones: 0 });
		expect((await getDoNotCallMeta(db)).count).toBe(2);
		expect((await readDoNotCall(db)).set.has('+447400123456')).toBe(true);
	});

	it('refuses a file with no phone number, and changes nothing', async () => {
		const db = freshDb();
		await expect(
			loadDoNotCallFile(db, new File(['name\nAda\n'], 'names.csv'), 'US')
		).rejects.toThrow(/holds no phone number \(row 2: “Ada”\)/);
		expect((await getDoNotCallMeta(db)).count).toBe(0);
	});
});
