/**
 * Streaming CSV record splitting over decoded text chunks. The caller decodes bytes (so
 * multi-byte characters split across chunks survive) and pushes text; each push returns the
 * complete records found so far, numbered the way a spreadsheet numbers them: the file's first
 * record is row 1, a blank line is a row, and a quoted cell with line breaks stays one row.
 *
 * The rules are RFC 4180's, read the way papaparse reads them (the conformance suites check it):
 * a cell that starts with `"` runs to the next `"` that is followed, after optional spaces, by the
 * delimiter, the newline or the end of the file; `""` inside it is one quote; any other quote
 * inside it is kept as it is.
 *
 * Malformed input never hangs or swallows the file:
 * - A quote that is never closed (by the end of the file, or within `maxRecordChars` characters or
 *   `maxRecordLines` lines), or that is closed only on a later line after a stray quote, makes its
 *   record's first line one malformed record (`error` set); reading goes on with the next line, so
 *   the rows after it are kept.
 * - A line longer than `maxRecordChars` with no line break is one malformed record; its text is
 *   skipped up to the next line break without being held in memory.
 *
 * Time is linear in the input, whatever it holds: where each quote's search for its closing quote
 * ends is remembered (`QuoteChains`), so setting a line aside and reading on never searches the
 * rest of the input again. A file in which every line opens a quote that never closes reads as
 * fast as a clean one.
 *
 * `QuoteChains` (quote-chains.ts), `Finder` and `LineCounter` (scan-cursors.ts) hold the splitter's
 * memory of how far each search already went, and the linear-time bound holds only because they
 * and `RecordSplitter` agree on the same positions and the same chunk boundaries. Nothing else
 * uses them, and they are tested through the splitter.
 */
import type { Delimiter, Newline } from '$lib/domain/sniff';
import type { SourceRecord } from '../record';
import { NEEDS_MORE, NOT_CLOSED, QUOTE, QuoteChains } from './quote-chains';
import { Finder, LineCounter } from './scan-cursors';

export interface SplitterOptions {
	delimiter: Delimiter;
	newline: Newline;
	/** Largest record, in characters, before it is declared malformed. */
	maxRecordChars?: number;
	/** Most lines one record may span before it is declared malformed. */
	maxRecordLines?: number;
}

export const MAX_RECORD_CHARS = 1_000_000;
export const MAX_RECORD_LINES = 10_000;
/** Raw text kept from a malformed record, for the error report. */
const RAW_KEEP = 2000;
const LINE_BREAK = /\r\n|\r|\n/;
/** The same, searched from `lastIndex` (so that a search reads only up to the next break). */
const LINE_BREAK_FROM = /\r\n|\r|\n/g;
const ESCAPED_QUOTE = /""/g;

/** How reading a record from a cell on ended (kept per cell start; see `scan`). */
const OK = 0;
const NEVER_CLOSED = 1;
const CLOSED_LATER = 2;
const OPEN_AT_END = 3;

/** Splits pushed text into records; keeps the unfinished tail for the next push. */
export class RecordSplitter {
	private readonly delimiter: string;
	private readonly newline: string;
	private readonly maxChars: number;
	private readonly maxLines: number;
	/** The line-counting character: `\r` for old Mac files, `\n` otherwise. */
	private readonly lineChar: string;
	private partial = '';
	private rowNo = 0;
	/** Inside an over-long line: drop text up to the next line break. */
	private skipping = false;

	constructor(options: SplitterOptions) {
		this.delimiter = options.delimiter;
		this.newline = options.newline;
		this.lineChar = options.newline === '\r' ? '\r' : '\n';
		this.maxChars = options.maxRecordChars ?? MAX_RECORD_CHARS;
		this.maxLines = options.maxRecordLines ?? MAX_RECORD_LINES;
	}

	/** Records completed by `text`; with `final`, the last record too. */
	push(text: string, final = false): SourceRecord[] {
		const out: SourceRecord[] = [];
		if (this.skipping) {
			const m = LINE_BREAK.exec(text);
			if (!m) return out;
			text = text.slice(m.index + m[0].length);
			this.skipping = false;
		}
		const input = this.partial + text;
		this.partial = '';
		const start = this.scan(input, final, out, 0);
		// `scan` leaves an unfinished record longer than the limit only when it is one line with no
		// break yet: it is set aside and skipped to its end without being held.
		if (input.length - start > this.maxChars) {
			out.push({
				row: ++this.rowNo,
				cells: [input.slice(start, start + RAW_KEEP)],
				error: `The row is longer than ${this.maxChars.toLocaleString('en-US')} characters with no line break, so it was set aside.`
			});
			this.skipping = true;
			return out;
		}
		this.partial = input.slice(start);
		return out;
	}

	/** Records emitted so far. */
	get rowsSeen(): number {
		return this.rowNo;
	}

	/**
	 * Emits the complete records of `input` from `from` and returns where the unfinished one
	 * starts (the input's length when none is left).
	 *
	 * Reading a record from a given cell on always ends the same way, whatever row it started
	 * from. So when a record fails (a quote never closed, closed only after a stray quote on a
	 * later line, or still open at the end of this input), every cell start it passed is marked
	 * with that failure: the records read after its first line is set aside stop as soon as they
	 * reach one of those cells, instead of reading the same text again.
	 */
	private scan(input: string, final: boolean, out: SourceRecord[], from: number): number {
		const { delimiter, newline } = this;
		const len = input.length;
		const chains = new QuoteChains(input, delimiter, newline, final);
		const lines = new LineCounter(input, this.lineChar);
		const delimiters = new Finder(input, delimiter);
		const newlines = new Finder(input, newline);
		let failedAt: Uint8Array | null = null;
		const visited: number[] = [];

		let start = from;
		records: while (start < len) {
			const cells: string[] = [];
			let at = start;
			let fail: number;
			visited.length = 0;
			for (;;) {
				if (failedAt !== null && failedAt[at] !== OK) {
					fail = failedAt[at];
					break;
				}
				visited.push(at);
				if (input.charCodeAt(at) === QUOTE) {
					const { close, stray } = chains.search(at + 1);
					if (close === NEEDS_MORE) {
						fail = OPEN_AT_END;
						break;
					}
					if (close === NOT_CLOSED) {
						fail = NEVER_CLOSED;
						break;
					}
					const n = newlines.next(at);
					if (stray !== -1 && n !== -1 && n < close) {
						fail = CLOSED_LATER;
						break;
					}
					const text = input.slice(at + 1, close);
					cells.push(text.includes('""') ? text.replace(ESCAPED_QUOTE, '"') : text);
					// After the closing quote: optional spaces, then the delimiter, newline or end.
					let k = close + 1;
					while (k < len && !input.startsWith(delimiter, k) && !input.startsWith(newline, k)) k++;
					if (k >= len) {
						out.push({ row: ++this.rowNo, cells });
						return len;
					}
					if (input.startsWith(newline, k)) {
						out.push({ row: ++this.rowNo, cells });
						start = k + newline.length;
						continue records;
					}
					at = k + delimiter.length;
				} else {
					const d = delimiters.next(at);
					const n = newlines.next(at);
					if (d === -1 || (n !== -1 && n < d)) {
						if (n === -1 && !final) {
							fail = OPEN_AT_END;
							break;
						}
						cells.push(n === -1 ? input.slice(at) : input.slice(at, n));
						out.push({ row: ++this.rowNo, cells });
						if (n === -1) return len;
						start = n + newline.length;
						continue records;
					}
					cells.push(input.slice(at, d));
					at = d + delimiter.length;
				}
				// A delimiter ends the input: one more, empty, cell at the end of the file.
				if (at >= len) {
					if (!final) {
						fail = OPEN_AT_END;
						break;
					}
					cells.push('');
					out.push({ row: ++this.rowNo, cells });
					return len;
				}
			}
			failedAt ??= new Uint8Array(len + 1);
			for (const cell of visited) failedAt[cell] = fail;
			if (fail === OPEN_AT_END) {
				// Wait for more text, unless the record is already too long to be one. A single line
				// that long is left to `push` (skipped to its end without being held).
				const tooLong = len - start > this.maxChars;
				if (!tooLong && lines.from(start) <= this.maxLines) return start;
				LINE_BREAK_FROM.lastIndex = start;
				if (tooLong && !LINE_BREAK_FROM.test(input)) return start;
				start = this.setAside(input, start, out, this.limitText(), final);
				continue;
			}
			const why =
				fail === NEVER_CLOSED
					? 'is never closed before the end of the file'
					: 'is closed only on a later line';
			start = this.setAside(input, start, out, why, final);
		}
		return len;
	}

	private limitText(): string {
		return `is not closed within ${this.maxChars.toLocaleString('en-US')} characters or ${this.maxLines.toLocaleString('en-US')} lines`;
	}

	/**
	 * Sets aside the first line of the record at `start` as a malformed record (a quote opened on
	 * it was never closed as a cell) and returns where the next line starts. A line that runs past
	 * the end of this push is skipped to its end in the next one.
	 */
	private setAside(
		input: string,
		start: number,
		out: SourceRecord[],
		why: string,
		final: boolean
	): number {
		LINE_BREAK_FROM.lastIndex = start;
		const m = LINE_BREAK_FROM.exec(input);
		const end = m ? m.index : input.length;
		out.push({
			row: ++this.rowNo,
			cells: [input.slice(start, Math.min(end, start + RAW_KEEP))],
			error: `A quoted cell opens on this row and ${why}; the row was set aside and reading went on with the next line.`
		});
		if (!m && !final) this.skipping = true;
		return m ? end + m[0].length : input.length;
	}
}
