import { describe, expect, it } from 'vitest';
import { FIELD_LIMITS } from './fields';
import {
	applyFieldRule,
	checkEdit,
	editRefusal,
	FIELD_RULES,
	importReason,
	MAX_TAGS,
	type ContactEditText
} from './field-rules';

const edit = (over: Partial<ContactEditText> = {}): ContactEditText => ({
	phone: '+14155550101',
	firstName: ' Ada ',
	lastName: 'King',
	email: ' ada@ACME.io ',
	company: 'Acme   Inc',
	tags: 'vip; west',
	timezone: 'US/Eastern',
	custom: { region: ' West  Coast ' },
	...over
});

describe('applyFieldRule', () => {
	it('cleans a passing value and returns it as a string', () => {
		expect(applyFieldRule('first_name', '  Ada   Lovelace ')).toBe('Ada Lovelace');
		expect(applyFieldRule('email', ' ada@ACME.io ')).toBe('ada@acme.io');
		expect(applyFieldRule('custom', '')).toBe('');
	});

	it('refuses a value one character over its limit, and keeps one at the limit', () => {
		for (const [field, rule] of Object.entries(FIELD_RULES)) {
			if (field === 'email') continue;
			const f = field as keyof typeof FIELD_RULES;
			expect(applyFieldRule(f, 'x'.repeat(rule.limit))).toBe('x'.repeat(rule.limit));
			expect(applyFieldRule(f, 'x'.repeat(rule.limit + 1))).toEqual({
				kind: 'too_long',
				length: rule.limit + 1,
				limit: rule.limit,
				value: 'x'.repeat(rule.limit + 1)
			});
		}
	});

	it('says why an email is not one', () => {
		const problem = applyFieldRule('email', 'not-an-email');
		expect(problem).toMatchObject({ kind: 'invalid_email' });
		expect(typeof problem !== 'string' && importReason(problem)).toMatch(/email/i);
	});

	it('words a problem for the import and for an edit from the same figures', () => {
		const problem = applyFieldRule('company', 'x'.repeat(FIELD_LIMITS.company + 1));
		if (typeof problem === 'string') throw new Error('expected a problem');
		expect(importReason(problem)).toBe(
			'501 characters; the backend keeps at most 500, so the value was left out'
		);
		expect(editRefusal('Company', problem)).toBe('Company: 501 characters; at most 500.');
	});
});

describe('checkEdit', () => {
	it('gives the edit the import’s clean values', () => {
		expect(checkEdit(edit(), 'US')).toEqual({
			ok: true,
			phone: '+14155550101',
			fields: {
				firstName: 'Ada',
				lastName: 'King',
				company: 'Acme Inc',
				email: 'ada@acme.io',
				timezone: 'America/New_York',
				owner: '',
				tags: ['vip', 'west'],
				custom: { region: 'West Coast' }
			}
		});
	});

	it('refuses with the field named: phone, time zone, email, a custom value, tags, a name', () => {
		const refusal = (over: Partial<ContactEditText>) => {
			const checked = checkEdit(edit(over), 'US');
			return checked.ok ? null : checked.message;
		};
		expect(refusal({ phone: '12' })).toMatch(/^Phone: /);
		expect(refusal({ timezone: 'Mars/Base' })).toMatch(/^Timezone: /);
		expect(refusal({ email: 'nope' })).toMatch(/^Email: /);
		expect(refusal({ custom: { region: 'x'.repeat(10_001) } })).toBe(
			'region: 10,001 characters; at most 10,000.'
		);
		expect(refusal({ tags: 'x'.repeat(201) })).toBe('Tags: 201 characters; at most 200.');
		const many = Array.from({ length: MAX_TAGS + 1 }, (_, i) => `t${i}`).join(',');
		expect(refusal({ tags: many })).toBe(`Tags: ${MAX_TAGS + 1} tags; at most ${MAX_TAGS}.`);
		expect(refusal({ lastName: 'x'.repeat(501) })).toBe('Last name: 501 characters; at most 500.');
	});
});
