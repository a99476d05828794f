import Papa from 'papaparse';
import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { csvLine, neutralizeFormula, unguardFormula } from './csv-writer';

describe('neutralizeFormula', () => {
	it.each([
		'=1+2',
		'+1 415',
		'-5+3',
		'@SUM(A1)',
		'\tx',
		'\rx',
		'\nx',
		'=A1\nB',
		' =x',
		'\u00a0=HYPERLINK("http://x")',
		'\u200b=1+1',
		'\ufeff@x',
		'\uff1d1+1',
		'\uff0bcmd',
		'-cmd|x',
		'+1.5E3'
	])('neutralises %j', (cell) => {
		expect(neutralizeFormula(cell)).toBe(`'${cell}`);
	});
	it.each(['Ada', '', '1+1', '+14155550123', '-5', '+1.5', 'a=b', 'x@y.example'])(
		'leaves %j alone',
		(cell) => {
			expect(neutralizeFormula(cell)).toBe(cell);
		}
	);
});

describe('csvLine', () => {
	it('quotes delimiters, quotes and line breaks', () => {
		expect(csvLine(['a,b', 'say "hi"', 'two\nlines', 'plain'])).toBe(
			'"a,b","say ""hi""","two\nlines",plain\r\n'
		);
	});

	it('quotes every common list separator, so no locale splits a cell into a formula', () => {
		expect(csvLine(['a;=1+1', 'b\t=2', 'c|=3', 'd,e'])).toBe('"a;=1+1","b\t=2","c|=3","d,e"\r\n');
		for (const delimiter of [';', '\t', '|']) {
			const line = csvLine(['a;=1+1', 'x,=2'], delimiter);
			const parsed = Papa.parse<string[]>(line, { delimiter, newline: '\r\n' });
			expect(parsed.data[0]).toEqual(['a;=1+1', 'x,=2']);
		}
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

describe('unguardFormula', () => {
	it('undoes exactly what neutralizeFormula did, for any cell', () => {
		const risky = fc.constantFrom("'", '=', '+', '-', '@', ' ', '\u00a0', '\uff1d', '1', 'a', '\t');
		fc.assert(
			fc.property(
				fc.oneof(
					fc.string(),
					fc.array(risky).map((a) => a.join(''))
				),
				(cell) => {
					expect(unguardFormula(neutralizeFormula(cell))).toBe(cell);
				}
			),
			{ numRuns: 2000 }
		);
	});

	it("keeps an apostrophe that guards nothing (a name like O'Brien, or 'quoted')", () => {
		expect(unguardFormula("'quoted'")).toBe("'quoted'");
		expect(unguardFormula("'=1+1")).toBe('=1+1');
		expect(unguardFormula("''=1")).toBe("'=1");
	});
});
