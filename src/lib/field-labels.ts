/**
 * Fields, segment operators, phone kinds, mapping blockers and Review's fixes as the UI names
 * them, in the app's language (in English, the names the tests drive). The domain keeps keys and
 * structured facts; the words are chosen here, where the language is known.
 */
import {
	customKeyOf,
	isStandardField,
	type CustomFieldDef,
	type StandardField,
	type Target
} from '$lib/domain/fields';
import type { Fix } from '$lib/domain/fixes';
import type { MappingBlocker } from '$lib/domain/mapping';
import type { PhoneKind } from '$lib/domain/phone-kind';
import type { ConditionIssue, DerivedField, Operator } from '$lib/domain/segments';
import { m } from '$lib/paraglide/messages';

const STANDARD: Record<StandardField, () => string> = {
	phone: m.field_phone,
	first_name: m.field_first_name,
	last_name: m.field_last_name,
	email: m.field_email,
	company: m.field_company,
	tags: m.field_tags,
	timezone: m.field_timezone,
	owner: m.field_owner
};

export const standardFieldLabel = (field: StandardField): string => STANDARD[field]();

const DERIVED: Record<DerivedField, () => string> = {
	phone_type: m.field_phone_type,
	callable_now: m.field_callable_now,
	local_time: m.field_local_time,
	do_not_call: m.field_do_not_call
};

export const derivedFieldLabel = (field: DerivedField): string => DERIVED[field]();

const OPERATORS: Record<Operator, () => string> = {
	equals: m.operator_equals,
	not_equals: m.operator_not_equals,
	contains: m.operator_contains,
	starts_with: m.operator_starts_with,
	is_empty: m.operator_is_empty,
	is_not_empty: m.operator_is_not_empty,
	has_tag: m.operator_has_tag,
	between: m.operator_between
};

export const operatorLabel = (op: Operator): string => OPERATORS[op]();

const KINDS: Record<PhoneKind, () => string> = {
	mobile: m.kind_mobile,
	landline: m.kind_landline,
	voip: m.kind_voip,
	toll_free: m.kind_toll_free,
	unknown: m.kind_unknown
};

/** A phone's kind as a value ("Mobile"), on a contact and in a segment's menu. */
export const phoneKindLabel = (kind: PhoneKind): string => KINDS[kind]();

const KIND_COUNTS: Record<PhoneKind, () => string> = {
	mobile: m.kinds_mobile,
	landline: m.kinds_landline,
	voip: m.kinds_voip,
	toll_free: m.kinds_toll_free,
	unknown: m.kinds_unknown
};

/** A phone kind after a count ("3 mobile"): its own word, since only some languages lower-case it. */
export const phoneKindCountLabel = (kind: PhoneKind): string => KIND_COUNTS[kind]();

/** The label of a mapping target in menus and messages. */
export function targetLabel(target: Target, customFields: readonly CustomFieldDef[] = []): string {
	if (target === '') return m.target_not_mapped();
	if (target === 'skip') return m.review_skip();
	if (isStandardField(target)) return standardFieldLabel(target);
	const key = customKeyOf(target);
	const def = customFields.find((f) => f.key === key);
	return def ? def.label : (key ?? target);
}

/** Text in the language's quotation marks: “Phone”, «Teléfono», „Telefon“. */
export const quoted = (text: string): string => m.quoted({ text });

/** “A”, “B” and “C”. */
function quotedList(items: readonly string[]): string {
	const names = items.map(quoted);
	if (names.length < 2) return names.join('');
	return m.list_and({ rest: names.slice(0, -1).join(', '), last: names[names.length - 1] });
}

/** Why the mapping cannot go on, for the Map step. */
export function blockerMessage(b: MappingBlocker, customFields: readonly CustomFieldDef[]): string {
	switch (b.kind) {
		case 'duplicate_target':
			return m.blocker_duplicate({
				columns: quotedList(b.columns),
				target: targetLabel(b.target ?? '', customFields)
			});
		case 'unknown_custom_field':
			return m.blocker_unknown_field({
				key: customKeyOf(b.target ?? '') ?? '',
				columns: b.columns.map(quoted).join(', ')
			});
		case 'no_phone':
			return m.blocker_no_phone();
	}
}

/** Why a segment's condition cannot be counted. */
export function conditionIssueLabel(
	issue: ConditionIssue,
	c: { field: string; operator: Operator }
): string {
	switch (issue) {
		case 'operator':
			return m.condition_operator({ operator: quoted(operatorLabel(c.operator)), field: c.field });
		case 'window':
			return m.condition_window();
		case 'yes_no':
			return m.condition_yes_no({ field: c.field });
	}
}

/** One line of Review's fix history: "Row 10, “Phone” set to “+1”". */
export function describeFix(fix: Fix, headers: readonly string[]): string {
	const column =
		'column' in fix ? quoted(headers[fix.column] ?? m.column_n({ n: fix.column + 1 })) : '';
	switch (fix.kind) {
		case 'cell':
			return m.fix_cell({ row: fix.row, column, value: quoted(fix.value) });
		case 'skip':
			return m.fix_skip({ row: fix.row });
		case 'replace':
			return m.fix_replace({ column, find: quoted(fix.find), replace: quoted(fix.replace) });
		case 'trim':
			return m.fix_trim({ column });
		case 'fill_empty':
			return m.fix_fill_empty({ column, value: quoted(fix.value) });
		case 'country':
			return m.fix_country({ column, country: fix.country });
		case 'values': {
			const pairs = fix.map
				.slice(0, 3)
				.map(([from, to]) => `${quoted(from)} → ${quoted(to)}`)
				.join(', ');
			return fix.map.length > 3
				? m.fix_values_more({ column, pairs, count: fix.map.length - 3 })
				: m.fix_values({ column, pairs });
		}
	}
}
