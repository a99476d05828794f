/**
 * The in-memory index over every contact, built from the stored chunks (index-chunk.ts) and kept
 * current by applying new ones. Serves the contact count, search, segment counts and members, and
 * the contacts list in name or phone order, without reading a contact record.
 *
 * Shape: chunks in commit order; a contact's current version is the last chunk row with its phone
 * (an earlier row of it is dead), unless a later chunk deleted the phone. A `PhoneTable` maps each
 * phone to its live row's global id (the chunk's first id + the row), -1 once deleted. Columns stay
 * in the stored shapes (one string per column and chunk, or a dictionary and codes): a scan is a
 * few `indexOf` calls over tens of MB, never a string per cell.
 *
 * Matching follows `matchesCondition` (domain/segments.ts) exactly; contact-index.spec.ts checks
 * both on generated contacts and conditions.
 */
import { CUSTOM_FIELD_KEY_RE } from './fields';
import type { IndexChunk, StoredColumn } from './index-chunk';
import { CREATED_BY, LAST_JOB } from './index-chunk';
import { PhoneTable } from './phone-table';
import type { Condition, SegmentDefinition } from './segments';

export type ContactFilter =
	{ kind: 'all' } | { kind: 'tag'; tag: string } | { kind: 'import'; jobId: string };
export type ContactSort = 'name' | 'phone';

/** One column of one chunk. */
interface Column {
	/** Whether row i's cell is empty. */
	isEmpty(i: number): boolean;
	cell(i: number): string;
	/** Sets out[i] = 1 for every row whose cell passes `test`; `fast` may answer by scanning. */
	mark(out: Uint8Array, test: (cell: string) => boolean, fast?: FastScan): void;
}

/** A scan over a text column: occurrences of `needle`, kept when `accept` says so. */
interface FastScan {
	needle: string;
	accept?: (text: string, at: number, end: number) => boolean;
}

class TextColumn implements Column {
	private offsets?: Uint32Array;
	constructor(
		readonly text: string,
		readonly n: number
	) {}

	/** offsets[i] is the `\n` before row i; offsets[n] the final one. Built on first use. */
	private off(): Uint32Array {
		if (this.offsets) return this.offsets;
		const off = new Uint32Array(this.n + 1);
		let pos = 0;
		for (let i = 1; i <= this.n; i++) {
			pos = this.text.indexOf('\n', pos + 1);
			off[i] = pos;
		}
		this.offsets = off;
		return off;
	}

	isEmpty(i: number): boolean {
		const off = this.off();
		return off[i + 1] - off[i] === 1;
	}

	cell(i: number): string {
		const off = this.off();
		return this.text.slice(off[i] + 1, off[i + 1]);
	}

	/** The row whose cell holds position `at` (off[row] <= at < off[row + 1]). */
	rowAt(at: number): number {
		const off = this.off();
		let lo = 0;
		let hi = this.n - 1;
		while (lo < hi) {
			const mid = (lo + hi + 1) >> 1;
			if (off[mid] <= at) lo = mid;
			else hi = mid - 1;
		}
		return lo;
	}

	mark(out: Uint8Array, test: (cell: string) => boolean, fast?: FastScan): void {
		if (!fast) {
			for (let i = 0; i < this.n; i++) if (test(this.cell(i))) out[i] = 1;
			return;
		}
		const off = this.off();
		const { text } = this;
		let at = text.indexOf(fast.needle);
		while (at !== -1) {
			const row = this.rowAt(at);
			if (!fast.accept || fast.accept(text, at, at + fast.needle.length)) {
				out[row] = 1;
				at = text.indexOf(fast.needle, off[row + 1]);
			} else {
				at = text.indexOf(fast.needle, at + 1);
			}
		}
	}
}

class DictColumn implements Column {
	constructor(
		private readonly dict: string[],
		private readonly codes: string
	) {}

	isEmpty(i: number): boolean {
		return this.codes.charCodeAt(i) === 0;
	}

	cell(i: number): string {
		const code = this.codes.charCodeAt(i);
		return code === 0 ? '' : this.dict[code - 1];
	}

	mark(out: Uint8Array, test: (cell: string) => boolean): void {
		// The condition is evaluated once per distinct value, then rows are marked by code.
		const pass = new Uint8Array(this.dict.length + 1);
		pass[0] = test('') ? 1 : 0;
		for (let k = 0; k < this.dict.length; k++) pass[k + 1] = test(this.dict[k]) ? 1 : 0;
		const { codes } = this;
		for (let i = 0; i < codes.length; i++) if (pass[codes.charCodeAt(i)]) out[i] = 1;
	}
}

/** A column absent from a chunk: every cell is empty. */
const EMPTY: Column = {
	isEmpty: () => true,
	cell: () => '',
	mark(out, test) {
		if (test('')) out.fill(1);
	}
};

class Chunk {
	readonly cols = new Map<string, Column>();
	readonly live: Uint8Array;
	readonly phone: TextColumn;
	constructor(
		readonly base: number,
		readonly n: number,
		stored: Record<string, StoredColumn>
	) {
		this.live = new Uint8Array(n);
		for (const [name, col] of Object.entries(stored)) {
			this.cols.set(
				name,
				typeof col === 'string' ? new TextColumn(col, n) : new DictColumn(col.dict, col.codes)
			);
		}
		this.phone = this.cols.get('phone') as TextColumn;
	}

	col(name: string): Column {
		return this.cols.get(name) ?? EMPTY;
	}
}

const WORD_BREAK = new Set([...'\n\t ,;.()@'].map((c) => c.charCodeAt(0)));
const TAB = 9;
const LF = 10;
const SEARCH_COLUMNS = ['first_name', 'last_name', 'company', 'email', 'tags'];
const NO_ROWS = new Int32Array(0);

/** Whether `text` has `word` at the start of a word (after a break character) somewhere. */
function hasWordStart(text: string, word: string): boolean {
	for (let at = text.indexOf(word); at !== -1; at = text.indexOf(word, at + 1)) {
		if (at === 0 || WORD_BREAK.has(text.charCodeAt(at - 1))) return true;
	}
	return false;
}

/** The per-cell test for a condition: exactly `matchesCondition` over one stored cell. */
function cellTest(c: Condition, tags: boolean): (cell: string) => boolean {
	const q = c.value.trim().toLowerCase();
	const values = (cell: string) => (cell === '' ? [] : tags ? cell.split('\t') : [cell]);
	switch (c.operator) {
		case 'is_empty':
			return (cell) => cell === '';
		case 'is_not_empty':
			return (cell) => cell !== '';
		case 'equals':
		case 'has_tag':
			return (cell) => values(cell).some((v) => v === q);
		case 'not_equals':
			return (cell) => !values(cell).some((v) => v === q);
		case 'contains':
			return (cell) => values(cell).some((v) => v.includes(q));
		case 'starts_with':
			return (cell) => values(cell).some((v) => v.startsWith(q));
	}
}

const bounded = (text: string, at: number): boolean => {
	const c = text.charCodeAt(at);
	return c === LF || c === TAB;
};

/**
 * A scan that finds the same rows as `cellTest` faster on a text column, when there is one. Never
 * for a value holding a line feed or tab: stored cells have none, so the test alone is exact.
 */
function fastScan(c: Condition, tags: boolean): FastScan | undefined {
	const q = c.value.trim().toLowerCase();
	if (q === '' || /[\n\r\t]/.test(q)) return undefined;
	switch (c.operator) {
		case 'contains':
			return { needle: q };
		case 'starts_with':
			return tags ? { needle: q, accept: (t, at) => bounded(t, at - 1) } : { needle: '\n' + q };
		case 'equals':
		case 'has_tag':
			return tags
				? { needle: q, accept: (t, at, end) => bounded(t, at - 1) && bounded(t, end) }
				: { needle: '\n' + q + '\n' };
		default:
			return undefined;
	}
}

/** `not_equals` and `is_not_empty` are the complements of `equals` and `is_empty`. */
function markCondition(chunk: Chunk, c: Condition, out: Uint8Array): void {
	const field = c.operator === 'has_tag' ? 'tags' : c.field;
	const tags = field === 'tags';
	const column = chunk.col(field);
	if (c.operator === 'not_equals' || c.operator === 'is_not_empty') {
		const inverse: Condition = {
			...c,
			operator: c.operator === 'not_equals' ? 'equals' : 'is_empty'
		};
		const hits = new Uint8Array(chunk.n);
		markCondition(chunk, inverse, hits);
		for (let i = 0; i < chunk.n; i++) out[i] = hits[i] ^ 1;
		return;
	}
	if (c.operator === 'is_empty') {
		for (let i = 0; i < chunk.n; i++) if (column.isEmpty(i)) out[i] = 1;
		return;
	}
	column.mark(out, cellTest(c, tags), fastScan(c, tags));
}

/** 6-bit rank of a UTF-16 code unit, non-decreasing in the unit (0 is the end of the string). */
function rank(c: number): number {
	if (c < 0x30) return 1;
	if (c <= 0x39) return c - 0x2e; // digits: 2..11
	if (c < 0x61) return 12;
	if (c <= 0x7a) return c - 0x54; // a..z: 13..38
	if (c < 0x80) return 39;
	if (c < 0x100) return 40 + ((c - 0x80) >> 5);
	if (c < 0x300) return 44 + ((c - 0x100) >> 7);
	if (c === 0xffff) return 63;
	return 48 + Math.min(14, (c - 0x300) >> 12);
}

/** A 30-bit number whose order follows the string's first five code units. */
function prefix30(key: string): number {
	let p = 0;
	for (let k = 0; k < 5; k++) p = p * 64 + (k < key.length ? rank(key.charCodeAt(k)) : 0);
	return p;
}

const ID_BITS = 4194304; // 2^22: ids of a sort up to 4M rows; 2^30 × 2^22 stays below 2^53

/**
 * Sorts `ids` by `key`: first natively by a 30-bit prefix of the key packed with the position
 * (a Float64Array sorts without a comparator), then each run with an equal prefix by the whole key.
 */
function sortByKey(ids: Int32Array, key: (id: number) => string): Int32Array {
	const n = ids.length;
	if (n > ID_BITS) {
		const all = Array.from(ids);
		const keys = new Map(all.map((id) => [id, key(id)]));
		all.sort((a, b) =>
			keys.get(a)! < keys.get(b)! ? -1 : keys.get(a)! > keys.get(b)! ? 1 : a - b
		);
		return Int32Array.from(all);
	}
	const packed = new Float64Array(n);
	for (let i = 0; i < n; i++) packed[i] = prefix30(key(ids[i])) * ID_BITS + i;
	packed.sort();
	const out = new Int32Array(n);
	for (let i = 0; i < n; i++) out[i] = ids[packed[i] % ID_BITS];
	for (let start = 0; start < n;) {
		const p = Math.floor(packed[start] / ID_BITS);
		let end = start + 1;
		while (end < n && Math.floor(packed[end] / ID_BITS) === p) end++;
		if (end - start > 1) {
			const run = Array.from(out.subarray(start, end), (id) => ({ id, k: key(id) }));
			run.sort((a, b) => (a.k < b.k ? -1 : a.k > b.k ? 1 : a.id - b.id));
			for (let i = 0; i < run.length; i++) out[start + i] = run[i].id;
		}
		start = end;
	}
	return out;
}

/** Digit prefixes a phone-like query stands for; computed by the caller (it needs phone data). */
export type PhonePrefixes = (query: string) => string[];

export class ContactIndex {
	private chunks: Chunk[] = [];
	private table = new PhoneTable(1024);
	/** Phones that are not plain E.164 (never written by the app; kept exact all the same). */
	private odd = new Map<string, number>();
	private nextId = 0;
	private liveCount = 0;
	private views = new Map<string, Int32Array>();
	/** Bumped by every change; lets callers tell a stale answer from a current one. */
	version = 0;

	/** Live contacts. */
	get size(): number {
		return this.liveCount;
	}

	/** Rows held, live or dead (what compaction would drop is `rows - size`). */
	get rows(): number {
		return this.nextId;
	}

	private lookup(phone: string): number | undefined {
		return /^\+[1-9]\d{0,14}$/.test(phone) ? this.table.get(phone) : this.odd.get(phone);
	}

	private store(phone: string, id: number): void {
		if (/^\+[1-9]\d{0,14}$/.test(phone)) this.table.set(phone, id);
		else this.odd.set(phone, id);
	}

	private kill(id: number): void {
		const chunk = this.chunkOf(id);
		if (chunk.live[id - chunk.base]) {
			chunk.live[id - chunk.base] = 0;
			this.liveCount--;
		}
	}

	private chunkOf(id: number): Chunk {
		let lo = 0;
		let hi = this.chunks.length - 1;
		while (lo < hi) {
			const mid = (lo + hi + 1) >> 1;
			if (this.chunks[mid].base <= id) lo = mid;
			else hi = mid - 1;
		}
		return this.chunks[lo];
	}

	/** Applies a chunk; chunks must come in commit (seq) order. */
	apply(stored: IndexChunk): void {
		for (const phone of stored.deleted ?? []) {
			const id = this.lookup(phone);
			if (id !== undefined && id >= 0) {
				this.kill(id);
				this.store(phone, -1);
			}
		}
		if (stored.n > 0) {
			const chunk = new Chunk(this.nextId, stored.n, stored.cols);
			this.chunks.push(chunk);
			this.nextId += stored.n;
			for (let i = 0; i < stored.n; i++) {
				const phone = chunk.phone.cell(i);
				const old = this.lookup(phone);
				if (old !== undefined && old >= 0) this.kill(old);
				chunk.live[i] = 1;
				this.liveCount++;
				this.store(phone, chunk.base + i);
			}
		}
		this.version++;
		this.views.clear();
	}

	/** The phone of a row. */
	phoneOf(id: number): string {
		const chunk = this.chunkOf(id);
		return chunk.phone.cell(id - chunk.base);
	}

	/** Whether a phone is a live contact. */
	has(phone: string): boolean {
		const id = this.lookup(phone);
		return id !== undefined && id >= 0;
	}

	/** Live rows of each chunk that satisfy the segment (or every live row without one). */
	private *matches(def: SegmentDefinition | null): Generator<[Chunk, Uint8Array]> {
		for (const chunk of this.chunks) {
			if (!def) {
				yield [chunk, chunk.live];
				continue;
			}
			const any = new Uint8Array(chunk.n);
			for (const group of def.groups) {
				let all: Uint8Array | null = null;
				for (const c of group) {
					const hits = new Uint8Array(chunk.n);
					markCondition(chunk, c, hits);
					if (all) for (let i = 0; i < chunk.n; i++) all[i] &= hits[i];
					else all = hits;
				}
				if (all) for (let i = 0; i < chunk.n; i++) any[i] |= all[i];
			}
			for (let i = 0; i < chunk.n; i++) any[i] &= chunk.live[i];
			yield [chunk, any];
		}
	}

	/** How many live contacts are in the segment. */
	count(def: SegmentDefinition): number {
		let n = 0;
		for (const [chunk, rows] of this.matches(def)) {
			for (let i = 0; i < chunk.n; i++) n += rows[i];
		}
		return n;
	}

	/** The segment's rows (global ids), in commit order. */
	ids(def: SegmentDefinition | null): Int32Array {
		let n = 0;
		const parts: Int32Array[] = [];
		for (const [chunk, rows] of this.matches(def)) {
			const part = new Int32Array(chunk.n);
			let k = 0;
			for (let i = 0; i < chunk.n; i++) if (rows[i]) part[k++] = chunk.base + i;
			parts.push(part.subarray(0, k));
			n += k;
		}
		const out = new Int32Array(n);
		let at = 0;
		for (const part of parts) {
			out.set(part, at);
			at += part.length;
		}
		return out;
	}

	/** How many live contacts hold a value for a custom field. */
	usage(key: string): number {
		if (!CUSTOM_FIELD_KEY_RE.test(key)) return 0;
		return this.count({
			groups: [[{ field: `cf:${key}`, operator: 'is_not_empty', value: '' }]]
		});
	}

	/** The list's key for a row: "last first", else company, else the phone after every name. */
	private nameKey(id: number): string {
		const chunk = this.chunkOf(id);
		const i = id - chunk.base;
		const last = chunk.col('last_name').cell(i);
		const first = chunk.col('first_name').cell(i);
		const named = last && first ? `${last} ${first}` : last || first;
		return named || chunk.col('company').cell(i) || `\uffff${chunk.phone.cell(i)}`;
	}

	/**
	 * The list's rows for a filter, in name or phone order. Kept for the current version, so that
	 * paging or jumping through it is a slice.
	 */
	view(filter: ContactFilter, sort: ContactSort): Int32Array {
		const key = `${sort}|${JSON.stringify(filter)}`;
		const cached = this.views.get(key);
		if (cached) return cached;
		let ids: Int32Array;
		if (filter.kind === 'all') ids = this.ids(null);
		else if (filter.kind === 'tag')
			ids = this.ids({ groups: [[{ field: 'tags', operator: 'has_tag', value: filter.tag }]] });
		else
			ids = this.ids({
				groups: [
					[{ field: CREATED_BY as 'phone', operator: 'equals', value: filter.jobId }],
					[{ field: LAST_JOB as 'phone', operator: 'equals', value: filter.jobId }]
				]
			});
		const sorted =
			ids.length === 0
				? NO_ROWS
				: sortByKey(ids, sort === 'name' ? (id) => this.nameKey(id) : (id) => this.phoneOf(id));
		// Two views at most: the one shown and the one before (switching back is then free).
		if (this.views.size >= 2) this.views.delete(this.views.keys().next().value!);
		this.views.set(key, sorted);
		return sorted;
	}

	/** Phones of the rows that the contacts created by or last written by an import. */
	importPhones(jobId: string, created: boolean): string[] {
		const ids = this.ids({
			groups: [
				[{ field: (created ? CREATED_BY : LAST_JOB) as 'phone', operator: 'equals', value: jobId }]
			]
		});
		return Array.from(ids, (id) => this.phoneOf(id));
	}

	/**
	 * Contacts matching a search: a phone-like query by the phone's prefixes (`prefixes` turns it
	 * into E.164 digit prefixes), any other query word by word, each word the start of a word in
	 * the first name, last name, company, email or a tag. Returns up to `limit` rows in commit
	 * order (a scan stops as soon as it has them).
	 */
	search(query: string, limit: number, prefixes: PhonePrefixes): Int32Array {
		const q = query.trim().toLowerCase();
		if (q === '' || limit <= 0) return NO_ROWS;
		const found: number[] = [];
		if (/^[\d\s()+\-.]+$/.test(q)) {
			const needles = prefixes(q).map((p) => `\n+${p}`);
			if (needles.length === 0) return NO_ROWS;
			for (const chunk of this.chunks) {
				const hits = new Uint8Array(chunk.n);
				for (const needle of needles) chunk.phone.mark(hits, () => false, { needle });
				for (let i = 0; i < chunk.n && found.length < limit; i++)
					if (hits[i] && chunk.live[i]) found.push(chunk.base + i);
				if (found.length >= limit) break;
			}
			return Int32Array.from(found);
		}
		const words = q.split(/\s+/);
		for (const chunk of this.chunks) {
			// Each word marks the rows where it starts a word of some searched column; a row must
			// be marked by every word. Dictionary columns test each distinct value once.
			let all: Uint8Array | null = null;
			for (const word of words) {
				const hits = new Uint8Array(chunk.n);
				const scan: FastScan = {
					needle: word,
					accept: (t, at) => WORD_BREAK.has(t.charCodeAt(at - 1))
				};
				for (const name of SEARCH_COLUMNS) {
					chunk.col(name).mark(hits, (cell) => hasWordStart(cell, word), scan);
				}
				if (all) for (let i = 0; i < chunk.n; i++) all[i] &= hits[i];
				else all = hits;
			}
			for (let i = 0; i < chunk.n && found.length < limit; i++)
				if (all![i] && chunk.live[i]) found.push(chunk.base + i);
			if (found.length >= limit) break;
		}
		return Int32Array.from(found);
	}

	/** Rows in name order (for showing a short result list sorted). */
	sortByName(ids: Int32Array): Int32Array {
		return sortByKey(ids, (id) => this.nameKey(id));
	}
}
