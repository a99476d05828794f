import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { cleanText, detachString } from './text';

describe('cleanText', () => {
	it('trims and collapses inner whitespace', () => {
		expect(cleanText('  Ada \t  Lovelace\n ')).toBe('Ada Lovelace');
		expect(cleanText('Acme\u00a0\u00a0Inc')).toBe('Acme Inc');
		expect(cleanText('')).toBe('');
	});
});

describe('cleanText fast check', () => {
	it('equals the plain replace-and-trim on any mix of spaces', () => {
		const unit = fc.constantFrom(
			'a',
			'b',
			' ',
			'  ',
			'\t',
			'\n',
			'\u00a0',
			'\u2009',
			'\u3000',
			'\ufeff',
			'é'
		);
		fc.assert(
			fc.property(fc.string({ unit, maxLength: 12 }), (value) => {
				const reference = value
					.replace(/[\s\u00a0\u2000-\u200b\u202f\u205f\u3000\ufeff]+/g, ' ')
					.trim();
				expect(cleanText(value)).toBe(reference);
			}),
			{ numRuns: 3000 }
		);
	});
});

describe('detachString', () => {
	it('returns the same text, whatever it holds', () => {
		fc.assert(fc.property(fc.string({ unit: 'grapheme' }), (s) => detachString(s) === s));
		const slice = 'x'.repeat(100_000).concat('ada.1013@example', 'y'.repeat(100_000));
		expect(detachString(slice.slice(100_000, 100_016))).toBe('ada.1013@example');
	});
});
