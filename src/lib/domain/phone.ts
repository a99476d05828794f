/**
 * Phone normalisation to E.164 with libphonenumber-js (`max` metadata: strict validity).
 * Results are memoised per (default country, input) because real files repeat numbers and the
 * parser is the most expensive step of a row.
 */
import { parsePhoneNumberWithError, ParseError, type CountryCode } from 'libphonenumber-js/max';
import { getCountries, getCountryCallingCode } from 'libphonenumber-js/max';
import { fastPhone } from './phone-fast';

export type PhoneResult =
	| { ok: true; e164: string; country?: string; type?: string }
	| { ok: false; empty: boolean; reason: string };

const COUNTRIES = new Set<string>(getCountries());

/** Whether `code` is an ISO 3166 alpha-2 country libphonenumber-js knows. */
export function isSupportedCountry(code: string): code is CountryCode {
	return COUNTRIES.has(code);
}

/** Every supported country code, sorted. */
export function supportedCountries(): string[] {
	return [...COUNTRIES].sort();
}

/**
 * The default country from a BCP 47 locale (`en-US` → `US`), or fallback when it names none.
 */
export function countryFromLocale(locale: string | undefined, fallback = 'US'): string {
	const match = /[-_]([A-Za-z]{2})(?:$|[-_])/.exec(locale ?? '');
	const code = match?.[1].toUpperCase();
	return code && COUNTRIES.has(code) ? code : fallback;
}

const REASONS: Record<string, string> = {
	INVALID_COUNTRY: 'No country code, and no default country applies',
	NOT_A_NUMBER: 'Not a phone number',
	TOO_SHORT: 'Too short to be a phone number',
	TOO_LONG: 'Too long to be a phone number',
	INVALID_LENGTH: 'Wrong number of digits for a phone number'
};

const MEMO_LIMIT = 200_000;
let memo = new Map<string, PhoneResult>();
const EMPTY: PhoneResult = { ok: false, empty: true, reason: 'No phone number' };

/**
 * Normalises one phone cell. Empty (or whitespace) is `{ ok: false, empty: true }`.
 * Common shapes take `fastPhone` (the library's own steps with patterns compiled once); the rest,
 * and every invalid number, go to libphonenumber-js, memoised per (default country, input).
 * @param defaultCountry applies to numbers written without a country code
 */
export function normalizePhone(raw: string, defaultCountry?: string): PhoneResult {
	const text = raw.trim();
	if (text === '') return EMPTY;
	const fast = fastPhone(clean(text), supportedOrNone(defaultCountry));
	if (fast) return { ok: true, e164: fast.e164, country: fast.country, type: fast.type };
	const memoKey = `${defaultCountry ?? ''}|${text}`;
	const hit = memo.get(memoKey);
	if (hit) return hit;
	const result = libraryPhone(text, defaultCountry);
	if (memo.size >= MEMO_LIMIT) memo = new Map();
	memo.set(memoKey, result);
	return result;
}

/**
 * One cell's answer from libphonenumber-js alone (no fast path, no memo): the path every
 * uncommon or invalid number takes, and what `normalizePhone` must answer for every input.
 */
export function libraryPhone(raw: string, defaultCountry?: string): PhoneResult {
	const text = raw.trim();
	if (text === '') return EMPTY;
	return parse(clean(text), supportedOrNone(defaultCountry));
}

/** The default country when libphonenumber-js knows it; an unknown one means none. */
function supportedOrNone(defaultCountry: string | undefined): CountryCode | undefined {
	return defaultCountry && isSupportedCountry(defaultCountry) ? defaultCountry : undefined;
}

/**
 * Spreadsheets write "00" for the international prefix, keep "tel:" links, and CSV writers guard
 * a leading "+" with an apostrophe (`'+14155550123`, a text marker, not part of the number).
 */
function clean(text: string): string {
	const c = text.charCodeAt(0);
	// Only a leading "t"/"T", "0" or "'" can need cleaning: skip the regexps for every other row.
	if (c === 0x27) return clean(text.slice(1).trimStart());
	if (c !== 0x74 && c !== 0x54 && c !== 0x30) return text;
	return text.replace(/^tel:/i, '').replace(/^00(?=[1-9])/, '+');
}

function parse(cleaned: string, country: CountryCode | undefined): PhoneResult {
	if (!/\d/.test(cleaned)) return { ok: false, empty: false, reason: 'Not a phone number' };
	try {
		const parsed = parsePhoneNumberWithError(cleaned, { defaultCountry: country, extract: false });
		if (!parsed.isValid()) {
			const where = parsed.country ?? (country && !cleaned.startsWith('+') ? country : undefined);
			return {
				ok: false,
				empty: false,
				reason: where ? `Not a valid number for ${where}` : 'Not a valid phone number'
			};
		}
		return { ok: true, e164: parsed.number, country: parsed.country, type: parsed.getType() };
	} catch (error) {
		const code = error instanceof ParseError ? error.message : 'NOT_A_NUMBER';
		return { ok: false, empty: false, reason: REASONS[code] ?? 'Not a phone number' };
	}
}

/**
 * Digit prefixes a phone-like search can match in stored E.164 phones: the digits as typed, and
 * with the default country's calling code in front (a national number, its trunk 0 dropped).
 */
export function phonePrefixes(query: string, defaultCountry?: string): string[] {
	const digits = query.replace(/\D/g, '');
	if (digits.length < 3) return [];
	const prefixes = new Set([digits.replace(/^00/, '')]);
	if (!query.trim().startsWith('+') && defaultCountry && isSupportedCountry(defaultCountry)) {
		prefixes.add(getCountryCallingCode(defaultCountry) + digits.replace(/^0/, ''));
	}
	return [...prefixes];
}
