import Papa from 'papaparse';
import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { csvLine, neutralizeFormula } from './csv-writer';

describe('neutralizeFormula', () => {
	it.each(['=1+2', '+1 415', '-5', '@SUM(A1)', '\tx', '\rx', '\nx', '=A1\nB'])(
		'neutralises %j',
		(cell) => {
			expect(neutralizeFormula(cell)).toBe(`'${cell}`);
		}
	);
	it.each(['Ada', '', ' =x', '1+1'])('leaves %j alone', (cell) => {
		expect(neutralizeFormula(cell)).toBe(cell);
	});
});

describe('csvLine', () => {
	it('quotes delimiters, quotes and line breaks', () => {
		expect(csvLine(['a,b', 'say "hi"', 'two\nlines', 'plain'])).toBe(
			'"a,b","say ""hi""","two\nlines",plain\r\n'
		);
	});

	it('round-trips through a CSV parser (formula cells keep a leading apostrophe)', () => {
		fc.assert(
			fc.property(fc.array(fc.string(), { minLength: 2, maxLength: 6 }), (cells) => {
				const parsed = Papa.parse<string[]>(csvLine(cells), { delimiter: ',', newline: '\r\n' });
				expect(parsed.data[0]).toEqual(cells.map(neutralizeFormula));
			})
		);
	});
});
