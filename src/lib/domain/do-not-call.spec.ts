import { describe, expect, it } from 'vitest';
import { dncKey, DoNotCallSet } from './do-not-call';

describe('DoNotCallSet', () => {
	it('holds E.164 numbers once, in order, and answers membership', () => {
		const set = DoNotCallSet.of(['+442079460958', '+14155550100', '+14155550100', 'nope', '+1']);
		// '+1' is too short to be a number: left out, as 'nope' is.
		expect(set.size).toBe(2);
		expect([...set.keys()]).toEqual([14155550100, 442079460958]);
		expect(set.has('+14155550100')).toBe(true);
		expect(set.has('+14155550101')).toBe(false);
		expect(set.has('14155550100')).toBe(false);
	});

	it('keeps 15-digit numbers exact', () => {
		const longest = '+999999999999999';
		expect(dncKey(longest)).toBe(999_999_999_999_999);
		expect(DoNotCallSet.of([longest]).has('+999999999999998')).toBe(false);
	});

	it('adds one list to another, and reads stored keys back sorted', () => {
		const a = DoNotCallSet.of(['+33612345678', '+14155550100']);
		const b = DoNotCallSet.of(['+14155550100', '+4930123456']);
		expect(a.union(b).size).toBe(3);
		expect(a.union(DoNotCallSet.EMPTY)).toBe(a);
		const stored = DoNotCallSet.fromKeys(Float64Array.from([5, 3, 3, 9]));
		expect([...stored.keys()]).toEqual([3, 5, 9]);
	});

	it('answers a million numbers in a blink', () => {
		const keys = Float64Array.from({ length: 1_000_000 }, (_, i) => 14_150_000_000 + i * 7);
		const set = DoNotCallSet.fromKeys(keys);
		let hits = 0;
		for (let i = 0; i < 100_000; i++) if (set.hasKey(14_150_000_000 + i)) hits++;
		expect(hits).toBe(Math.ceil(100_000 / 7));
	});
});
