import { describe, expect, it } from 'vitest';
import examples from 'libphonenumber-js/examples.mobile.json';
import { getCountries, getCountryCallingCode, type CountryCode } from 'libphonenumber-js/max';
import { fastPhone } from './phone-fast';
import { normalizePhone, libraryPhone } from './phone';
import { seededRandom } from '$support/seeded-random';

// Seeded: the corpus is the same on every run.
const random = seededRandom(20261127);
const int = (n: number) => Math.floor(random() * n);
const pick = <T>(xs: readonly T[]): T => xs[int(xs.length)];
const digits = (n: number) => Array.from({ length: n }, () => String(int(10))).join('');
const COUNTRIES = getCountries();
const DEFAULTS: (string | undefined)[] = [
	'US',
	'GB',
	'DE',
	'FR',
	'IN',
	'CA',
	'JM',
	'AU',
	undefined
];

/** Writes digits the ways people and spreadsheets do. */
function shapes(nsn: string): string[] {
	const a = nsn.slice(0, 3);
	const b = nsn.slice(3, 6);
	const c = nsn.slice(6);
	return [nsn, `(${a}) ${b}-${c}`, `${a}-${b}-${c}`, `${a}.${b}.${c}`, `${a} ${b} ${c}`];
}

/** Mutates a national number: new tail, a changed digit, a digit more or less. */
function mutate(nsn: string): string {
	switch (int(4)) {
		case 0: {
			const keep = int(nsn.length + 1);
			return nsn.slice(0, keep) + digits(nsn.length - keep);
		}
		case 1: {
			const i = int(nsn.length);
			return nsn.slice(0, i) + String(int(10)) + nsn.slice(i + 1);
		}
		case 2:
			return nsn + String(int(10));
		default:
			return nsn.slice(0, -1);
	}
}

function corpus(): [string, string | undefined][] {
	const out: [string, string | undefined][] = [];
	const mobile = examples as Record<string, string>;
	for (let round = 0; round < 40; round++) {
		for (const country of COUNTRIES) {
			const example = mobile[country];
			if (!example) continue;
			const cc = getCountryCallingCode(country as CountryCode);
			const nsn = round === 0 ? example : mutate(example);
			const shape = pick(shapes(nsn));
			out.push([`+${cc}${nsn}`, pick(DEFAULTS)]);
			out.push([`+${cc} ${shape}`, pick(DEFAULTS)]);
			out.push([`00${cc} ${shape}`, pick(DEFAULTS)]);
			out.push([shape, country]);
			out.push([`0${shape}`, country]);
			out.push([shape, pick(DEFAULTS)]);
		}
	}
	// North American numbers over the whole space, in every common shape and default country.
	for (let i = 0; i < 40_000; i++) {
		const nsn = digits(10);
		const country = pick(['US', 'CA', 'JM', 'PR', 'DO', 'GB', undefined]);
		const shape = pick(shapes(nsn));
		out.push([pick([shape, `+1 ${shape}`, `1-${shape}`, `+1${nsn}`, `1${nsn}`]), country]);
	}
	// Anything at all over the accepted characters and some that are not.
	for (let i = 0; i < 10_000; i++) {
		const text = Array.from({ length: 1 + int(18) }, () => pick([...'0123456789  -.()+x#'])).join(
			''
		);
		out.push([text, pick(DEFAULTS)]);
	}
	return out;
}

describe('fastPhone', () => {
	it('answers exactly as libphonenumber-js on a large generated corpus', () => {
		const cases = corpus();
		let fast = 0;
		let valid = 0;
		const mismatches: string[] = [];
		for (const [raw, country] of cases) {
			const reference = libraryPhone(raw, country);
			const result = normalizePhone(raw, country);
			if (reference.ok) valid++;
			if (fastPhone(raw.trim(), country)) fast++;
			if (JSON.stringify(result) !== JSON.stringify(reference) && mismatches.length < 10) {
				mismatches.push(
					`${raw} (${country}): ${JSON.stringify(result)} ≠ ${JSON.stringify(reference)}`
				);
			}
		}
		expect(mismatches).toEqual([]);
		// The proof is only worth something if the fast path really answered much of the corpus.
		expect(cases.length).toBeGreaterThan(100_000);
		expect(valid).toBeGreaterThan(cases.length / 4);
		expect(fast).toBeGreaterThan(valid / 2);
		// ~110,000 reference parses: seconds on a loaded 2-core machine.
	}, 120_000);

	it('declines shapes whose parsing it does not replicate', () => {
		expect(fastPhone('1 212 555 0123', 'US')).toBeUndefined();
		expect(fastPhone('030 1234567', 'DE')).toBeUndefined();
		expect(fastPhone('011 44 20 7946 0958', 'US')).toBeUndefined();
		expect(fastPhone('+800 1234 5678', 'US')).toBeUndefined();
		expect(fastPhone('212 555 0123 x12', 'US')).toBeUndefined();
		expect(fastPhone('+1 555 555 5555', 'US')).toBeUndefined();
	});

	it('answers common valid shapes itself', () => {
		expect(fastPhone('(212) 555-0123', 'US')).toMatchObject({ e164: '+12125550123' });
		expect(fastPhone('+44 20 7946 0958', 'US')).toMatchObject({
			e164: '+442079460958',
			country: 'GB'
		});
		expect(fastPhone('876 555 0123', 'US')).toMatchObject({ country: 'JM' });
	});
});
