/**
 * Streaming CSV record splitting over decoded text chunks, on papaparse's low-level Parser.
 * The caller decodes bytes (so multi-byte characters split across chunks survive) and pushes text;
 * each push returns the complete records found so far, numbered the way a spreadsheet numbers
 * them: the file's first record is row 1, a blank line is a row, and a quoted cell with line
 * breaks stays one row.
 */
import Papa from 'papaparse';
import type { Delimiter, Newline } from './sniff';

export interface CsvRecord {
	/** 1-based record number in the file (spreadsheet row number). */
	row: number;
	cells: string[];
}

/** A record too large to be real: almost always a quote that is never closed. */
export class UnterminatedRecordError extends Error {
	constructor(
		public readonly row: number,
		limit: number
	) {
		super(
			`Row ${row}: a quoted cell starts here and is not closed within ${Math.round(limit / 1_000_000)} million characters. Check for a stray double quote (") on that row.`
		);
		this.name = 'UnterminatedRecordError';
	}
}

export interface SplitterOptions {
	delimiter: Delimiter;
	newline: Newline;
	/** Largest record (characters) before giving up on it. */
	maxRecordChars?: number;
}

/** Splits pushed text into records; keeps the unfinished tail for the next push. */
export class RecordSplitter {
	private readonly parser: Papa.Parser;
	private readonly maxRecordChars: number;
	private partial = '';
	private rowNo = 0;

	constructor(options: SplitterOptions) {
		this.parser = new Papa.Parser({
			delimiter: options.delimiter,
			newline: options.newline,
			quoteChar: '"'
		});
		this.maxRecordChars = options.maxRecordChars ?? 8_000_000;
	}

	/** Records completed by `text`; with `final`, the last record too. */
	push(text: string, final = false): CsvRecord[] {
		const input = this.partial + text;
		if (input === '') return [];
		const result = this.parser.parse(input, 0, !final) as {
			data: string[][];
			meta: { cursor: number };
		};
		this.partial = final ? '' : input.substring(result.meta.cursor);
		if (this.partial.length > this.maxRecordChars) {
			throw new UnterminatedRecordError(this.rowNo + 1, this.maxRecordChars);
		}
		const records: CsvRecord[] = new Array(result.data.length);
		for (let i = 0; i < result.data.length; i++) {
			records[i] = { row: ++this.rowNo, cells: result.data[i] };
		}
		// A final newline leaves one empty record that no spreadsheet shows: drop it.
		if (final && records.length > 0) {
			const last = records[records.length - 1];
			if (last.cells.length === 1 && last.cells[0] === '' && /[\r\n]$/.test(input)) {
				records.pop();
				this.rowNo--;
			}
		}
		return records;
	}

	/** Records emitted so far. */
	get rowsSeen(): number {
		return this.rowNo;
	}
}
