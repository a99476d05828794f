import { describe, expect, it } from 'vitest';
import { zipSync } from 'fflate';
import { odsFile, xlsxFile } from '../../../scripts/gen-workbook.js';
import type { FileFormat } from '$lib/domain/import-job';
import { ZipError } from '$lib/io/zip-reader';
import { detectFormat, formatById, FORMATS, readRecords } from './registry';

const blob = (parts: BlobPart[]) => new Blob(parts);

describe('format registry', () => {
	it('has one format per file format a job can name, CSV for a job that names none', () => {
		const ids: FileFormat[] = ['csv', 'vcard', 'xlsx', 'xls', 'ods'];
		expect(FORMATS.map((f) => f.id).sort()).toEqual([...ids].sort());
		for (const id of ids) expect(formatById(id).id).toBe(id);
		expect(formatById(undefined).id).toBe('csv');
	});

	it('tells formats apart by content, whatever the name', async () => {
		const book = xlsxFile({ sheets: [{ name: 'S', rows: [['Phone']] }] });
		const ods = odsFile({ sheets: [{ name: 'S', rows: [['Phone']] }] });
		const xls = new Uint8Array([0xd0, 0xcf, 0x11, 0xe0, 0xa1, 0xb1, 0x1a, 0xe1, 0]);
		const cases: [BlobPart, FileFormat][] = [
			[book as BlobPart, 'xlsx'],
			[ods as BlobPart, 'ods'],
			[xls, 'xls'],
			['\n\nBEGIN:VCARD\r\nFN:Ada\r\nEND:VCARD\r\n', 'vcard'],
			['Phone,Name\n+14155550100,Ada\n', 'csv'],
			[new Uint8Array([0x89, 0x50, 0x4e, 0x47, 0, 0, 0]), 'csv']
		];
		for (const [part, id] of cases) expect((await detectFormat(blob([part])))?.id).toBe(id);
	});

	it('leaves a ZIP archive that holds no spreadsheet unclaimed, and rejects a damaged one', async () => {
		const zip = zipSync({ 'a.txt': new Uint8Array([65]) });
		expect(await detectFormat(blob([zip as BlobPart]))).toBeNull();
		const cut = new Uint8Array([0x50, 0x4b, 3, 4, 0, 0, 0, 0, 8, 0]);
		await expect(detectFormat(blob([cut]))).rejects.toBeInstanceOf(ZipError);
	});

	it('reads contact cards as binary-free text only: cards with NUL bytes are left to CSV', async () => {
		const card = 'BEGIN:VCARD\nFN:Ada\u0000\nEND:VCARD\n';
		expect((await detectFormat(blob([card])))?.id).toBe('csv');
	});

	it('reads records by the format the settings name', async () => {
		const settings = { encoding: 'utf-8', delimiter: ',', newline: '\n' } as const;
		const rows = [];
		const cards = blob(['BEGIN:VCARD\nFN:Ada\nEND:VCARD\n']);
		for await (const c of readRecords(cards, { ...settings, format: 'vcard' }))
			rows.push(...c.records);
		expect(rows.map((r) => r.row)).toEqual([1, 2]);
		expect(rows[1].cells[2]).toBe('Ada');
	});
});
