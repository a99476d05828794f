/**
 * Mapping memory: a mapping is stored by header name, so it can be applied to another file with
 * the same (or some of the same) columns. Headers match after normalisation (case, accents,
 * punctuation), and the same set of headers in any order has the same signature.
 */
import { customKeyOf, type CustomFieldDef, type Target } from './fields';
import { normalizeHeader } from './suggest';

/** Pairs of header and target; pairs rather than an object so no header can touch a prototype. */
export type MappingByHeader = [header: string, target: Target][];

/** The signature of a header set (order-insensitive). */
export function headerSignature(headers: readonly string[]): string {
	return headers.map(normalizeHeader).sort().join('\u001f');
}

/** The mapping as header/target pairs. */
export function mappingByHeader(
	headers: readonly string[],
	mapping: readonly Target[]
): MappingByHeader {
	return headers.map((h, i) => [h, mapping[i] ?? '']);
}

export interface AppliedMapping {
	mapping: Target[];
	/** Saved columns (with a target) that this file does not have. */
	missing: string[];
}

/**
 * Applies saved pairs to `headers`. A target whose custom field no longer exists, or that an
 * earlier column already took, is left not mapped; columns the saved mapping does not know keep
 * `fallback` (the suggestion) unless that target is taken.
 */
export function applySavedMapping(
	headers: readonly string[],
	saved: MappingByHeader,
	customFields: readonly CustomFieldDef[],
	fallback: readonly Target[] = []
): AppliedMapping {
	const byName = new Map<string, Target>();
	for (const [h, t] of saved) byName.set(normalizeHeader(h), t);
	const keys = new Set(customFields.map((f) => f.key));
	const usable = (t: Target) => {
		const key = customKeyOf(t);
		return key === null || keys.has(key);
	};
	const names = new Set(headers.map(normalizeHeader));
	const taken = new Set<Target>();
	const fromSaved = headers.map((h) => {
		const t = byName.get(normalizeHeader(h));
		if (t === undefined || !usable(t)) return undefined;
		if (t !== '' && t !== 'skip') taken.add(t);
		return t;
	});
	const mapping = fromSaved.map((t, i): Target => {
		if (t !== undefined) return t;
		const f = fallback[i] ?? '';
		if (f === '' || f === 'skip' || taken.has(f)) return f === 'skip' ? 'skip' : '';
		taken.add(f);
		return f;
	});
	const missing = saved
		.filter(([h, t]) => t !== '' && !names.has(normalizeHeader(h)))
		.map(([h]) => h);
	return { mapping, missing };
}

/** The last mapping used for a header set (mapping memory). */
export interface RememberedMapping {
	signature: string;
	pairs: MappingByHeader;
	/** The value mappings applied to these columns, by header (absent before they were kept). */
	values?: ValuesByHeader;
	updatedAt: number;
}

/** What each value of a column was mapped to, by the column's header. */
export type ValuesByHeader = Record<string, [string, string][]>;

/** The value mappings among `fixes`, by the header of their column. */
export function valuesByHeader(
	headers: readonly string[],
	fixes: readonly { kind: string; column?: number; map?: [string, string][] }[]
): ValuesByHeader {
	const out: ValuesByHeader = {};
	for (const fix of fixes) {
		if (fix.kind !== 'values' || fix.column === undefined || !fix.map) continue;
		const header = headers[fix.column];
		if (header !== undefined) out[header] = fix.map.map(([from, to]) => [from, to]);
	}
	return out;
}

/** A mapping saved under a name by the user. */
export interface SavedMapping {
	name: string;
	pairs: MappingByHeader;
	createdAt: number;
}
