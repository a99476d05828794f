/**
 * A fast path for the phone shapes real files are made of: international (`+44 20 7946 0958`,
 * `+12125550123`) and plain national (`(212) 555-0123`, `030 1234567` is *not* one: see below).
 *
 * Why: libphonenumber-js rebuilds a RegExp for every pattern it tests and tries each country that
 * shares a calling code, which costs 8–26 µs a row — more than everything else a row
 * needs. This module follows libphonenumber-js's own steps (`parse` → `extractCountryCallingCode`
 * → `extractNationalNumber` → `getCountryByCallingCode` → `getNumberType` / `isValid`) with the
 * same metadata (`max`) and the same patterns, compiled once.
 *
 * It only answers when every branch it skips provably does nothing for the input, and only for
 * VALID numbers; anything else returns `undefined` and the caller asks libphonenumber-js itself
 * (so every reason for an invalid number stays the library's). It declines:
 * - any character other than ASCII digits, spaces, `-`, `.`, `(`, `)` and a leading `+`
 *   (extensions, letters, other scripts' digits, `;`, `#`, ...);
 * - numbers whose national part starts with what the national-prefix-for-parsing rule would
 *   strip (so `0` in `030 1234567`, `1` in `1 212 555 0123`): the library's stripping has
 *   conditions this module does not replicate;
 * - national numbers starting with the default country's international (IDD) prefix or its
 *   calling code (the library may then read them as international);
 * - non-geographic calling codes, numbers of no country, and invalid numbers.
 * `phone-fast.spec.ts` proves it equal to libphonenumber-js on a large generated corpus.
 */
import { Metadata } from 'libphonenumber-js/core';
import metadataJson from 'libphonenumber-js/metadata.max.json';

export interface FastPhone {
	e164: string;
	country: string;
	type: string | undefined;
}

// The library's Metadata class, typed for the accessors this module reads.
interface TypeDef {
	pattern(): string;
	possibleLengths(): number[] | undefined;
}
interface NumberingPlanApi {
	callingCode(): string;
	IDDPrefix(): string;
	nationalNumberPattern(): string;
	nationalPrefixForParsing(): string | undefined;
	leadingDigits(): string | undefined;
	hasTypes(): boolean;
	type(name: string): TypeDef | undefined;
}
interface MetadataApi {
	selectNumberingPlan(countryOrCallingCode: string): MetadataApi;
	numberingPlan: NumberingPlanApi;
	hasCallingCode(callingCode: string): boolean | undefined;
	getCountryCodesForCallingCode(callingCode: string): string[] | undefined;
}

const NON_FIXED_LINE_TYPES = [
	'MOBILE',
	'PREMIUM_RATE',
	'TOLL_FREE',
	'SHARED_COST',
	'VOIP',
	'PERSONAL_NUMBER',
	'PAGER',
	'UAN',
	'VOICEMAIL'
] as const;

/** libphonenumber-js's MIN_LENGTH_FOR_NSN / MAX_LENGTH_FOR_NSN. */
const MIN_NSN = 2;
const MAX_NSN = 17;
/** libphonenumber-js's MAX_LENGTH_COUNTRY_CODE. */
const MAX_CC = 3;

interface TypeRule {
	re: RegExp;
	lengths: number[] | undefined;
}

/** One country's numbering plan with every pattern compiled once. */
interface Plan {
	country: string;
	callingCode: string;
	nationalPattern: RegExp;
	/** `^(?:national prefix for parsing)`: a match means the library may strip something. */
	nationalPrefix: RegExp | undefined;
	/** The international prefix as the library searches it (`search(...) === 0`). */
	idd: RegExp | undefined;
	leadingDigits: RegExp | undefined;
	hasTypes: boolean;
	/** undefined: no such type; null: the type exists with an empty pattern. */
	types: Map<string, TypeRule | null>;
}

const metadata = new Metadata(metadataJson) as unknown as MetadataApi;
const plans = new Map<string, Plan>();

function entire(pattern: string): RegExp {
	return new RegExp(`^(?:${pattern})$`);
}

function planOf(country: string): Plan {
	let plan = plans.get(country);
	if (plan) return plan;
	const p = metadata.selectNumberingPlan(country).numberingPlan;
	const types = new Map<string, TypeRule | null>();
	for (const name of ['FIXED_LINE', ...NON_FIXED_LINE_TYPES]) {
		const def = p.type(name);
		if (!def) continue;
		types.set(
			name,
			def.pattern() ? { re: entire(def.pattern()), lengths: def.possibleLengths() } : null
		);
	}
	const npfp = p.nationalPrefixForParsing();
	const leading = p.leadingDigits();
	const idd = p.IDDPrefix();
	plan = {
		country,
		callingCode: p.callingCode(),
		nationalPattern: entire(p.nationalNumberPattern()),
		nationalPrefix: npfp ? new RegExp(`^(?:${npfp})`) : undefined,
		idd: idd ? new RegExp(idd) : undefined,
		leadingDigits: leading ? new RegExp(leading) : undefined,
		hasTypes: p.hasTypes(),
		types
	};
	plans.set(country, plan);
	return plan;
}

/** libphonenumber-js's `isNumberTypeEqualTo`. */
function isType(nsn: string, name: string, plan: Plan): boolean {
	const rule = plan.types.get(name);
	if (!rule) return false;
	if (rule.lengths && !rule.lengths.includes(nsn.length)) return false;
	return rule.re.test(nsn);
}

/** libphonenumber-js's `getNumberType`. */
function numberType(nsn: string, plan: Plan): string | undefined {
	if (!plan.nationalPattern.test(nsn)) return undefined;
	if (isType(nsn, 'FIXED_LINE', plan)) {
		const mobile = plan.types.get('MOBILE');
		if (mobile === null || mobile === undefined) return 'FIXED_LINE_OR_MOBILE';
		return isType(nsn, 'MOBILE', plan) ? 'FIXED_LINE_OR_MOBILE' : 'FIXED_LINE';
	}
	for (const name of NON_FIXED_LINE_TYPES) if (isType(nsn, name, plan)) return name;
	return undefined;
}

/** libphonenumber-js's `getCountryByCallingCode` (→ `getCountryByNationalNumber`). */
function exactCountry(countries: readonly string[], nsn: string): string | undefined {
	if (countries.length === 1) return countries[0];
	for (const country of countries) {
		const plan = planOf(country);
		if (plan.leadingDigits) {
			if (nsn.search(plan.leadingDigits) === 0) return country;
		} else if (numberType(nsn, plan) !== undefined) {
			return country;
		}
	}
	return undefined;
}

const INTERNATIONAL = /^\+[0-9 .()-]*$/;
const NATIONAL = /^[0-9(][0-9 .()-]*$/;
const NOT_DIGIT = /[^0-9]/g;
const callingCodes = new Map<string, readonly string[] | null>();

/**
 * The countries sharing a calling code, main country first; `null` for a non-geographic code
 * (`+800`...); `undefined` when no such code exists.
 */
function countriesFor(callingCode: string): readonly string[] | null | undefined {
	let countries = callingCodes.get(callingCode);
	if (countries === undefined) {
		if (!metadata.hasCallingCode(callingCode)) return undefined;
		countries = metadata.getCountryCodesForCallingCode(callingCode) ?? null;
		callingCodes.set(callingCode, countries);
	}
	return countries;
}

/**
 * The number as libphonenumber-js would parse it, when it is valid and of a shape this module
 * handles; `undefined` otherwise (the caller then asks the library).
 * @param text trimmed cell text (`tel:` and a leading `00` already turned into `+`)
 * @param defaultCountry a supported country code, or undefined
 */
export function fastPhone(text: string, defaultCountry: string | undefined): FastPhone | undefined {
	if (INTERNATIONAL.test(text)) return international(text.replace(NOT_DIGIT, ''));
	if (defaultCountry && NATIONAL.test(text)) {
		return national(text.replace(NOT_DIGIT, ''), defaultCountry);
	}
	return undefined;
}

function international(digits: string): FastPhone | undefined {
	if (digits.length === 0 || digits[0] === '0') return undefined;
	for (let i = 1; i <= MAX_CC && i < digits.length; i++) {
		const callingCode = digits.slice(0, i);
		const countries = countriesFor(callingCode);
		if (countries === undefined) continue;
		// A non-geographic code: the library's branch this module does not follow.
		if (countries === null) return undefined;
		const nsn = digits.slice(i);
		// The plan the library selects by calling code is the code's main country, listed first.
		if (planOf(countries[0]).nationalPrefix?.test(nsn)) return undefined;
		const country = exactCountry(countries, nsn);
		if (country === undefined) return undefined;
		return valid(callingCode, nsn, planOf(country));
	}
	return undefined;
}

function national(digits: string, defaultCountry: string): FastPhone | undefined {
	const plan = planOf(defaultCountry);
	if (plan.idd && digits.search(plan.idd) === 0) return undefined;
	if (digits.startsWith(plan.callingCode)) return undefined;
	if (plan.nationalPrefix?.test(digits)) return undefined;
	const countries = countriesFor(plan.callingCode);
	if (!countries) return undefined;
	const country = exactCountry(countries, digits) ?? defaultCountry;
	return valid(plan.callingCode, digits, planOf(country));
}

function valid(callingCode: string, nsn: string, plan: Plan): FastPhone | undefined {
	if (nsn.length < MIN_NSN || nsn.length > MAX_NSN) return undefined;
	const type = numberType(nsn, plan);
	const isValid = plan.hasTypes ? type !== undefined : plan.nationalPattern.test(nsn);
	if (!isValid) return undefined;
	return { e164: `+${callingCode}${nsn}`, country: plan.country, type };
}
