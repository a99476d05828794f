/**
 * Segments: saved filters over standard and custom fields (the Segments page). A segment is an OR of groups,
 * each group an AND of conditions. Matching is case-insensitive. Definitions are validated with zod;
 * a condition on a custom field that no longer exists is reported, not crashed on.
 */
import { z } from 'zod';

// No eval-compiled validators: the app runs under a CSP without 'unsafe-eval'.
z.config({ jitless: true });
import { CUSTOM_FIELD_KEY_RE, customKeyOf, STANDARD_FIELDS, type CustomFieldDef } from './fields';

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
