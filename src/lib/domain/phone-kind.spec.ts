import { describe, expect, it } from 'vitest';
import { normalizePhone } from './phone';
import { kindOfType, phoneKindOf } from './phone-kind';

describe('kindOfType', () => {
	it.each([
		['MOBILE', 'mobile'],
		['FIXED_LINE', 'landline'],
		['VOIP', 'voip'],
		['TOLL_FREE', 'toll_free'],
		['FIXED_LINE_OR_MOBILE', 'unknown'],
		['PREMIUM_RATE', 'unknown'],
		[undefined, 'unknown']
	])('%s → %s', (type, kind) => {
		expect(kindOfType(type)).toBe(kind);
	});
});

describe('phoneKindOf', () => {
	it.each([
		['+447400123456', 'mobile'],
		['+442079460958', 'landline'],
		['+445633123456', 'voip'],
		['+448001234567', 'toll_free'],
		['+18005550123', 'toll_free'],
		['+12125550123', 'unknown'],
		['+14165550123', 'unknown'],
		['+33612345678', 'mobile'],
		['+4930123456', 'landline']
	])('%s is %s', (phone, kind) => {
		expect(phoneKindOf(phone)).toBe(kind);
	});

	it('agrees with the type normalizePhone gives a row, written any way', () => {
		for (const raw of ['+44 7400 123456', '020 7946 0958', '(212) 555-0123', '+1-800-555-0123']) {
			const row = normalizePhone(raw, raw.startsWith('0') ? 'GB' : 'US');
			if (!row.ok) throw new Error(raw);
			expect(phoneKindOf(row.e164)).toBe(kindOfType(row.type));
		}
	});

	it('is unknown for a number that is not valid', () => {
		expect(phoneKindOf('+1555')).toBe('unknown');
	});
});
