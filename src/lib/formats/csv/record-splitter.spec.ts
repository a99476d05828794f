import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { csvLine } from '$lib/domain/csv-writer';
import { RecordSplitter } from './record-splitter';

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

	it('sets aside a row whose stray quote swallows lines until a later quote', () => {
		const text = 'phone,note\n+1,ok\n+2,"open\n+3,after\n+4,"fine, quoted"\n+5,last\n';
		for (const chunk of [1, 4, 1000]) {
			const records = splitAll(text, chunk);
			expect(records.map((r) => [r.row, r.cells, !!r.error])).toEqual([
				[1, ['phone', 'note'], false],
				[2, ['+1', 'ok'], false],
				[3, ['+2,"open'], true],
				[4, ['+3', 'after'], false],
				[5, ['+4', 'fine, quoted'], false],
				[6, ['+5', 'last'], false]
			]);
		}
	});

	it('sets aside a row whose quote never closes (end of file) and keeps the rows after it', () => {
		const text = 'phone,note\n+1,ok\n+2,"open\n+3,after\n+4,fine\n';
		for (const chunk of [1, 4, 1000]) {
			const records = splitAll(text, chunk);
			expect(records.map((r) => [r.row, r.cells, !!r.error])).toEqual([
				[1, ['phone', 'note'], false],
				[2, ['+1', 'ok'], false],
				[3, ['+2,"open'], true],
				[4, ['+3', 'after'], false],
				[5, ['+4', 'fine'], false]
			]);
			expect(records[2].error).toMatch(/never closed before the end of the file/);
		}
	});

	it('sets aside an unclosed quote once it spans too many lines, without waiting for the end', () => {
		const s = new RecordSplitter({
			delimiter: ',',
			newline: '\n',
			maxRecordLines: 5,
			maxRecordChars: 1000
		});
		const first = s.push('a,b\n1,"open\n');
		expect(first.map((r) => r.row)).toEqual([1]);
		const later = s.push(Array.from({ length: 8 }, (_, i) => `x${i},y`).join('\n') + '\n');
		expect(later[0]).toMatchObject({ row: 2, cells: ['1,"open'] });
		expect(later[0].error).toMatch(/not closed within/);
		expect(later.slice(1).map((r) => r.cells[0])).toEqual([
			'x0',
			'x1',
			'x2',
			'x3',
			'x4',
			'x5',
			'x6',
			'x7'
		]);
		expect(s.push('', true)).toEqual([]);
	});

	it('sets aside a giant line without holding it, then reads on', () => {
		const s = new RecordSplitter({ delimiter: ',', newline: '\n', maxRecordChars: 100 });
		const out = [...s.push('a,b\n'), ...s.push('z'.repeat(150))];
		for (let i = 0; i < 50; i++) out.push(...s.push('z'.repeat(1000)));
		out.push(...s.push('zz\n1,2\n'), ...s.push('', true));
		expect(out.map((r) => [r.row, r.cells[0].slice(0, 3), !!r.error])).toEqual([
			[1, 'a', false],
			[2, 'zzz', true],
			[3, '1', false]
		]);
		expect(out[1].error).toMatch(/longer than 100 characters/);
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

describe('RecordSplitter on hostile input', () => {
	const hostile = fc
		.array(fc.constantFrom('"', '"', ',', '\n', '\r\n', 'x', ' ', '""', '"x', 'x"', '\n"'), {
			minLength: 1,
			maxLength: 60
		})
		.map((parts) => parts.join(''));

	it('reads the same records whatever the chunk size, and never loses a line (property)', () => {
		fc.assert(
			fc.property(hostile, fc.integer({ min: 1, max: 9 }), (text, chunk) => {
				const whole = splitAll(text, text.length + 1);
				expect(splitAll(text, chunk)).toEqual(whole);
				// Rows are numbered 1, 2, 3… with no gap, and every line break outside a kept quoted
				// cell starts a new row: no line is swallowed.
				whole.forEach((r, i) => expect(r.row).toBe(i + 1));
				const breaks = (text.match(/\r\n|\n/g) ?? []).length;
				const inside = whole
					.filter((r) => !r.error)
					.reduce((n, r) => n + r.cells.join(',').split('\n').length - 1, 0);
				expect(whole.length).toBeGreaterThanOrEqual(breaks - inside);
			}),
			{ numRuns: 1000 }
		);
	});

	it('takes time linear in the input, however the quotes are broken (property)', () => {
		// Each generated pattern is repeated to about 300 KB. A search that restarts at every stray
		// quote costs O(n²): minutes at this size. The budget (5 µs a character, plus 0.5 s of
		// slack) is about 50 times what a clean file of this size needs.
		fc.assert(
			fc.property(hostile, (pattern) => {
				const text = pattern.repeat(Math.ceil(300_000 / pattern.length));
				const started = performance.now();
				const records = splitAll(text, 1 << 16);
				const ms = performance.now() - started;
				expect(records.length).toBeGreaterThan(0);
				expect(ms).toBeLessThan(500 + text.length * 0.005);
			}),
			{ numRuns: 40 }
		);
		// The bound is per input, above; the whole property (40 inputs) gets a generous limit so that
		// a busy machine slows it without failing it.
	}, 120_000);

	it('reads a file whose every line opens a quote at the speed of a clean file', () => {
		const lines = 100_000;
		const broken = '"x,1\n'.repeat(lines);
		const clean = 'x,1\n'.repeat(lines);
		const time = (text: string) => {
			const started = performance.now();
			const records = splitAll(text, 1 << 20);
			return { ms: performance.now() - started, records };
		};
		const b = time(broken);
		const c = time(clean);
		expect(b.records).toHaveLength(lines);
		expect(b.records.every((r) => r.error?.startsWith('A quoted cell opens on this row'))).toBe(
			true
		);
		expect(c.records).toHaveLength(lines);
		// The same order of speed: within 10× (a restart per stray quote would be about 10,000×).
		expect(b.ms).toBeLessThan(10 * c.ms + 200);
	});
});
