import { describe, expect, it } from 'vitest';
import { cleanText } from './text';

describe('cleanText', () => {
	it('trims and collapses inner whitespace', () => {
		expect(cleanText('  Ada \t  Lovelace\n ')).toBe('Ada Lovelace');
		expect(cleanText('Acme\u00a0\u00a0Inc')).toBe('Acme Inc');
		expect(cleanText('')).toBe('');
	});
});
