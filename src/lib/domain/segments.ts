/**
 * Segments: saved filters over standard and custom fields (the Segments page). A segment is an OR of groups,
 * each group an AND of conditions. Matching is case-insensitive. Definitions are validated with zod;
 * a condition on a custom field that no longer exists is reported, not crashed on.
 */
import { z } from 'zod';

// No eval-compiled validators: the app runs under a CSP without 'unsafe-eval'.
z.config({ jitless: true });
import { CUSTOM_FIELD_KEY_RE, customKeyOf, STANDARD_FIELDS, type CustomFieldDef } from './fields';
import { parseWindow, type CallingHours } from './calling-hours';

/**
 * Fields a segment can test beyond the mapping targets: derived from the contact, never imported.
 * `phone_type` is the phone's kind (`mobile`, `landline`, `voip`, `toll_free`, `unknown`).
 */
export const DERIVED_FIELDS = ['phone_type', 'callable_now', 'local_time', 'do_not_call'] as const;
export type DerivedField = (typeof DERIVED_FIELDS)[number];

/**
 * Fields whose matches move with the clock: `callable_now` (the contact's local time inside the
 * workspace's calling hours, and not on the do-not-call list) and `local_time` (`between`
 * `HH:MM-HH:MM`, the contact's wall clock). A contact without a known zone matches neither.
 */
export const CLOCK_FIELDS: readonly string[] = ['callable_now', 'local_time'];

/** Fields answered `yes` or `no` (Operator `equals` or `not_equals`). */
export const YES_NO_FIELDS: readonly string[] = ['callable_now', 'do_not_call'];

/** The clock a segment with clock fields is counted at. */
export interface SegmentClock {
	now: number;
	hours: CallingHours;
}

export const OPERATORS = [
	'equals',
	'not_equals',
	'contains',
	'starts_with',
	'is_empty',
	'is_not_empty',
	'has_tag',
	'between'
] as const;
export type Operator = (typeof OPERATORS)[number];

export const OPERATOR_LABELS: Record<Operator, string> = {
	equals: 'equals',
	not_equals: 'does not equal',
	contains: 'contains',
	starts_with: 'starts with',
	is_empty: 'is empty',
	is_not_empty: 'is not empty',
	has_tag: 'has tag',
	between: 'is between'
};

/** The operators a field takes. */
export function operatorsFor(field: string): readonly Operator[] {
	if (field === 'local_time') return ['between'];
	if (YES_NO_FIELDS.includes(field)) return ['equals', 'not_equals'];
	return OPERATORS.filter((op) => op !== 'between');
}

/** What keeps a condition from being counted (worded for people in `field-labels.ts`). */
export type ConditionIssue = 'operator' | 'window' | 'yes_no';

type ConditionParts = { field: string; operator: Operator; value: string };

/** What keeps a condition from being counted, or null when it can be. */
export function conditionIssue(c: ConditionParts): ConditionIssue | null {
	if (!operatorsFor(c.field).includes(c.operator)) return 'operator';
	if (c.field === 'local_time' && !parseWindow(c.value)) return 'window';
	if (YES_NO_FIELDS.includes(c.field) && !['yes', 'no'].includes(c.value.trim().toLowerCase()))
		return 'yes_no';
	return null;
}

/** Why a condition cannot be counted, or null when it can (in English: a stored definition's check). */
export function conditionProblem(c: ConditionParts): string | null {
	switch (conditionIssue(c)) {
		case 'operator':
			return `“${OPERATOR_LABELS[c.operator]}” does not apply to ${c.field}.`;
		case 'window':
			return 'Write the local time as a window, e.g. 09:00-17:00.';
		case 'yes_no':
			return `${c.field} is yes or no.`;
		case null:
			return null;
	}
}

/** Whether a segment's count depends on the clock (and must be counted again as it moves). */
export function usesClock(def: SegmentDefinition): boolean {
	return def.groups.some((g) => g.some((c) => CLOCK_FIELDS.includes(c.field)));
}

/** Operators that take no value. */
export const VALUELESS: readonly Operator[] = ['is_empty', 'is_not_empty'];

const fieldSchema = z.union([
	z.enum(STANDARD_FIELDS),
	z.enum(DERIVED_FIELDS),
	z.string().refine((field) => CUSTOM_FIELD_KEY_RE.test(customKeyOf(field) ?? ''))
]);

export const conditionSchema = z
	.object({
		field: fieldSchema,
		operator: z.enum(OPERATORS),
		value: z.string().max(500).default('')
	})
	.refine((c) => conditionProblem(c) === null, {
		error: (issue) =>
			conditionProblem(issue.input as Parameters<typeof conditionProblem>[0]) ?? 'invalid condition'
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
