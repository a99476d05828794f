/**
 * Segments: saved filters over standard and custom fields (the Segments page). A segment is an OR of groups,
 * each group an AND of conditions. Matching is case-insensitive. Definitions are validated with zod;
 * a condition on a custom field that no longer exists is reported, not crashed on.
 */
import { z } from 'zod';

// No eval-compiled validators: the app runs under a CSP without 'unsafe-eval'.
z.config({ jitless: true });
import { customValue, type Contact } from './contact';
import { CUSTOM_FIELD_KEY_RE, customKeyOf, STANDARD_FIELDS, type CustomFieldDef } from './fields';
import { phoneKindOf } from './phone-kind';

/**
 * Fields a segment can test beyond the mapping targets: derived from the contact, never imported.
 * `phone_type` is the phone's kind (`mobile`, `landline`, `voip`, `toll_free`, `unknown`).
 */
export const DERIVED_FIELDS = ['phone_type'] as const;
export const DERIVED_FIELD_LABELS: Record<(typeof DERIVED_FIELDS)[number], string> = {
	phone_type: 'Phone type'
};

export const OPERATORS = [
	'equals',
	'not_equals',
	'contains',
	'starts_with',
	'is_empty',
	'is_not_empty',
	'has_tag'
] as const;
export type Operator = (typeof OPERATORS)[number];

export const OPERATOR_LABELS: Record<Operator, string> = {
	equals: 'equals',
	not_equals: 'does not equal',
	contains: 'contains',
	starts_with: 'starts with',
	is_empty: 'is empty',
	is_not_empty: 'is not empty',
	has_tag: 'has tag'
};

/** Operators that take no value. */
export const VALUELESS: readonly Operator[] = ['is_empty', 'is_not_empty'];

const fieldSchema = z.union([
	z.enum(STANDARD_FIELDS),
	z.enum(DERIVED_FIELDS),
	z.string().refine((field) => CUSTOM_FIELD_KEY_RE.test(customKeyOf(field) ?? ''))
]);

export const conditionSchema = z.object({
	field: fieldSchema,
	operator: z.enum(OPERATORS),
	value: z.string().max(500).default('')
});
export type Condition = z.infer<typeof conditionSchema>;

export const segmentDefinitionSchema = z.object({
	/** OR of groups; each group is an AND of conditions. */
	groups: z.array(z.array(conditionSchema).min(1).max(50)).min(1).max(20)
});
export type SegmentDefinition = z.infer<typeof segmentDefinitionSchema>;

export interface Segment extends SegmentDefinition {
	id: string;
	name: string;
	createdAt: number;
	updatedAt: number;
}

const SCALAR_OF: Record<string, keyof Contact> = {
	phone: 'phone',
	first_name: 'firstName',
	last_name: 'lastName',
	email: 'email',
	company: 'company',
	timezone: 'timezone'
};

/** The values a condition looks at: one string, or the tags. */
function valuesOf(contact: Contact, field: string): readonly string[] {
	if (field === 'tags') return contact.tags ?? [];
	if (field === 'phone_type') return [phoneKindOf(contact.phone)];
	const key = customKeyOf(field);
	if (key !== null) {
		const v = customValue(contact, key);
		return v ? [v] : [];
	}
	const v = contact[SCALAR_OF[field]];
	return typeof v === 'string' && v !== '' ? [v] : [];
}

/** Whether one condition holds for a contact. */
export function matchesCondition(contact: Contact, c: Condition): boolean {
	const values = valuesOf(contact, c.field).map((v) => v.toLowerCase());
	const q = c.value.trim().toLowerCase();
	switch (c.operator) {
		case 'is_empty':
			return values.length === 0;
		case 'is_not_empty':
			return values.length > 0;
		case 'equals':
			return values.some((v) => v === q);
		case 'not_equals':
			return !values.some((v) => v === q);
		case 'contains':
			return values.some((v) => v.includes(q));
		case 'starts_with':
			return values.some((v) => v.startsWith(q));
		case 'has_tag':
			return (contact.tags ?? []).some((t) => t.toLowerCase() === q);
	}
}

/** Whether a contact is in the segment (any group whose conditions all hold). */
export function matchesSegment(contact: Contact, def: SegmentDefinition): boolean {
	return def.groups.some((group) => group.every((c) => matchesCondition(contact, c)));
}

/** Conditions that name custom fields missing from the schema (the segment needs attention). */
export function missingFields(def: SegmentDefinition, fields: readonly CustomFieldDef[]): string[] {
	const keys = new Set(fields.map((f) => f.key));
	const missing = new Set<string>();
	for (const group of def.groups) {
		for (const c of group) {
			const key = customKeyOf(c.field);
			if (key !== null && !keys.has(key)) missing.add(key);
		}
	}
	return [...missing];
}
