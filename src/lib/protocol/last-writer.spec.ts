import { describe, expect, it } from 'vitest';
import { newer, wins } from './last-writer';

describe('newer', () => {
	it('orders by time, then by device id; anything beats nothing', () => {
		expect(newer({ at: 2, device: 'a' }, { at: 1, device: 'z' })).toBe(true);
		expect(newer({ at: 1, device: 'b' }, { at: 1, device: 'a' })).toBe(true);
		expect(newer({ at: 1, device: 'a' }, { at: 1, device: 'a' })).toBe(false);
		expect(newer({ at: 1, device: 'a' }, { at: 2, device: 'a' })).toBe(false);
		expect(newer({ at: 0, device: '' }, undefined)).toBe(true);
	});

	it('is a strict total order: of two different versions exactly one is newer', () => {
		const versions = [0, 1, 2].flatMap((at) => ['', 'a', 'b'].map((device) => ({ at, device })));
		for (const x of versions)
			for (const y of versions) {
				const same = x.at === y.at && x.device === y.device;
				expect(Number(newer(x, y)) + Number(newer(y, x))).toBe(same ? 0 : 1);
			}
	});
});

describe('wins', () => {
	it('needs to beat both the contact and the tombstone', () => {
		const v = { at: 5, device: 'a' };
		expect(wins(v, undefined)).toBe(true);
		expect(wins(v, { contact: { at: 4, device: 'z' } })).toBe(true);
		expect(wins(v, { tombstone: { at: 6, device: '' } })).toBe(false);
		expect(wins(v, { contact: { at: 1, device: '' }, tombstone: { at: 5, device: 'b' } })).toBe(
			false
		);
	});
});
