/**
 * Fixes made in Review, stored as a patch over the original file (never by rewriting it): column
 * rules (find and replace, trim, fill empty cells, default country for phone numbers), cell edits
 * and deliberate row skips. The import applies the same patch as it streams, so what the review
 * showed is what gets imported. Order: column rules in the order they were added, then cell edits
 * (the latest edit of a cell wins), then skips.
 */
import { z } from 'zod';
import { normalizePhone } from './phone';
import { mapCell, MAX_DISTINCT } from './value-map';

z.config({ jitless: true });

export const fixSchema = z.discriminatedUnion('kind', [
	z.object({
		kind: z.literal('cell'),
		row: z.number().int().positive(),
		column: z.number().int().nonnegative(),
		value: z.string()
	}),
	z.object({ kind: z.literal('skip'), row: z.number().int().positive() }),
	z.object({
		kind: z.literal('replace'),
		column: z.number().int().nonnegative(),
		find: z.string().min(1),
		replace: z.string()
	}),
	z.object({ kind: z.literal('trim'), column: z.number().int().nonnegative() }),
	z.object({
		kind: z.literal('fill_empty'),
		column: z.number().int().nonnegative(),
		value: z.string()
	}),
	z.object({
		kind: z.literal('country'),
		column: z.number().int().nonnegative(),
		country: z.string().length(2)
	}),
	// Value mapping (value-map.ts): each listed value of the column becomes its canonical one; in
	// a tags column each tag of a cell is mapped on its own.
	z.object({
		kind: z.literal('values'),
		column: z.number().int().nonnegative(),
		tags: z.boolean(),
		map: z
			.array(z.tuple([z.string().min(1), z.string()]))
			.min(1)
			.max(MAX_DISTINCT)
	})
]);

export type Fix = z.infer<typeof fixSchema>;
export type ColumnRule = Extract<
	Fix,
	{ kind: 'replace' | 'trim' | 'fill_empty' | 'country' | 'values' }
>;

/** Each value rule's lookup, built once (a rule is applied to every row of the file). */
const lookups = new WeakMap<object, Map<string, string>>();
function lookup(rule: Extract<Fix, { kind: 'values' }>): Map<string, string> {
	let map = lookups.get(rule);
	if (!map) {
		map = new Map(rule.map);
		lookups.set(rule, map);
	}
	return map;
}

/** One column rule applied to one cell. */
export function applyRule(rule: ColumnRule, value: string): string {
	switch (rule.kind) {
		case 'replace':
			return value.split(rule.find).join(rule.replace);
		case 'trim':
			return value.replace(/\s+/g, ' ').trim();
		case 'fill_empty':
			return value.trim() === '' ? rule.value : value;
		case 'country': {
			const v = value.trim();
			if (v === '' || v.startsWith('+') || v.startsWith('00')) return value;
			const parsed = normalizePhone(v, rule.country);
			return parsed.ok ? parsed.e164 : value;
		}
		case 'values':
			return mapCell(value, lookup(rule), rule.tags);
	}
}

export interface PatchedRow {
	cells: string[];
	/** The row was skipped on purpose. */
	skipped: boolean;
	/** Some cell differs from the file. */
	changed: boolean;
}

/** The patch, indexed for streaming: O(1) per row when the row has no cell edit. */
export class Patch {
	private readonly rules: ColumnRule[] = [];
	private readonly cells = new Map<number, Map<number, string>>();
	private readonly skips = new Set<number>();

	constructor(fixes: readonly Fix[]) {
		for (const fix of fixes) {
			if (fix.kind === 'cell') {
				const row = this.cells.get(fix.row) ?? new Map<number, string>();
				row.set(fix.column, fix.value);
				this.cells.set(fix.row, row);
			} else if (fix.kind === 'skip') this.skips.add(fix.row);
			else this.rules.push(fix);
		}
	}

	get isEmpty(): boolean {
		return this.rules.length === 0 && this.cells.size === 0 && this.skips.size === 0;
	}

	/** The row as the patch leaves it. `cells` is a new array only when something changed. */
	apply(row: number, original: string[]): PatchedRow {
		const skipped = this.skips.has(row);
		const edits = this.cells.get(row);
		if (this.rules.length === 0 && !edits) return { cells: original, skipped, changed: false };
		const cells = [...original];
		for (const rule of this.rules) {
			if (rule.column < cells.length || rule.kind === 'fill_empty') {
				cells[rule.column] = applyRule(rule, cells[rule.column] ?? '');
			}
		}
		if (edits) for (const [column, value] of edits) cells[column] = value;
		const changed = cells.some((c, i) => c !== (original[i] ?? ''));
		return { cells: changed ? cells : original, skipped, changed };
	}
}
