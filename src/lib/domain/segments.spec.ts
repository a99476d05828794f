import { describe, expect, it } from 'vitest';
import { newContact } from './contact';
import { matchesCondition, matchesSegment } from '$support/reference-answers';
import { missingFields, segmentDefinitionSchema, type Condition } from './segments';

const ada = newContact(
	'+14155550101',
	{
		firstName: 'Ada',
		lastName: 'King',
		email: 'ada@acme.io',
		company: 'Acme',
		tags: ['VIP', 'west'],
		custom: { region: 'West Coast' }
	},
	0
);
const bob = newContact('+14155550102', { firstName: 'Bob', tags: [] }, 0);
const c = (field: string, operator: Condition['operator'], value = ''): Condition =>
	({ field, operator, value }) as Condition;

describe('matchesCondition', () => {
	it.each([
		[c('first_name', 'equals', 'ada'), true, false],
		[c('first_name', 'not_equals', 'ada'), false, true],
		[c('company', 'contains', 'CM'), true, false],
		[c('email', 'starts_with', 'ADA@'), true, false],
		[c('last_name', 'is_empty'), false, true],
		[c('last_name', 'is_not_empty'), true, false],
		[c('tags', 'has_tag', 'vip'), true, false],
		[c('tags', 'contains', 'es'), true, false],
		[c('tags', 'is_empty'), false, true],
		[c('cf:region', 'starts_with', 'west'), true, false],
		[c('cf:region', 'is_empty'), false, true],
		[c('phone', 'starts_with', '+1415'), true, true],
		[c('timezone', 'is_empty'), true, true]
	])('%j → Ada %s, Bob %s', (cond, forAda, forBob) => {
		expect(matchesCondition(ada, cond)).toBe(forAda);
		expect(matchesCondition(bob, cond)).toBe(forBob);
	});

	it('does not read inherited members for a custom key like constructor', () => {
		expect(matchesCondition(bob, c('cf:constructor', 'is_empty'))).toBe(true);
	});
});

describe('matchesSegment', () => {
	it('ANDs conditions in a group and ORs groups', () => {
		const def = {
			groups: [
				[c('tags', 'has_tag', 'vip'), c('first_name', 'equals', 'bob')],
				[c('first_name', 'starts_with', 'b')]
			]
		};
		expect(matchesSegment(ada, def)).toBe(false);
		expect(matchesSegment(bob, def)).toBe(true);
	});
});

describe('the phone_type field', () => {
	const mobile = newContact('+447400123456', {}, 0);
	it.each([
		[c('phone_type', 'equals', 'mobile'), true, false],
		[c('phone_type', 'equals', 'Mobile'), true, false],
		[c('phone_type', 'not_equals', 'mobile'), false, true],
		[c('phone_type', 'equals', 'unknown'), false, true],
		[c('phone_type', 'is_empty'), false, false]
	])('%j: UK mobile %s, US number %s', (cond, forMobile, forUs) => {
		expect(matchesCondition(mobile, cond)).toBe(forMobile);
		expect(matchesCondition(bob, cond)).toBe(forUs);
	});

	it('is a field a segment may name', () => {
		const def = { groups: [[c('phone_type', 'equals', 'mobile')]] };
		expect(segmentDefinitionSchema.safeParse(def).success).toBe(true);
	});
});

describe('segment definitions', () => {
	it('validate with zod', () => {
		expect(
			segmentDefinitionSchema.safeParse({ groups: [[c('cf:region', 'equals', 'x')]] }).success
		).toBe(true);
		expect(
			segmentDefinitionSchema.safeParse({ groups: [[c('nope', 'equals', 'x')]] }).success
		).toBe(false);
		for (const field of ['cf:', 'cf:Region', 'cf:_x', 'xcf:region'])
			expect(
				segmentDefinitionSchema.safeParse({ groups: [[c(field, 'equals', 'x')]] }).success
			).toBe(false);
		expect(
			segmentDefinitionSchema.safeParse({
				groups: [[{ field: 'email', operator: 'like', value: '' }]]
			}).success
		).toBe(false);
		expect(segmentDefinitionSchema.safeParse({ groups: [] }).success).toBe(false);
	});
	it('report custom fields that no longer exist', () => {
		const def = { groups: [[c('cf:region', 'equals', 'x'), c('cf:gone', 'is_empty')]] };
		expect(
			missingFields(def, [{ key: 'region', label: 'Region', type: 'text', createdAt: 0 }])
		).toEqual(['gone']);
	});
});
