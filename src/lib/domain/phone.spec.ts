import { describe, expect, it } from 'vitest';
import { countryFromLocale, isSupportedCountry, normalizePhone } from './phone';

describe('normalizePhone', () => {
	it.each([
		['+1 (415) 555-2671', 'US', '+14155552671'],
		['(415) 555-2671', 'US', '+14155552671'],
		['415.555.2671', 'US', '+14155552671'],
		['+44 20 7946 0958', 'US', '+442079460958'],
		['020 7946 0958', 'GB', '+442079460958'],
		['0044 20 7946 0958', 'US', '+442079460958'],
		['tel:+14155552671', undefined, '+14155552671'],
		['030 123456', 'DE', '+4930123456'],
		// An apostrophe that a CSV writer put before a "+" (an older export of this app, say).
		["'+14155552671", 'GB', '+14155552671'],
		["' +44 20 7946 0958", 'US', '+442079460958']
	])('%s (%s) → %s', (raw, country, e164) => {
		const result = normalizePhone(raw, country);
		expect(result).toMatchObject({ ok: true, e164 });
	});

	it('reports an empty cell as empty', () => {
		expect(normalizePhone('   ', 'US')).toMatchObject({ ok: false, empty: true });
	});

	it.each([
		['hello', /not a phone number/i],
		['12', /too short|not a/i],
		['+1 555 555 5555', /not a valid/i],
		['(415) 555-2671', /country code/i]
	])('rejects %s', (raw, reason) => {
		const result = normalizePhone(raw, raw === '(415) 555-2671' ? undefined : 'US');
		expect(result.ok).toBe(false);
		if (!result.ok) {
			expect(result.empty).toBe(false);
			expect(result.reason).toMatch(reason);
		}
	});

	it('applies the default country only to national numbers', () => {
		expect(normalizePhone('020 7946 0958', 'GB')).toMatchObject({ e164: '+442079460958' });
		expect(normalizePhone('+14155552671', 'GB')).toMatchObject({ e164: '+14155552671' });
	});

	it('is invalid, not valid, for a number valid elsewhere but not in the default country', () => {
		expect(normalizePhone('020 7946 0958', 'US').ok).toBe(false);
	});
});

describe('countryFromLocale', () => {
	it('reads the region of a locale', () => {
		expect(countryFromLocale('en-GB')).toBe('GB');
		expect(countryFromLocale('de-DE')).toBe('DE');
		expect(countryFromLocale('fr')).toBe('US');
		expect(countryFromLocale(undefined, 'FR')).toBe('FR');
		expect(countryFromLocale('zh-Hant-TW')).toBe('TW');
	});
	it('knows supported countries', () => {
		expect(isSupportedCountry('US')).toBe(true);
		expect(isSupportedCountry('XX')).toBe(false);
	});
});
