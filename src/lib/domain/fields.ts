/**
 * Standard and custom contact fields, and the mapping targets a CSV column can take.
 * Pure: no svelte, dexie, comlink or fetch.
 */
import { CUSTOM_FIELD_KEY_RE, FIELD_LIMITS } from '../protocol/field-limits';

// The protocol's rules, named here too because every field rule of the app starts from them.
export { CUSTOM_FIELD_KEY_RE, FIELD_LIMITS };

export const STANDARD_FIELDS = [
	'phone',
	'first_name',
	'last_name',
	'email',
	'company',
	'tags',
	'timezone',
	'owner'
] as const;

export type StandardField = (typeof STANDARD_FIELDS)[number];

export const STANDARD_FIELD_LABELS: Record<StandardField, string> = {
	phone: 'Phone',
	first_name: 'First name',
	last_name: 'Last name',
	email: 'Email',
	company: 'Company',
	tags: 'Tags',
	timezone: 'Timezone',
	owner: 'Owner'
};

/** A custom field target is `cf:<key>`. */
export type CustomTarget = `cf:${string}`;

/** What a column maps to: a field, `skip` (the user's explicit choice) or '' (not mapped). */
export type Target = StandardField | CustomTarget | 'skip' | '';

export interface CustomFieldDef {
	key: string;
	label: string;
	type: 'text';
	createdAt: number;
	/** The import that auto-created the field, if any. */
	createdByJob?: string;
}

/** @returns whether `value` names a standard field. */
export function isStandardField(value: string): value is StandardField {
	return (STANDARD_FIELDS as readonly string[]).includes(value);
}

const CUSTOM_PREFIX = 'cf:';

/** @returns the `cf:<key>` target of a custom field key. */
export function customTarget(key: string): CustomTarget {
	return `${CUSTOM_PREFIX}${key}`;
}

/** @returns the custom key of a `cf:<key>` target, or null for any other target. */
export function customKeyOf(target: string): string | null {
	return target.startsWith(CUSTOM_PREFIX) ? target.slice(CUSTOM_PREFIX.length) : null;
}

/**
 * Why a custom field key is not acceptable, or null when it is.
 * @param existing keys already defined (a new key must not clash)
 */
export function customKeyProblem(key: string, existing: Iterable<string> = []): string | null {
	if (key === '') return 'The key is empty.';
	if (!CUSTOM_FIELD_KEY_RE.test(key)) {
		return 'A key starts with a lower-case letter and has only a–z, 0–9 and _ (at most 63 characters).';
	}
	if (isStandardField(key)) return `“${key}” is a standard field.`;
	for (const k of existing) if (k === key) return `A custom field “${key}” already exists.`;
	return null;
}

/**
 * Slugs a column header into a custom field key (`Lead Source` → `lead_source`).
 * Diacritics are folded, anything else becomes `_`; a leading digit gets an `f_` prefix so the
 * key still starts with a letter. Returns null when nothing usable is left (e.g. `!!!`).
 */
export function slugifyKey(header: string): string | null {
	let slug = header
		.normalize('NFKD')
		.replace(/[\u0300-\u036f]/g, '')
		.toLowerCase()
		.replace(/[^a-z0-9]+/g, '_')
		.replace(/^_+|_+$/g, '');
	if (slug === '') return null;
	if (!/^[a-z]/.test(slug)) slug = `f_${slug}`;
	slug = slug.slice(0, 63).replace(/_+$/, '');
	return CUSTOM_FIELD_KEY_RE.test(slug) ? slug : null;
}

/**
 * A key derived from `header` that clashes with neither standard fields nor `taken`
 * (`notes`, `notes_2`, ...). Returns null when the header slugs to nothing.
 */
export function uniqueKeyFor(header: string, taken: Set<string>): string | null {
	const base = slugifyKey(header);
	if (base === null) return null;
	let key = base;
	for (let n = 2; taken.has(key) || isStandardField(key); n++) {
		const suffix = `_${n}`;
		key = base.slice(0, 63 - suffix.length) + suffix;
	}
	return key;
}

/** The label shown for a target in menus and messages. */
export function targetLabel(target: Target, customFields: readonly CustomFieldDef[] = []): string {
	if (target === '') return 'Not mapped';
	if (target === 'skip') return 'Skip';
	if (isStandardField(target)) return STANDARD_FIELD_LABELS[target];
	const key = customKeyOf(target);
	const def = customFields.find((f) => f.key === key);
	return def ? def.label : (key ?? target);
}
