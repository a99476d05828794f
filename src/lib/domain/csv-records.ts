/**
 * Streaming CSV record splitting over decoded text chunks, on papaparse's low-level Parser.
 * The caller decodes bytes (so multi-byte characters split across chunks survive) and pushes text;
 * each push returns the complete records found so far, numbered the way a spreadsheet numbers
 * them: the file's first record is row 1, a blank line is a row, and a quoted cell with line
 * breaks stays one row.
 *
 * Malformed input never hangs or swallows the file:
 * - A quote that is never closed (by the end of the file, or within `maxRecordChars` characters or
 *   `maxRecordLines` lines) makes its first line one malformed record (`error` set); reading goes
 *   on with the next line, so the rows after it are kept.
 * - A line longer than `maxRecordChars` with no line break is one malformed record; its text is
 *   skipped up to the next line break without being held in memory.
 */
import Papa from 'papaparse';
import type { Delimiter, Newline } from './sniff';

export interface CsvRecord {
	/** 1-based record number in the file (spreadsheet row number). */
	row: number;
	cells: string[];
	/** Set on a malformed record: why it could not be read. Its `cells` hold its raw start. */
	error?: string;
}

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

/** Splits pushed text into records; keeps the unfinished tail for the next push. */
export class RecordSplitter {
	private readonly parser: Papa.Parser;
	private readonly config: Papa.ParseConfig;
	private readonly maxChars: number;
	private readonly maxLines: number;
	private partial = '';
	private rowNo = 0;
	/** Inside an over-long line: drop text up to the next line break. */
	private skipping = false;

	constructor(options: SplitterOptions) {
		this.config = { delimiter: options.delimiter, newline: options.newline, quoteChar: '"' };
		this.parser = new Papa.Parser(this.config);
		this.maxChars = options.maxRecordChars ?? MAX_RECORD_CHARS;
		this.maxLines = options.maxRecordLines ?? MAX_RECORD_LINES;
	}

	/** Records completed by `text`; with `final`, the last record too. */
	push(text: string, final = false): CsvRecord[] {
		const out: CsvRecord[] = [];
		if (this.skipping) {
			const m = LINE_BREAK.exec(text);
			if (!m) return out;
			text = text.slice(m.index + m[0].length);
			this.skipping = false;
		}
		let input = this.partial + text;
		this.partial = '';
		for (;;) {
			const result = this.parse(input, !final);
			const bad = this.firstStrayQuote(result);
			if (bad !== -1) {
				// A stray quote: keep the rows before it, set its first line aside, re-read the rest.
				this.emit(result.data.slice(0, bad), out);
				const from = this.startOfRecord(input, bad);
				const missing = result.errors.some((e) => e.code === 'MissingQuotes' && e.row === bad);
				input = this.setAside(
					input.slice(from),
					out,
					missing ? 'is never closed before the end of the file' : 'is closed only on a later line'
				);
				continue;
			}
			if (final) {
				// A final line break leaves one empty record that no spreadsheet shows.
				const data = result.data;
				const last = data[data.length - 1];
				if (last && last.length === 1 && last[0] === '' && /[\r\n]$/.test(input)) data.pop();
				this.emit(data, out);
				break;
			}
			this.emit(result.data, out);
			let rest = input.substring(result.meta.cursor);
			if (this.tooBig(rest)) {
				const m = LINE_BREAK.exec(rest);
				if (!m) {
					this.rowNo++;
					out.push({
						row: this.rowNo,
						cells: [rest.slice(0, RAW_KEEP)],
						error: `The row is longer than ${this.maxChars.toLocaleString('en-US')} characters with no line break, so it was set aside.`
					});
					this.skipping = true;
					rest = '';
				} else {
					input = this.setAside(rest, out, this.limitText());
					continue;
				}
			}
			this.partial = rest;
			break;
		}
		return out;
	}

	/** Records emitted so far. */
	get rowsSeen(): number {
		return this.rowNo;
	}

	private parse(input: string, ignoreLastRow: boolean) {
		if (input === '')
			return {
				data: [] as string[][],
				errors: [] as { code: string; row?: number }[],
				meta: { cursor: 0 }
			};
		return this.parser.parse(input, 0, ignoreLastRow) as {
			data: string[][];
			errors: { code: string; row?: number }[];
			meta: { cursor: number };
		};
	}

	/**
	 * Index of the first record whose quote is stray: never closed, or closed on a later line and
	 * followed by text (papaparse's InvalidQuotes) so that it swallowed line breaks. -1 if none.
	 */
	private firstStrayQuote(result: {
		data: string[][];
		errors: { code: string; row?: number }[];
	}): number {
		for (const e of result.errors) {
			if (e.row === undefined) continue;
			if (e.code === 'MissingQuotes') return e.row;
			if (e.code === 'InvalidQuotes') {
				const record = result.data[e.row];
				if (record?.some((cell) => cell.includes('\n') || cell.includes('\r'))) return e.row;
			}
		}
		return -1;
	}

	/** Character offset in `input` where record `index` starts. */
	private startOfRecord(input: string, index: number): number {
		if (index === 0) return 0;
		const counter = new Papa.Parser({ ...this.config, preview: index });
		return (counter.parse(input, 0, false) as { meta: { cursor: number } }).meta.cursor;
	}

	private emit(data: string[][], out: CsvRecord[]): void {
		for (const cells of data) out.push({ row: ++this.rowNo, cells });
	}

	private tooBig(rest: string): boolean {
		if (rest.length > this.maxChars) return true;
		if (rest.length < this.maxLines) return false;
		let lines = 0;
		for (let i = rest.indexOf('\n'); i !== -1; i = rest.indexOf('\n', i + 1)) {
			if (++lines > this.maxLines) return true;
		}
		return false;
	}

	private limitText(): string {
		return `is not closed within ${this.maxChars.toLocaleString('en-US')} characters or ${this.maxLines.toLocaleString('en-US')} lines`;
	}

	/**
	 * Sets aside the first line of `rest` as a malformed record (a quote opened on it and never
	 * closed) and returns the text after that line, to be read again as ordinary rows.
	 */
	private setAside(rest: string, out: CsvRecord[], why: string): string {
		const m = LINE_BREAK.exec(rest);
		const line = m ? rest.slice(0, m.index) : rest;
		out.push({
			row: ++this.rowNo,
			cells: [line.slice(0, RAW_KEEP)],
			error: `A quoted cell opens on this row and ${why}; the row was set aside and reading went on with the next line.`
		});
		return m ? rest.slice(m.index + m[0].length) : '';
	}
}
