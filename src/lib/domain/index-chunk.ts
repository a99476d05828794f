/**
 * The compact record that serves search, segments and the contacts list: one per committed write
 * (an import batch, an edit, a delete, an undo page), stored in the write's own transaction.
 *
 * Why: every secondary index entry on the contacts store costs 25–40% of an import's write speed,
 * while one record describing a whole batch costs about as much as one contact. A worker reads the
 * chunks back into a `ContactIndex` (contact-index.ts) and answers every query in memory.
 *
 * A chunk holds, per field, the lower-cased values of its contacts (the values segments and search
 * compare, case-insensitively) in one of two shapes:
 * - text: `'\n' + cells.join('\n') + '\n'`, so that a cell is found with one `indexOf` over the
 *   column (`'\n' + q` is a prefix, `'\n' + q + '\n'` an exact value);
 * - dictionary: the distinct values and one character per contact (its value's index + 1, 0 for
 *   empty), for columns that repeat (time zones, tags, regions, the import ids).
 * Tags are one cell: the contact's lower-cased tags joined by a tab.
 *
 * Invariant: no stored cell contains a line feed or a tab (they are replaced by spaces; cleaned
 * values never hold them anyway), so a cell boundary is always a `\n` and a tag boundary a `\t`.
 */
import { customValue, type Contact } from './contact';
import { customTarget } from './fields';
import { detachString } from './text';
import type { PhoneKind } from './phone-kind';

/** Column names: the segment field names, plus the two import-id columns of the list filter. */
export const CREATED_BY = '@created';
export const LAST_JOB = '@last';
/**
 * The phone kinds (the segment field `phone_type`), a function of the phone. An import stores
 * them, since its validation has just computed them; a chunk without them (an edit, an undo, a
 * chunk written before they existed) has them derived from its phones when first asked for.
 * Stored kinds are those of the metadata that wrote them: after a libphonenumber-js upgrade that
 * re-types some numbers, segments see the new type only for contacts written since, while a
 * contact's page, which derives it, shows the new one.
 */
export const PHONE_TYPE = 'phone_type';

export type StoredColumn = string | { dict: string[]; codes: string };

export interface IndexChunk {
	/** Auto-increment key: chunks apply in this order, which is their commit order. */
	seq?: number;
	/** How many contacts the chunk describes (the current version of each, as written). */
	n: number;
	/** Always has `phone`; a column whose cells are all empty is left out. */
	cols: Record<string, StoredColumn>;
	/** Phones that stopped existing in this change (deletes; the old key of a phone edit). */
	deleted?: string[];
	/**
	 * The first chunk of a compaction: the chunks before it are gone, and it and the ones after
	 * it (written in the same transaction) hold every live contact. A reader starts over here.
	 */
	reset?: true;
}

const UNSAFE = /[\n\r\t]/;

/** A value as it is stored in a column: lower-cased, with no line feed or tab. */
export function cellOf(value: string | undefined): string {
	if (!value) return '';
	const lower = value.toLowerCase();
	return UNSAFE.test(lower) ? lower.replace(/[\n\r\t]/g, ' ') : lower;
}

function tagsCell(tags: readonly string[] | undefined): string {
	if (!tags || tags.length === 0) return '';
	return tags.map(cellOf).join('\t');
}

/** The columns of a chunk; dictionary-encoded when a column's values repeat enough. */
export function storeColumn(cells: string[]): StoredColumn | null {
	const dict = new Map<string, number>();
	let filled = 0;
	for (const cell of cells) {
		if (cell === '') continue;
		filled++;
		if (!dict.has(cell) && dict.size < 50_000) dict.set(cell, dict.size + 1);
	}
	if (filled === 0) return null;
	// A dictionary pays when values repeat: fewer distinct values than a quarter of the cells.
	if (dict.size < 50_000 && dict.size * 4 <= cells.length) {
		let codes = '';
		for (const cell of cells) codes += String.fromCharCode(cell === '' ? 0 : dict.get(cell)!);
		// Copied: a value cut from a longer string would keep all of that string alive.
		return { dict: [...dict.keys()].map(detachString), codes };
	}
	return '\n' + cells.join('\n') + '\n';
}

const SCALARS: [string, keyof Contact][] = [
	['first_name', 'firstName'],
	['last_name', 'lastName'],
	['email', 'email'],
	['company', 'company'],
	['timezone', 'timezone'],
	['owner', 'owner'],
	[CREATED_BY, 'createdByJob'],
	[LAST_JOB, 'lastJobId']
];

/**
 * The chunk describing `contacts` (as written) and the phones `deleted` in the same change.
 * @param kinds each contact's phone kind, when the writer knows them (see PHONE_TYPE)
 */
export function encodeChunk(
	contacts: readonly Contact[],
	deleted: readonly string[] = [],
	kinds?: readonly PhoneKind[]
): IndexChunk {
	const n = contacts.length;
	const cols: Record<string, StoredColumn> = {
		phone: '\n' + contacts.map((c) => c.phone).join('\n') + '\n'
	};
	for (const [column, key] of SCALARS) {
		const stored = storeColumn(contacts.map((c) => cellOf(c[key] as string | undefined)));
		if (stored) cols[column] = stored;
	}
	if (kinds && kinds.length === n) {
		const stored = storeColumn([...kinds]);
		if (stored) cols[PHONE_TYPE] = stored;
	}
	const tags = storeColumn(contacts.map((c) => tagsCell(c.tags)));
	if (tags) cols.tags = tags;
	const customKeys = new Set<string>();
	for (const c of contacts) for (const key of Object.keys(c.custom ?? {})) customKeys.add(key);
	for (const key of customKeys) {
		const stored = storeColumn(contacts.map((c) => cellOf(customValue(c, key))));
		if (stored) cols[customTarget(key)] = stored;
	}
	return deleted.length > 0 ? { n, cols, deleted: [...deleted] } : { n, cols };
}
