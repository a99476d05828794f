import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { csvLine } from './csv-writer';
import { RecordSplitter, UnterminatedRecordError } from './csv-records';

function splitAll(text: string, chunk: number, newline: '\n' | '\r\n' = '\n') {
	const s = new RecordSplitter({ delimiter: ',', newline });
	const out = [];
	for (let i = 0; i < text.length; i += chunk) out.push(...s.push(text.slice(i, i + chunk)));
	out.push(...s.push('', true));
	return out;
}

describe('RecordSplitter', () => {
	it('keeps quoted commas, quotes and line breaks in one record', () => {
		const text = 'phone,note\n+1,"a, b"\n+2,"say ""hi"""\n+3,"two\nlines"\n';
		expect(splitAll(text, 5)).toEqual([
			{ row: 1, cells: ['phone', 'note'] },
			{ row: 2, cells: ['+1', 'a, b'] },
			{ row: 3, cells: ['+2', 'say "hi"'] },
			{ row: 4, cells: ['+3', 'two\nlines'] }
		]);
	});

	it('counts blank lines as rows, like a spreadsheet', () => {
		expect(splitAll('a\n\nb\n', 100).map((r) => [r.row, r.cells])).toEqual([
			[1, ['a']],
			[2, ['']],
			[3, ['b']]
		]);
	});

	it('reads CRLF files without stray carriage returns at any chunk size', () => {
		const text = 'phone,name\r\n+1,Ada\r\n+2,"B\r\nob"\r\n';
		for (const chunk of [1, 2, 3, 7, 100]) {
			expect(splitAll(text, chunk, '\r\n').map((r) => r.cells)).toEqual([
				['phone', 'name'],
				['+1', 'Ada'],
				['+2', 'B\r\nob']
			]);
		}
	});

	it('handles a file without a final newline', () => {
		expect(splitAll('a,b\n1,2', 3).map((r) => r.cells)).toEqual([
			['a', 'b'],
			['1', '2']
		]);
	});

	it('gives up on a quote that never closes, naming the row', () => {
		const s = new RecordSplitter({ delimiter: ',', newline: '\n', maxRecordChars: 100 });
		s.push('a,b\n1,2\n3,"open\n');
		expect(() => s.push('x'.repeat(200))).toThrowError(UnterminatedRecordError);
		try {
			s.push('more');
		} catch (e) {
			expect((e as Error).message).toMatch(/^Row 3:/);
		}
	});

	it('round-trips any cells at any chunk size (property)', () => {
		const cell = fc.string({ unit: fc.constantFrom('a', 'b', ',', '"', '\n', '\r', ' ', 'é') });
		fc.assert(
			fc.property(
				fc.array(fc.array(cell, { minLength: 2, maxLength: 4 }), { minLength: 1, maxLength: 8 }),
				fc.integer({ min: 1, max: 20 }),
				(rows, chunk) => {
					// Rows of only empty cells would be blank lines; keep every row non-blank.
					const data = rows.map((r) => ['x', ...r]);
					const text = data.map((r) => csvLine(r, ',').replace(/^'/, '')).join('');
					const expected = data.map((r) =>
						r.map((c, i) => (i === 0 ? c : c.replace(/^([=+\-@\t\r\n])/, "'$1")))
					);
					const records = splitAll(text, chunk, '\r\n');
					expect(records.map((r) => r.cells)).toEqual(expected);
				}
			)
		);
	});
});
