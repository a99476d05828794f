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
 *
 * Why one file of this size: the column scans, the search, the segment counts and the sorted
 * views all work on the same private chunk representation (global row ids, dead rows, dictionary
 * codes), and its invariants hold only while every reader and writer of it sits in one module.
 * Splitting it would export that representation to every part.
 */
import { CUSTOM_FIELD_KEY_RE, customTarget } from './fields';
import type { IndexChunk, StoredColumn } from './index-chunk';
import { CREATED_BY, LAST_JOB, PHONE_TYPE, storeColumn } from './index-chunk';
import { PhoneTable } from './phone-table';
import { inWindow, localMinute, minuteWindow, parseWindow } from './calling-hours';
import { DoNotCallSet } from './do-not-call';
import type { Condition, SegmentClock, SegmentDefinition } from './segments';

export type ContactFilter =
	{ kind: 'all' } | { kind: 'tag'; tag: string } | { kind: 'import'; jobId: string };
export type ContactSort = 'name' | 'phone';

/** One column of one chunk. */
interface Column {
	/** Whether row i's cell is empty. */
	isEmpty(i: number): boolean;
	cell(i: number): string;
	/**
	 * Sets out[i] = 1 for every row whose cell passes `test`; `fast` may answer by scanning.
	 * Returns whether it marked any row (a search skips the rest of a chunk none of whose
	 * columns holds a word).
	 */
	mark(out: Uint8Array, test: (cell: string) => boolean, fast?: FastScan): boolean;
}

/** A scan over a text column: occurrences of `needle`, kept when `accept` says so. */
interface FastScan {
	needle: string;
	accept?: (text: string, at: number, end: number) => boolean;
}

class TextColumn implements Column {
	private cachedOffsets?: Uint32Array;
	constructor(
		readonly text: string,
		readonly n: number
	) {}

	/** offsets[i] is the `\n` before row i; offsets[n] the final one. Built on first use. */
	offsets(): Uint32Array {
		return this.off();
	}

	private off(): Uint32Array {
		if (this.cachedOffsets) return this.cachedOffsets;
		const off = new Uint32Array(this.n + 1);
		let pos = 0;
		for (let i = 1; i <= this.n; i++) {
			pos = this.text.indexOf('\n', pos + 1);
			off[i] = pos;
		}
		this.cachedOffsets = off;
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

	mark(out: Uint8Array, test: (cell: string) => boolean, fast?: FastScan): boolean {
		let marked = false;
		if (!fast) {
			for (let i = 0; i < this.n; i++)
				if (test(this.cell(i))) {
					out[i] = 1;
					marked = true;
				}
			return marked;
		}
		const { text } = this;
		let at = text.indexOf(fast.needle);
		// The row offsets are built only for a column the needle is in: the first search after a
		// reload then costs one `indexOf` for most chunks, not a pass over each of their rows.
		if (at === -1) return false;
		const off = this.off();
		while (at !== -1) {
			const row = this.rowAt(at);
			if (!fast.accept || fast.accept(text, at, at + fast.needle.length)) {
				out[row] = 1;
				marked = true;
				at = text.indexOf(fast.needle, off[row + 1]);
			} else {
				at = text.indexOf(fast.needle, at + 1);
			}
		}
		return marked;
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

	mark(out: Uint8Array, test: (cell: string) => boolean): boolean {
		// The condition is evaluated once per distinct value, then rows are marked by code; when
		// no value passes (most of a search's columns) no row is visited.
		const pass = new Uint8Array(this.dict.length + 1);
		let passing = (pass[0] = test('') ? 1 : 0);
		for (let k = 0; k < this.dict.length; k++) if (test(this.dict[k])) passing = pass[k + 1] = 1;
		if (!passing) return false;
		const { codes } = this;
		let marked = false;
		for (let i = 0; i < codes.length; i++)
			if (pass[codes.charCodeAt(i)]) {
				out[i] = 1;
				marked = true;
			}
		return marked;
	}
}

/** A column absent from a chunk: every cell is empty. */
const EMPTY: Column = {
	isEmpty: () => true,
	cell: () => '',
	mark(out, test) {
		if (!test('')) return false;
		out.fill(1);
		return out.length > 0;
	}
};

/**
 * A stored phone's kind (domain/phone-kind's `phoneKindOf`). The index is given it rather than
 * importing it, since it needs the phone metadata, which a worker answering the contacts list
 * should not load: the reader loads it only when a chunk without stored kinds arrives.
 */
export type PhoneKindOf = (e164: string) => string;

class Chunk {
	readonly cols = new Map<string, Column>();
	readonly live: Uint8Array;
	readonly phone: TextColumn;
	constructor(
		readonly base: number,
		readonly n: number,
		stored: Record<string, StoredColumn>,
		private readonly kindOf: () => PhoneKindOf | undefined
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

	/** Rows whose phone is on `list`, computed once per list (a list never changes). */
	listed(list: DoNotCallSet): Uint8Array {
		if (this.listedFor !== list) {
			const marks = new Uint8Array(this.n);
			if (list.size > 0) {
				const off = this.phone.offsets();
				const text = this.phone.text;
				for (let i = 0; i < this.n; i++) {
					// The digits after '+', read in place: no string per row.
					let key = 0;
					for (let at = off[i] + 2; at < off[i + 1]; at++)
						key = key * 10 + (text.charCodeAt(at) - 48);
					if (list.hasKey(key)) marks[i] = 1;
				}
			}
			this.listedFor = list;
			this.listedMarks = marks;
		}
		return this.listedMarks!;
	}
	private listedFor?: DoNotCallSet;
	private listedMarks?: Uint8Array;

	col(name: string): Column {
		const col = this.cols.get(name);
		if (col) return col;
		if (name !== PHONE_TYPE) return EMPTY;
		// Derived once per chunk (chunks never change): about 1.4 µs a phone, so only chunks
		// written without the column pay it, once (see PHONE_TYPE).
		const kindOf = this.kindOf();
		// Invariant: a chunk without stored kinds is applied only to an index that can derive them.
		if (!kindOf) throw new Error('The contact index cannot derive phone kinds: none was given.');
		const kinds: string[] = [];
		for (let i = 0; i < this.n; i++) kinds.push(kindOf(this.phone.cell(i)));
		const stored = storeColumn(kinds);
		const derived =
			typeof stored === 'string'
				? new TextColumn(stored, this.n)
				: stored
					? new DictColumn(stored.dict, stored.codes)
					: EMPTY;
		this.cols.set(name, derived);
		return derived;
	}
}

const TAB = 9;
const LF = 10;
const SEARCH_COLUMNS = ['first_name', 'last_name', 'company', 'email', 'tags'];
const NO_ROWS = new Int32Array(0);

const LETTER_OR_DIGIT = /[\p{L}\p{N}\p{M}]/u;
/** WORD_CHAR[c] for the ASCII code units: a letter or digit. */
const WORD_CHAR = Uint8Array.from({ length: 128 }, (_, c) =>
	/[a-z0-9]/i.test(String.fromCharCode(c)) ? 1 : 0
);

/**
 * Whether a word may start after code unit `c`: anything but a letter, digit or combining mark (a
 * space, a cell or tag boundary, punctuation: `onerror="window` holds the word `window`).
 */
function breaksWord(c: number): boolean {
	if (c < 128) return WORD_CHAR[c] === 0;
	return !LETTER_OR_DIGIT.test(String.fromCharCode(c));
}

/** Whether `text` has `word` at the start of a word somewhere. */
function hasWordStart(text: string, word: string): boolean {
	for (let at = text.indexOf(word); at !== -1; at = text.indexOf(word, at + 1)) {
		if (at === 0 || breaksWord(text.charCodeAt(at - 1))) return true;
	}
	return false;
}

/** A query word of letters and digits only; any other word is matched anywhere in a cell. */
const PLAIN_WORD = /^[\p{L}\p{N}\p{M}]+$/u;

/** The per-cell test for a condition: the segment rule (one condition over one contact) over one stored cell. */
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
		case 'between':
			// Only clock fields take it (the segment schema refuses it elsewhere): they never get here.
			return () => false;
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

/**
 * What one count knows beyond the chunks: the clock and calling hours of the clock fields, and
 * each zone's answer, computed once per count (a few hundred zones at most) and not per contact.
 */
interface MatchContext {
	clock?: SegmentClock;
	doNotCall: DoNotCallSet;
	zoneMemo: Map<string, boolean>;
}

/** Whether a stored (lower-cased) zone passes a clock condition; IANA names ignore case. */
function zoneTest(c: Condition, ctx: MatchContext): (zone: string) => boolean {
	const { clock } = ctx;
	const window = !clock
		? null
		: c.field === 'local_time'
			? parseWindow(c.value)
			: minuteWindow(clock.hours);
	if (!clock || !window) return () => false;
	const key = `${c.field}|${window.from}-${window.to}|`;
	return (zone) => {
		if (zone === '') return false;
		let hit = ctx.zoneMemo.get(key + zone);
		if (hit === undefined) {
			const minute = localMinute(zone, clock.now);
			hit = minute !== null && inWindow(minute, window);
			ctx.zoneMemo.set(key + zone, hit);
		}
		return hit;
	};
}

/**
 * A clock field's rows: `local_time between` and `callable_now equals yes|no`. Without a clock
 * (a caller that gave none) nothing is callable, which errs on the side of not calling.
 */
function markClockCondition(chunk: Chunk, c: Condition, out: Uint8Array, ctx: MatchContext) {
	const hits = new Uint8Array(chunk.n);
	chunk.col('timezone').mark(hits, zoneTest(c, ctx));
	// A listed contact is never callable.
	if (c.field === 'callable_now' && ctx.doNotCall.size > 0) {
		const listed = chunk.listed(ctx.doNotCall);
		for (let i = 0; i < chunk.n; i++) if (listed[i]) hits[i] = 0;
	}
	const yes = c.field === 'local_time' || c.value.trim().toLowerCase() === 'yes';
	for (let i = 0; i < chunk.n; i++) if (hits[i] === (yes ? 1 : 0)) out[i] = 1;
}

/** `not_equals` and `is_not_empty` are the complements of `equals` and `is_empty`. */
function markCondition(chunk: Chunk, c: Condition, out: Uint8Array, ctx: MatchContext): void {
	const field = c.operator === 'has_tag' ? 'tags' : c.field;
	const tags = field === 'tags';
	const column = chunk.col(field);
	if (c.operator === 'not_equals' || c.operator === 'is_not_empty') {
		const inverse: Condition = {
			...c,
			operator: c.operator === 'not_equals' ? 'equals' : 'is_empty'
		};
		const hits = new Uint8Array(chunk.n);
		markCondition(chunk, inverse, hits, ctx);
		for (let i = 0; i < chunk.n; i++) out[i] = hits[i] ^ 1;
		return;
	}
	if (c.field === 'callable_now' || c.field === 'local_time') {
		markClockCondition(chunk, c, out, ctx);
		return;
	}
	if (c.field === 'do_not_call') {
		const listed = chunk.listed(ctx.doNotCall);
		const yes = c.value.trim().toLowerCase() === 'yes' ? 1 : 0;
		for (let i = 0; i < chunk.n; i++) if (listed[i] === yes) out[i] = 1;
		return;
	}
	if (c.operator === 'is_empty') {
		for (let i = 0; i < chunk.n; i++) if (column.isEmpty(i)) out[i] = 1;
		return;
	}
	column.mark(out, cellTest(c, tags), fastScan(c, tags));
}

/**
 * 6-bit rank of a UTF-16 code unit, non-decreasing in the unit; 0 is the end of the string. Space,
 * punctuation below '0', digits and a–z (what lower-cased names and phones are mostly made of)
 * each have a rank of their own; the other ranks stand for several units (`LOSSY`).
 */
function rank(c: number): number {
	if (c < 0x20) return 1;
	if (c < 0x30) return c - 0x1e; // space and punctuation: 2..17
	if (c <= 0x39) return c - 0x1e; // digits: 18..27
	if (c < 0x61) return 28;
	if (c <= 0x7a) return c - 0x44; // a..z: 29..54
	if (c < 0x80) return 55;
	if (c < 0x100) return 56;
	if (c === 0xffff) return 63;
	return 57 + Math.min(5, (c - 0x100) >> 13);
}

/** LOSSY[r] is 1 for a rank that stands for several code units. */
const LOSSY = new Uint8Array(64);
for (const r of [1, 28, 55, 56, 57, 58, 59, 60, 61, 62]) LOSSY[r] = 1;
/** rank() of the first 256 code units, looked up (a million keys × five units at a reload). */
const LATIN1_RANK = Uint8Array.from({ length: 256 }, (_, c) => rank(c));

/** Whether a packed prefix tells its keys' code units apart exactly (no rank stands for two). */
function exact(prefix: number): boolean {
	for (let k = 0; k < 5; k++, prefix = Math.floor(prefix / 64)) {
		if (LOSSY[prefix % 64]) return false;
	}
	return true;
}

/**
 * A 30-bit number whose order follows the code units `at` to `at + 4` of `key` (0 past its end).
 * It stops after a rank that stands for several units (the rest is 0): two keys that differ at
 * that unit may sort either way after it, so only the whole keys can order them.
 */
function prefix30(key: string, at: number): number {
	let p = 0;
	let stopped = false;
	for (let k = at; k < at + 5; k++) {
		let r = 0;
		if (!stopped && k < key.length) {
			const c = key.charCodeAt(k);
			r = c < 256 ? LATIN1_RANK[c] : rank(c);
			stopped = LOSSY[r] === 1;
		}
		p = p * 64 + r;
	}
	return p;
}

const ID_BITS = 4194304; // 2^22: positions up to 4M; 2^30 × 2^22 stays below 2^53
const SMALL_RUN = 32;

/** Sorts `order[start, end)` (positions into `keys`) by key, from code unit `5 × depth` on. */
function sortRange(order: Int32Array, keys: string[], start: number, end: number, depth: number) {
	const n = end - start;
	if (n < 2) return;
	if (n <= SMALL_RUN) {
		// Insertion sort in place: most runs left by the packed sort are a handful of rows.
		for (let i = start + 1; i < end; i++) {
			const moving = order[i];
			const key = keys[moving];
			let j = i - 1;
			while (
				j >= start &&
				(keys[order[j]] > key || (keys[order[j]] === key && order[j] > moving))
			) {
				order[j + 1] = order[j];
				j--;
			}
			order[j + 1] = moving;
		}
		return;
	}
	if (n > ID_BITS || depth === Infinity) {
		const run = Array.from(order.subarray(start, end));
		run.sort((a, b) => (keys[a] < keys[b] ? -1 : keys[a] > keys[b] ? 1 : a - b));
		order.set(run, start);
		return;
	}
	// A Float64Array sorts natively, without a comparator: the prefix packed with the position.
	const packed = new Float64Array(n);
	const at = depth * 5;
	for (let i = 0; i < n; i++) packed[i] = prefix30(keys[order[start + i]], at) * ID_BITS + i;
	packed.sort();
	const before = order.slice(start, end);
	for (let i = 0; i < n; i++) order[start + i] = before[packed[i] % ID_BITS];
	// A run with an equal prefix: when the prefix is exact, its keys agree on these five code
	// units and the next five order them (none left when the prefix ends in the end of string:
	// the keys are equal, already in position order); otherwise the whole keys do.
	for (let i = 0; i < n;) {
		const p = Math.floor(packed[i] / ID_BITS);
		let j = i + 1;
		while (j < n && Math.floor(packed[j] / ID_BITS) === p) j++;
		if (j - i > 1) {
			if (!exact(p)) sortRange(order, keys, start + i, start + j, Infinity);
			else if (p % 64 !== 0) sortRange(order, keys, start + i, start + j, depth + 1);
		}
		i = j;
	}
}

/** Sorts `ids` by their `keys` (UTF-16 code unit order, ties in the order given). */
function sortByKey(ids: Int32Array, keys: string[]): Int32Array {
	const order = new Int32Array(ids.length);
	for (let i = 0; i < order.length; i++) order[i] = i;
	sortRange(order, keys, 0, order.length, 0);
	return order.map((position) => ids[position]);
}

/**
 * A list order, exact where it has been read. Built with one native sort of every row by its key's
 * first five code units; a run of rows with an equal prefix is put in its exact order the first
 * time a slice touches it, so opening a list of a million or jumping in it sorts only the rows
 * shown. Ties keep the order the rows came in (commit order).
 */
export class SortedView {
	private readonly done: Uint8Array;

	constructor(
		private readonly order: Int32Array,
		/** Unsorted runs: start, end and the depth to sort them from, in order of start. */
		private readonly runs: Int32Array,
		private readonly keyOf: (id: number) => string
	) {
		this.done = new Uint8Array(runs.length / 3);
	}

	get length(): number {
		return this.order.length;
	}

	/** Rows `[from, to)` in exact order. */
	slice(from = 0, to = this.order.length): Int32Array {
		from = Math.max(0, from);
		to = Math.min(this.order.length, to);
		if (from >= to) return NO_ROWS;
		// The first run that ends after `from`; runs do not overlap and come in order.
		let lo = 0;
		let hi = this.done.length;
		while (lo < hi) {
			const mid = (lo + hi) >> 1;
			if (this.runs[mid * 3 + 1] <= from) lo = mid + 1;
			else hi = mid;
		}
		for (let r = lo; r < this.done.length && this.runs[r * 3] < to; r++) {
			if (!this.done[r]) this.refine(r);
		}
		return this.order.slice(from, to);
	}

	private refine(r: number): void {
		const start = this.runs[r * 3];
		const end = this.runs[r * 3 + 1];
		const depth = this.runs[r * 3 + 2];
		const ids = this.order.slice(start, end);
		const keys = Array.from(ids, this.keyOf);
		const order = new Int32Array(ids.length);
		for (let i = 0; i < order.length; i++) order[i] = i;
		sortRange(order, keys, 0, order.length, depth < 0 ? Infinity : depth);
		for (let i = 0; i < order.length; i++) this.order[start + i] = ids[order[i]];
		this.done[r] = 1;
	}
}

/** `ids` in the order of their keys, exact once sliced (see SortedView). */
function sortedView(ids: Int32Array, keys: string[], keyOf: (id: number) => string): SortedView {
	const n = ids.length;
	if (n > ID_BITS) {
		const order = new Int32Array(n);
		for (let i = 0; i < n; i++) order[i] = i;
		sortRange(order, keys, 0, n, Infinity);
		return new SortedView(
			order.map((p) => ids[p]),
			new Int32Array(0),
			keyOf
		);
	}
	const packed = new Float64Array(n);
	for (let i = 0; i < n; i++) packed[i] = prefix30(keys[i], 0) * ID_BITS + i;
	packed.sort();
	const order = new Int32Array(n);
	const runs: number[] = [];
	for (let i = 0; i < n;) {
		const p = Math.floor(packed[i] / ID_BITS);
		let j = i;
		for (; j < n && Math.floor(packed[j] / ID_BITS) === p; j++) order[j] = ids[packed[j] % ID_BITS];
		// As in sortRange: an exact prefix that ends the keys means equal keys, already in order.
		if (j - i > 1 && !(exact(p) && p % 64 === 0)) runs.push(i, j, exact(p) ? 1 : -1);
		i = j;
	}
	return new SortedView(order, Int32Array.from(runs), keyOf);
}

/**
 * `text[start, end)` as a plain E.164 phone's digits (`+14155550101` → 14155550101), or -1 when it
 * is not one ('+', then 1–15 digits, the first not 0). Every such number is an exact double.
 */
function phoneKey(text: string, start: number, end: number): number {
	const digits = end - start - 1;
	if (digits < 1 || digits > 15 || text.charCodeAt(start) !== 0x2b) return -1;
	let key = 0;
	for (let k = start + 1; k < end; k++) {
		const d = text.charCodeAt(k) - 0x30;
		if (d < 0 || d > 9 || (k === start + 1 && d === 0)) return -1;
		key = key * 10 + d;
	}
	return key;
}

/** A row's key in the list: "last first", else company, else the phone; or the phone's digits. */
function listKey(chunk: Chunk, i: number, sort: ContactSort): string {
	// Every phone starts with '+': the digits alone sort the same and use the prefix better.
	if (sort === 'phone') return chunk.phone.cell(i).slice(1);
	const last = chunk.col('last_name').cell(i);
	const first = chunk.col('first_name').cell(i);
	const named = last && first ? `${last} ${first}` : last || first;
	return named || chunk.col('company').cell(i) || `\uffff${chunk.phone.cell(i)}`;
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
	private views = new Map<string, SortedView>();
	/** Bumped by every change; lets callers tell a stale answer from a current one. */
	version = 0;

	constructor(private kindOf?: PhoneKindOf) {}

	/** Whether `stored` needs phone kinds derived (rows and no stored kinds) and none is given yet. */
	needsKindOf(stored: IndexChunk): boolean {
		return !this.kindOf && stored.n > 0 && !(PHONE_TYPE in stored.cols);
	}

	/** Gives the index the way to derive phone kinds (see PhoneKindOf). */
	useKindOf(kindOf: PhoneKindOf): void {
		this.kindOf = kindOf;
	}

	/** Live contacts. */
	get size(): number {
		return this.liveCount;
	}

	/** Rows held, live or dead (what compaction would drop is `rows - size`). */
	get rows(): number {
		return this.nextId;
	}

	private lookup(phone: string): number | undefined {
		const key = phoneKey(phone, 0, phone.length);
		return key > 0 ? this.table.getKey(key) : this.odd.get(phone);
	}

	private store(phone: string, id: number): void {
		const key = phoneKey(phone, 0, phone.length);
		if (key > 0) this.table.setKey(key, id);
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

	/** How many chunks are held (each costs a little on every scan). */
	get chunkCount(): number {
		return this.chunks.length;
	}

	/** Applies a chunk; chunks must come in commit (seq) order. */
	apply(stored: IndexChunk): void {
		if (stored.reset) {
			this.chunks = [];
			this.table = new PhoneTable(1024);
			this.odd.clear();
			this.nextId = 0;
			this.liveCount = 0;
		}
		for (const phone of stored.deleted ?? []) {
			const id = this.lookup(phone);
			if (id !== undefined && id >= 0) {
				this.kill(id);
				this.store(phone, -1);
			}
		}
		if (stored.n > 0) {
			const chunk = new Chunk(this.nextId, stored.n, stored.cols, () => this.kindOf);
			this.chunks.push(chunk);
			this.nextId += stored.n;
			const { text } = chunk.phone;
			const off = chunk.phone.offsets();
			for (let i = 0; i < stored.n; i++) {
				// Read straight from the column: no string per phone (a million at a reload).
				const key = phoneKey(text, off[i] + 1, off[i + 1]);
				let old: number | undefined;
				if (key > 0) old = this.table.replaceKey(key, chunk.base + i);
				else {
					const phone = chunk.phone.cell(i);
					old = this.odd.get(phone);
					this.odd.set(phone, chunk.base + i);
				}
				if (old !== undefined && old >= 0) this.kill(old);
				chunk.live[i] = 1;
				this.liveCount++;
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
	private *matches(
		def: SegmentDefinition | null,
		clock?: SegmentClock,
		doNotCall: DoNotCallSet = DoNotCallSet.EMPTY
	): Generator<[Chunk, Uint8Array]> {
		const ctx: MatchContext = { clock, doNotCall, zoneMemo: new Map() };
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
					markCondition(chunk, c, hits, ctx);
					if (all) for (let i = 0; i < chunk.n; i++) all[i] &= hits[i];
					else all = hits;
				}
				if (all) for (let i = 0; i < chunk.n; i++) any[i] |= all[i];
			}
			for (let i = 0; i < chunk.n; i++) any[i] &= chunk.live[i];
			yield [chunk, any];
		}
	}

	/**
	 * How many live contacts are in the segment.
	 * @param clock the time and calling hours clock fields are answered at
	 */
	count(def: SegmentDefinition, clock?: SegmentClock, doNotCall?: DoNotCallSet): number {
		let n = 0;
		for (const [chunk, rows] of this.matches(def, clock, doNotCall)) {
			for (let i = 0; i < chunk.n; i++) n += rows[i];
		}
		return n;
	}

	/** The segment's rows (global ids), in commit order. */
	ids(def: SegmentDefinition | null, clock?: SegmentClock, doNotCall?: DoNotCallSet): Int32Array {
		let n = 0;
		const parts: Int32Array[] = [];
		for (const [chunk, rows] of this.matches(def, clock, doNotCall)) {
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
			groups: [[{ field: customTarget(key), operator: 'is_not_empty', value: '' }]]
		});
	}

	/**
	 * The list's key of each row, for rows in id order: "last first", else company, else the phone
	 * (after every name); or the phone's digits. Walks the chunks alongside (no search per row).
	 */
	private keysOf(ids: Int32Array, sort: ContactSort): string[] {
		const keys = new Array<string>(ids.length);
		let c = 0;
		for (let k = 0; k < ids.length; k++) {
			const id = ids[k];
			while (id >= this.chunks[c].base + this.chunks[c].n) c++;
			keys[k] = listKey(this.chunks[c], id - this.chunks[c].base, sort);
		}
		return keys;
	}

	private keyAt(id: number, sort: ContactSort): string {
		const chunk = this.chunkOf(id);
		return listKey(chunk, id - chunk.base, sort);
	}

	/**
	 * The list's rows for a filter, in name or phone order. Kept for the current version, so that
	 * paging or jumping through it is a slice.
	 */
	view(filter: ContactFilter, sort: ContactSort): SortedView {
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
		const sorted = sortedView(ids, this.keysOf(ids, sort), (id) => this.keyAt(id, sort));
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
	 * into E.164 digit prefixes), any other query word by word (split at spaces), each word in the
	 * first name, last name, company, email or a tag: a word of letters and digits where a word
	 * starts, a word holding punctuation anywhere. Returns up to `limit` rows in commit
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
				let marked = false;
				for (const needle of needles)
					marked = chunk.phone.mark(hits, () => false, { needle }) || marked;
				if (!marked) continue;
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
			let missing = false;
			for (const word of words) {
				const hits = new Uint8Array(chunk.n);
				// A word with punctuation (`onerror="window`, `k.smith@ex`) is found anywhere, as the
				// list shows it; a plain word only where a word starts, so `ing` is not `king`. Both
				// are one `indexOf` scan per column: no cell is cut out unless the needle is in it.
				const plain = PLAIN_WORD.test(word);
				const scan: FastScan = plain
					? { needle: word, accept: (t, at) => breaksWord(t.charCodeAt(at - 1)) }
					: { needle: word };
				const test = plain
					? (cell: string) => hasWordStart(cell, word)
					: (cell: string) => cell.includes(word);
				let marked = false;
				for (const name of SEARCH_COLUMNS)
					marked = chunk.col(name).mark(hits, test, scan) || marked;
				// A word no column of the chunk holds: no row of it matches every word.
				if (!marked) {
					missing = true;
					break;
				}
				if (all) for (let i = 0; i < chunk.n; i++) all[i] &= hits[i];
				else all = hits;
			}
			if (missing) continue;
			for (let i = 0; i < chunk.n && found.length < limit; i++)
				if (all![i] && chunk.live[i]) found.push(chunk.base + i);
			if (found.length >= limit) break;
		}
		return Int32Array.from(found);
	}

	/**
	 * The live rows again, as chunks of up to `size` contacts (a compaction writes them in place of
	 * every chunk so far). Cells are copied as stored: nothing is read from the contacts.
	 */
	*liveChunks(size: number): Generator<IndexChunk> {
		let n = 0;
		let cols = new Map<string, string[]>();
		const flush = (): IndexChunk => {
			const stored: Record<string, StoredColumn> = {};
			for (const [name, cells] of cols) {
				while (cells.length < n) cells.push('');
				const col = name === 'phone' ? '\n' + cells.join('\n') + '\n' : storeColumn(cells);
				if (col !== null) stored[name] = col;
			}
			const chunk = { n, cols: stored };
			n = 0;
			cols = new Map();
			return chunk;
		};
		// A new chunk holds phone kinds for all its rows or for none: when any chunk has them, the
		// chunks without get them now; when none has, none is derived (a reader derives later).
		const kinds = this.chunks.some((c) => c.cols.has(PHONE_TYPE));
		for (const chunk of this.chunks) {
			if (kinds) chunk.col(PHONE_TYPE);
			for (let i = 0; i < chunk.n; i++) {
				if (!chunk.live[i]) continue;
				for (const [name, column] of chunk.cols) {
					const cell = column.cell(i);
					if (cell === '' && name !== 'phone') continue;
					let cells = cols.get(name);
					if (!cells) cols.set(name, (cells = []));
					while (cells.length < n) cells.push('');
					cells.push(cell);
				}
				if (++n === size) yield flush();
			}
		}
		if (n > 0) yield flush();
	}

	/** Rows in name order (for showing a short result list sorted). */
	sortByName(ids: Int32Array): Int32Array {
		const ordered = Int32Array.from(ids).sort();
		return sortByKey(ordered, this.keysOf(ordered, 'name'));
	}
}
