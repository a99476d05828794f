import { describe, expect, it } from 'vitest';
import {
	callingHoursProblem,
	DEFAULT_CALLING_HOURS,
	formatHhMm,
	inWindow,
	localTimeOf,
	nextMinuteBoundary,
	parseHhMm,
	parseWindow,
	withinCallingHours
} from './calling-hours';

const at = (iso: string) => Date.parse(iso);

describe('local time across daylight-saving changes (a fixed clock)', () => {
	it.each([
		// New York springs forward at 02:00 EST on 8 March 2026 (07:00 UTC) and falls back at
		// 02:00 EDT on 1 November 2026 (06:00 UTC).
		['America/New_York', '2026-03-08T06:59:00Z', '01:59'],
		['America/New_York', '2026-03-08T07:00:00Z', '03:00'],
		['America/New_York', '2026-11-01T05:59:00Z', '01:59'],
		['America/New_York', '2026-11-01T06:00:00Z', '01:00'],
		// London: British Summer Time from 01:00 UTC on 29 March to 01:00 UTC on 25 October 2026.
		['Europe/London', '2026-03-29T00:59:00Z', '00:59'],
		['Europe/London', '2026-03-29T01:00:00Z', '02:00'],
		['Europe/London', '2026-10-25T00:59:00Z', '01:59'],
		['Europe/London', '2026-10-25T01:00:00Z', '01:00'],
		// Sydney, southern hemisphere: summer time ends at 03:00 on 5 April 2026 (16:00 UTC the
		// day before) and starts at 02:00 on 4 October 2026 (16:00 UTC on the 3rd).
		['Australia/Sydney', '2026-04-04T15:59:00Z', '02:59'],
		['Australia/Sydney', '2026-04-04T16:00:00Z', '02:00'],
		['Australia/Sydney', '2026-10-03T15:59:00Z', '01:59'],
		['Australia/Sydney', '2026-10-03T16:00:00Z', '03:00'],
		// Tokyo has no daylight saving: always UTC+9.
		['Asia/Tokyo', '2026-03-08T07:00:00Z', '16:00'],
		['Asia/Tokyo', '2026-07-01T07:00:00Z', '16:00'],
		// A half-hour zone.
		['Asia/Kolkata', '2026-01-01T00:00:00Z', '05:30']
	])('%s at %s is %s', (zone, instant, expected) => {
		expect(localTimeOf(zone, at(instant))).toBe(expected);
	});

	it('an empty or unknown zone has no local time', () => {
		expect(localTimeOf(undefined, at('2026-01-01T00:00:00Z'))).toBeNull();
		expect(localTimeOf('', at('2026-01-01T00:00:00Z'))).toBeNull();
		expect(localTimeOf('Mars/Olympus_Mons', at('2026-01-01T00:00:00Z'))).toBeNull();
	});
});

describe('calling hours', () => {
	it('12:00 UTC is 07:00 in New York in winter (not callable) and 08:00 in summer (callable)', () => {
		expect(
			withinCallingHours('America/New_York', at('2026-01-15T12:00:00Z'), DEFAULT_CALLING_HOURS)
		).toBe(false);
		expect(
			withinCallingHours('America/New_York', at('2026-07-15T12:00:00Z'), DEFAULT_CALLING_HOURS)
		).toBe(true);
	});

	it('includes the start and excludes the end', () => {
		const hours = { from: '09:00', to: '17:00' };
		expect(withinCallingHours('Asia/Tokyo', at('2026-05-01T00:00:00Z'), hours)).toBe(true); // 09:00
		expect(withinCallingHours('Asia/Tokyo', at('2026-04-30T23:59:00Z'), hours)).toBe(false); // 08:59
		expect(withinCallingHours('Asia/Tokyo', at('2026-05-01T07:59:00Z'), hours)).toBe(true); // 16:59
		expect(withinCallingHours('Asia/Tokyo', at('2026-05-01T08:00:00Z'), hours)).toBe(false); // 17:00
	});

	it('a window later than its end wraps midnight', () => {
		const night = { from: '22:00', to: '06:00' };
		expect(inWindow(parseHhMm('23:30')!, { from: 1320, to: 360 })).toBe(true);
		expect(withinCallingHours('Asia/Tokyo', at('2026-05-01T14:00:00Z'), night)).toBe(true); // 23:00
		expect(withinCallingHours('Asia/Tokyo', at('2026-05-01T20:00:00Z'), night)).toBe(true); // 05:00
		expect(withinCallingHours('Asia/Tokyo', at('2026-05-01T03:00:00Z'), night)).toBe(false); // 12:00
	});

	it('a contact without a known zone is never callable', () => {
		expect(withinCallingHours(undefined, at('2026-05-01T12:00:00Z'), DEFAULT_CALLING_HOURS)).toBe(
			false
		);
		expect(
			withinCallingHours('Nowhere/Land', at('2026-05-01T12:00:00Z'), DEFAULT_CALLING_HOURS)
		).toBe(false);
	});

	it('validates a window with a reason', () => {
		expect(callingHoursProblem(DEFAULT_CALLING_HOURS)).toBeNull();
		expect(callingHoursProblem({ from: '8am', to: '21:00' })).toMatch(/“8am” is not a time/);
		expect(callingHoursProblem({ from: '08:00', to: '24:00' })).toMatch(/“24:00” is not a time/);
		expect(callingHoursProblem({ from: '09:00', to: '09:00' })).toMatch(/same time/);
	});
});

describe('times and windows', () => {
	it('parses and formats HH:MM', () => {
		expect(parseHhMm('08:05')).toBe(485);
		expect(parseHhMm(' 23:59 ')).toBe(1439);
		expect(parseHhMm('8:05')).toBeNull();
		expect(formatHhMm(485)).toBe('08:05');
		expect(formatHhMm(-1)).toBe('23:59');
	});

	it('parses a local_time between value', () => {
		expect(parseWindow('09:00-17:00')).toEqual({ from: 540, to: 1020 });
		expect(parseWindow('09:00 – 17:00')).toEqual({ from: 540, to: 1020 });
		expect(parseWindow('9-5')).toBeNull();
		expect(parseWindow('09:00')).toBeNull();
	});

	it('the next minute boundary is after now, within a minute', () => {
		const now = at('2026-05-01T10:15:42.500Z');
		expect(nextMinuteBoundary(now)).toBe(at('2026-05-01T10:16:00Z'));
		expect(nextMinuteBoundary(at('2026-05-01T10:16:00Z'))).toBe(at('2026-05-01T10:17:00Z'));
	});
});
