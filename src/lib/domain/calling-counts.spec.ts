import { describe, expect, it } from 'vitest';
import { callingView, countCallingRow, emptyCallingCounts } from './calling-counts';

describe('calling counts', () => {
	const valid = emptyCallingCounts();
	countCallingRow(valid, 'mobile', 'Europe/London');
	countCallingRow(valid, 'landline', undefined);
	countCallingRow(valid, 'unknown', null);
	countCallingRow(valid, 'unknown', 'America/New_York');
	const existing = emptyCallingCounts();
	countCallingRow(existing, 'unknown', 'America/New_York');

	it('counts kinds, rows without a zone, and those the number places', () => {
		expect(valid).toEqual({
			kinds: { mobile: 1, landline: 1, voip: 0, toll_free: 0, unknown: 2 },
			zoneMissing: 3,
			zoneFromPhone: 2
		});
	});

	it('shows every valid row when existing contacts are updated', () => {
		expect(callingView(valid, existing, { skipExisting: false, fillTimezones: true })).toEqual({
			kinds: { mobile: 1, landline: 1, voip: 0, toll_free: 0, unknown: 2 },
			zoneFilled: 2,
			zoneEmpty: 1
		});
	});

	it('leaves out the existing contacts when they are skipped', () => {
		expect(callingView(valid, existing, { skipExisting: true, fillTimezones: true })).toEqual({
			kinds: { mobile: 1, landline: 1, voip: 0, toll_free: 0, unknown: 1 },
			zoneFilled: 1,
			zoneEmpty: 1
		});
	});

	it('fills nothing with the option off', () => {
		expect(callingView(valid, existing, { skipExisting: false, fillTimezones: false })).toEqual({
			kinds: { mobile: 1, landline: 1, voip: 0, toll_free: 0, unknown: 2 },
			zoneFilled: 0,
			zoneEmpty: 3
		});
	});
});
