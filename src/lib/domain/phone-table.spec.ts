import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { PhoneTable } from './phone-table';

describe('PhoneTable', () => {
	it('behaves like a Map of first rows, across growth', () => {
		const phone = fc
			.bigInt({ min: 1n, max: 999_999_999_999_999n })
			.map((n) => `+${n.toString()}`)
			.filter((p) => !p.startsWith('+0'));
		fc.assert(
			fc.property(
				fc.array(fc.tuple(phone, fc.integer({ min: 0, max: 2 ** 31 - 1 })), { maxLength: 300 }),
				(ops) => {
					const table = new PhoneTable(4);
					const reference = new Map<string, number>();
					for (const [p, row] of ops) {
						expect(table.setIfAbsent(p, row)).toBe(reference.get(p));
						if (!reference.has(p)) reference.set(p, row);
					}
					expect(table.size).toBe(reference.size);
					for (const [p, row] of reference) expect(table.get(p)).toBe(row);
					for (const [p] of ops) expect(table.has(p)).toBe(true);
				}
			),
			{ numRuns: 300 }
		);
	});

	it('replaceKey behaves like a Map of last rows and answers the row it replaced', () => {
		const key = fc.integer({ min: 1, max: 60 }).map((n) => 12_125_550_000 + n);
		fc.assert(
			fc.property(
				fc.array(fc.tuple(key, fc.integer({ min: 0, max: 2 ** 31 - 1 })), { maxLength: 300 }),
				(ops) => {
					const table = new PhoneTable(4);
					const reference = new Map<number, number>();
					for (const [k, row] of ops) {
						expect(table.replaceKey(k, row)).toBe(reference.get(k));
						reference.set(k, row);
					}
					expect(table.size).toBe(reference.size);
					for (const [k, row] of reference) expect(table.getKey(k)).toBe(row);
				}
			),
			{ numRuns: 200 }
		);
	});

	it('keeps 15-digit numbers apart (exact doubles) and finds nothing it was not given', () => {
		const table = new PhoneTable();
		table.setIfAbsent('+999999999999999', 2);
		table.setIfAbsent('+999999999999998', 3);
		expect(table.get('+999999999999999')).toBe(2);
		expect(table.get('+999999999999998')).toBe(3);
		expect(table.has('+999999999999997')).toBe(false);
		for (let i = 0; i < 100_000; i++) table.setIfAbsent(`+1212${2_000_000 + i}`, i);
		expect(table.size).toBe(100_002);
		expect(table.get('+12122050000')).toBe(50_000);
	});

	it('refuses what is not an E.164 number', () => {
		expect(() => new PhoneTable().has('2125550123')).toThrow(/E\.164/);
		expect(() => new PhoneTable().has('+1234567890123456')).toThrow(/E\.164/);
	});
});
