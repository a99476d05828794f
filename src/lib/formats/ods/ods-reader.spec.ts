import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import type { SourceRecord } from '../record';
import { OdsReader, odsTime } from './ods-reader';

const CONTENT = `<?xml version="1.0"?><office:document-content xmlns:office="o" xmlns:table="t" xmlns:text="x"><office:body><office:spreadsheet>
<table:table table:name="One"><table:table-row><table:table-cell office:value-type="string"><text:p>Only</text:p></table:table-cell></table:table-row></table:table>
<table:table table:name="Two"><table:table-column table:number-columns-repeated="5"/>
<table:table-row><table:table-cell office:value-type="string"><text:p>Name</text:p></table:table-cell><table:table-cell office:value-type="string"><text:p>Phone</text:p></table:table-cell></table:table-row>
<table:table-row table:number-rows-repeated="2"><table:table-cell table:number-columns-repeated="2"/></table:table-row>
<table:table-row><table:table-cell office:value-type="string"><text:p>A<text:s text:c="2"/>B<text:tab/>C</text:p><text:p>second</text:p></table:table-cell><table:table-cell office:value-type="float" office:value="4.4207946001E+11"><text:p>442079460010</text:p></table:table-cell><table:table-cell office:value-type="time" office:time-value="PT09H05M00S"><text:p>09:05</text:p></table:table-cell></table:table-row>
<table:table-row table:number-rows-repeated="1048570"><table:table-cell table:number-columns-repeated="1024"/></table:table-row>
</table:table></office:spreadsheet></office:body></office:document-content>`;

function read(chunks: string[], sheet: string | null): { rows: SourceRecord[]; reader: OdsReader } {
	const reader = new OdsReader({ sheet, keepFirst: 2 });
	const rows: SourceRecord[] = [];
	for (const c of chunks) rows.push(...reader.push(c));
	rows.push(...reader.finish());
	return { rows, reader };
}

describe('OdsReader', () => {
	it("reads one sheet's rows, counting empty repeated rows in the numbers", () => {
		const { rows, reader } = read([CONTENT], 'Two');
		expect(rows).toEqual([
			{ row: 1, cells: ['Name', 'Phone'] },
			{ row: 4, cells: ['A  B\tC\nsecond', '442079460010', '09:05:00'] }
		]);
		expect(reader.tables).toEqual([
			{ name: 'One', rows: 1 },
			{ name: 'Two', rows: 4 }
		]);
		expect(reader.firstRows.get('One')).toEqual([{ row: 1, cells: ['Only'] }]);
		expect(reader.firstRows.get('Two')?.map((r) => r.row)).toEqual([1, 4]);
	});

	it('reads the same rows whatever the chunk boundaries', () => {
		const whole = read([CONTENT], 'Two').rows;
		fc.assert(
			fc.property(fc.integer({ min: 1, max: 300 }), (size) => {
				const chunks: string[] = [];
				for (let i = 0; i < CONTENT.length; i += size) chunks.push(CONTENT.slice(i, i + size));
				expect(read(chunks, 'Two').rows).toEqual(whole);
			})
		);
	});

	it('reads time values', () => {
		expect(odsTime('PT14H30M05S')).toBe('14:30:05');
		expect(odsTime('PT1H2M3.5S')).toBe('01:02:03');
		expect(odsTime('bogus')).toBe('bogus');
	});
});
