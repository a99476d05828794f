import { describe, expect, it } from 'vitest';
import {
	customKeyOf,
	customKeyProblem,
	customTarget,
	slugifyKey,
	targetLabel,
	uniqueKeyFor
} from './fields';

describe('slugifyKey', () => {
	it.each([
		['Lead Source', 'lead_source'],
		['  Café  Owner ', 'cafe_owner'],
		['2nd Phone', 'f_2nd_phone'],
		['__proto__', 'proto'],
		['Notes:', 'notes'],
		['!!!', null],
		['', null]
	])('%s → %s', (header, key) => {
		expect(slugifyKey(header)).toBe(key);
	});

	it('keeps keys within 63 characters', () => {
		const key = slugifyKey('x'.repeat(200));
		expect(key).toHaveLength(63);
	});
});

describe('customTarget and customKeyOf', () => {
	it('build and read back a custom target', () => {
		expect(customTarget('region')).toBe('cf:region');
		expect(customKeyOf(customTarget('lead_source'))).toBe('lead_source');
	});
	it.each(['phone', 'skip', '', 'region'])('reads no key from %j', (target) => {
		expect(customKeyOf(target)).toBeNull();
	});
});

describe('uniqueKeyFor', () => {
	it('adds a suffix when the key is taken or a standard field', () => {
		expect(uniqueKeyFor('Notes', new Set(['notes']))).toBe('notes_2');
		expect(uniqueKeyFor('Notes', new Set(['notes', 'notes_2']))).toBe('notes_3');
		expect(uniqueKeyFor('Phone', new Set())).toBe('phone_2');
	});
});

describe('customKeyProblem', () => {
	it('accepts a valid new key', () => {
		expect(customKeyProblem('lead_source', ['region'])).toBeNull();
	});
	it.each(['', 'Lead', '1abc', '_x', 'a-b', 'a'.repeat(64), '__proto__'])('rejects %j', (key) => {
		expect(customKeyProblem(key)).not.toBeNull();
	});
	it('rejects standard fields and existing keys', () => {
		expect(customKeyProblem('email')).toMatch(/standard field/);
		expect(customKeyProblem('region', ['region'])).toMatch(/already exists/);
	});
});

describe('targetLabel', () => {
	it('names targets for people', () => {
		expect(targetLabel('')).toBe('Not mapped');
		expect(targetLabel('first_name')).toBe('First name');
		expect(
			targetLabel('cf:region', [
				{ key: 'region', label: 'Sales region', type: 'text', createdAt: 0 }
			])
		).toBe('Sales region');
	});
});
