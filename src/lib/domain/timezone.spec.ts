import { describe, expect, it } from 'vitest';
import { normalizeTimezone } from './timezone';

describe('normalizeTimezone', () => {
	it.each([
		['America/New_York', 'America/New_York'],
		['america/new_york', 'America/New_York'],
		[' Europe/London ', 'Europe/London'],
		['US/Eastern', 'America/New_York'],
		['us/pacific', 'America/Los_Angeles'],
		['Asia/Calcutta', 'Asia/Kolkata'],
		['Asia/Kolkata', 'Asia/Kolkata'],
		['Europe/Kiev', 'Europe/Kyiv'],
		['Asia/Choibalsan', 'Asia/Ulaanbaatar'],
		['America/Buenos_Aires', 'America/Argentina/Buenos_Aires'],
		['America/New York', 'America/New_York'],
		['UTC', 'UTC'],
		['Etc/UTC', 'UTC'],
		['', '']
	])('%j → %j', (raw, timezone) => {
		expect(normalizeTimezone(raw)).toEqual({ ok: true, timezone });
	});

	it.each(['EST', 'Mars/Olympus', 'New York', '+05:30'])('rejects %j', (raw) => {
		expect(normalizeTimezone(raw).ok).toBe(false);
	});
});
