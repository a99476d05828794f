import { describe, expect, it } from 'vitest';
import { callableView, callingView, countCallingRow, emptyCallingCounts } from './calling-counts';

describe('calling counts', () => {
	const valid = emptyCallingCounts();
	countCallingRow(valid, 'mobile', 'Europe/London');
	countCallingRow(valid, 'landline', undefined, 'Asia/Tokyo');
	countCallingRow(valid, 'unknown', null);
	countCallingRow(valid, 'unknown', 'America/New_York');
	const existing = emptyCallingCounts();
	countCallingRow(existing, 'unknown', 'America/New_York');

	it('counts kinds, rows without a zone, and those the number places', () => {
		expect(valid).toEqual({
			kinds: { mobile: 1, landline: 1, voip: 0, toll_free: 0, unknown: 2 },
			zoneMissing: 3,
			zoneFromPhone: 2,
			zones: {
				own: { 'Asia/Tokyo': 1 },
				phone: { 'Europe/London': 1, 'America/New_York': 1 }
			}
		});
	});

	it('shows every valid row when existing contacts are updated', () => {
		expect(callingView(valid, existing, { skipExisting: false, fillTimezones: true })).toEqual({
			kinds: { mobile: 1, landline: 1, voip: 0, toll_free: 0, unknown: 2 },
			zoneFilled: 2,
			zoneEmpty: 1,
			zones: { 'Asia/Tokyo': 1, 'Europe/London': 1, 'America/New_York': 1 }
		});
	});

	it('leaves out the existing contacts when they are skipped', () => {
		expect(callingView(valid, existing, { skipExisting: true, fillTimezones: true })).toEqual({
			kinds: { mobile: 1, landline: 1, voip: 0, toll_free: 0, unknown: 1 },
			zoneFilled: 1,
			zoneEmpty: 1,
			zones: { 'Asia/Tokyo': 1, 'Europe/London': 1, 'America/New_York': 0 }
		});
	});

	it('fills nothing with the option off', () => {
		expect(callingView(valid, existing, { skipExisting: false, fillTimezones: false })).toEqual({
			kinds: { mobile: 1, landline: 1, voip: 0, toll_free: 0, unknown: 2 },
			zoneFilled: 0,
			zoneEmpty: 3,
			zones: { 'Asia/Tokyo': 1 }
		});
	});

	it('leaves listed rows out of the callable zones, and out of every count when they are skipped', () => {
		const listed = { valid: emptyCallingCounts(), existing: emptyCallingCounts() };
		countCallingRow(listed.valid, 'mobile', 'Europe/London');
		const flagged = callingView(
			valid,
			existing,
			{ skipExisting: false, fillTimezones: true },
			listed
		);
		expect(flagged.kinds.mobile).toBe(1);
		expect(flagged.zones['Europe/London']).toBe(0);
		const skipped = callingView(
			valid,
			existing,
			{ skipExisting: false, fillTimezones: true, skipDoNotCall: true },
			listed
		);
		expect(skipped.kinds.mobile).toBe(0);
		expect(skipped.zoneFilled).toBe(1);
		expect(skipped.zones['Europe/London']).toBe(0);
	});

	it('counts the rows callable at a clock from their zones; a row without a zone never is', () => {
		const view = callingView(valid, existing, { skipExisting: false, fillTimezones: true });
		const hours = { from: '08:00', to: '21:00' };
		// 12:00 UTC in July: 21:00 in Tokyo (closed), 13:00 in London, 08:00 in New York.
		expect(callableView(view, Date.parse('2026-07-15T12:00:00Z'), hours)).toEqual({
			callable: 2,
			unknownZone: 1
		});
		// The same instant in January: New York is at 07:00 (standard time), not callable yet.
		expect(callableView(view, Date.parse('2026-01-15T12:00:00Z'), hours)).toEqual({
			callable: 1,
			unknownZone: 1
		});
		expect(callableView({ zones: { 'Nowhere/Land': 2 }, zoneEmpty: 0 }, 0, hours)).toEqual({
			callable: 0,
			unknownZone: 2
		});
	});
});
