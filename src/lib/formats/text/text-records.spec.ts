import { describe, expect, it } from 'vitest';
import { readRecords } from '../registry';

async function collect(
	blob: Blob,
	chunk: number,
	encoding: 'utf-8' | 'utf-16le' | 'windows-1252' = 'utf-8'
) {
	const rows = [];
	for await (const c of readRecords(blob, { encoding, delimiter: ',', newline: '\n' }, chunk))
		rows.push(...c.records);
	return rows.map((r) => [r.row, ...r.cells]);
}

describe('readRecords', () => {
	it('keeps multi-byte characters split across slices and drops the BOM', async () => {
		const blob = new Blob(['\ufeffname,city\nJosé,Zürich\n"Ωmega, Ltd",東京\n']);
		for (const chunk of [1, 2, 3, 5, 1024]) {
			expect(await collect(blob, chunk)).toEqual([
				[1, 'name', 'city'],
				[2, 'José', 'Zürich'],
				[3, 'Ωmega, Ltd', '東京']
			]);
		}
	});

	it('decodes UTF-16 LE and Windows-1252', async () => {
		const text = '\ufeffname\nJosé\n';
		const utf16 = new Uint8Array(text.length * 2);
		for (let i = 0; i < text.length; i++) {
			utf16[i * 2] = text.charCodeAt(i) & 0xff;
			utf16[i * 2 + 1] = text.charCodeAt(i) >> 8;
		}
		expect(await collect(new Blob([utf16]), 3, 'utf-16le')).toEqual([
			[1, 'name'],
			[2, 'José']
		]);
		const cp1252 = new Uint8Array([0x6e, 0x0a, 0x4a, 0x6f, 0x73, 0xe9, 0x0a]);
		expect(await collect(new Blob([cp1252]), 2, 'windows-1252')).toEqual([
			[1, 'n'],
			[2, 'José']
		]);
	});

	it('yields nothing for an empty blob', async () => {
		expect(await collect(new Blob([]), 10)).toEqual([]);
	});
});
