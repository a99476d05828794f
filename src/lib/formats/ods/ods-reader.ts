/**
 * OpenDocument spreadsheets (`.ods`: LibreOffice, Google Sheets' export): `content.xml` holds
 * every sheet (`<table:table>`), read with the streaming XML scanner in chunks.
 *
 * Rules:
 * - a cell's value is its typed value where it has one: `office:value` for numbers (plain digits,
 *   see sheet/sheet-cells.ts), `office:date-value` as an ISO date, `office:time-value` as
 *   `HH:MM:SS`, `office:boolean-value` as TRUE/FALSE; text cells are their paragraphs joined by
 *   line breaks (`<text:s/>` spaces and tabs kept). A number shown with leading zeros (`0415`, a
 *   number format of fixed width) keeps them;
 * - comments (`office:annotation`) are not cell text;
 * - repeated rows and cells (`number-rows-repeated`, `number-columns-repeated`) count in the row
 *   and column numbers; empty ones create nothing (a sheet ends in a million empty repeated
 *   rows), and a repeated row with content is that many rows, up to the sheet row limit;
 * - a merged cell's covered cells (`table:covered-table-cell`) are empty cells.
 *
 * Rows are numbered per sheet from 1, as the spreadsheet app shows them.
 */
import type { SourceRecord } from '../record';
import {
	MAX_READ_COLUMNS,
	MAX_SHEET_ROWS,
	numberText,
	setCell,
	trimTrailing
} from '../sheet/sheet-cells';
import { feedXml } from '../sheet/sheet-xml';
import { attribute, XmlScanner } from '../sheet/xml-scan';

export interface OdsTable {
	name: string;
	/** The last row with content (the rows a person counts). */
	rows: number;
}

export interface OdsReaderOptions {
	/** The sheet whose rows `push` returns; null: none (only the list of sheets is built). */
	sheet: string | null;
	/** Rows of every sheet kept in `firstRows` (a preview of each); 0 keeps none. */
	keepFirst?: number;
}

/** `PT14H30M05S` → `14:30:05`. */
export function odsTime(value: string): string {
	const m = /^-?P(?:\d+D)?T(\d+)H(\d+)M(\d+(?:\.\d+)?)S$/.exec(value);
	if (!m) return value;
	const two = (n: number) => String(Math.floor(n)).padStart(2, '0');
	return `${two(Number(m[1]))}:${two(Number(m[2]))}:${two(Number(m[3]))}`;
}

export class OdsReader {
	readonly tables: OdsTable[] = [];
	/** The first rows of each sheet, by name (when `keepFirst` is set). */
	readonly firstRows = new Map<string, SourceRecord[]>();
	private readonly scanner: XmlScanner;
	private out: SourceRecord[] = [];
	private table: OdsTable | null = null;
	private tableDepth = 0;
	private rowNumber = 0;
	private rowRepeat = 1;
	private row: string[] | null = null;
	private column = 0;
	private cell: { repeat: number; typed: string | null; type: string } | null = null;
	private text = '';
	private paragraphs = 0;
	private annotation = 0;
	private collecting = false;

	constructor(private readonly options: OdsReaderOptions) {
		this.scanner = new XmlScanner({
			open: (name, raw) => this.open(name, raw),
			close: (name) => this.close(name),
			text: (t) => {
				if (this.collecting) this.text += t;
			}
		});
	}

	push(text: string): SourceRecord[] {
		feedXml(this.scanner, text, 'sheet content');
		const out = this.out;
		this.out = [];
		return out;
	}

	finish(): SourceRecord[] {
		feedXml(this.scanner, null, 'sheet content');
		const out = this.out;
		this.out = [];
		return out;
	}

	private open(name: string, raw: string): void {
		const a = (key: string) => attribute(raw, key);
		switch (name) {
			case 'table:table':
				this.tableDepth++;
				if (this.tableDepth === 1) {
					this.table = { name: a('table:name') ?? `Sheet ${this.tables.length + 1}`, rows: 0 };
					this.tables.push(this.table);
					this.rowNumber = 0;
				}
				return;
			case 'table:table-row':
				if (this.tableDepth !== 1) return;
				this.row = [];
				this.column = 0;
				this.rowRepeat = Math.max(1, Number(a('table:number-rows-repeated') ?? 1) || 1);
				return;
			case 'table:table-cell':
			case 'table:covered-table-cell': {
				if (this.tableDepth !== 1 || !this.row) return;
				const type = a('office:value-type') ?? a('calcext:value-type') ?? '';
				this.cell = {
					repeat: Math.max(1, Number(a('table:number-columns-repeated') ?? 1) || 1),
					type,
					typed: typedValue(type, raw)
				};
				this.text = '';
				this.paragraphs = 0;
				return;
			}
			case 'office:annotation':
				this.annotation++;
				this.collecting = false;
				return;
			case 'text:p':
			case 'text:h':
				if (!this.cell || this.annotation > 0) return;
				if (this.paragraphs++ > 0) this.text += '\n';
				this.collecting = true;
				return;
			case 'text:s':
				if (this.collecting) this.text += ' '.repeat(Math.min(1000, Number(a('text:c') ?? 1) || 1));
				return;
			case 'text:tab':
				if (this.collecting) this.text += '\t';
				return;
			case 'text:line-break':
				if (this.collecting) this.text += '\n';
				return;
		}
	}

	private close(name: string): void {
		switch (name) {
			case 'text:p':
			case 'text:h':
				this.collecting = false;
				return;
			case 'office:annotation':
				this.annotation--;
				return;
			case 'table:table-cell':
			case 'table:covered-table-cell': {
				const cell = this.cell;
				if (!cell || !this.row) return;
				this.cell = null;
				const value = cellValue(cell.type, cell.typed, this.text);
				const end = Math.min(MAX_READ_COLUMNS + 1, this.column + cell.repeat);
				if (value !== '') for (let c = this.column; c < end; c++) setCell(this.row, c, value);
				this.column += cell.repeat;
				return;
			}
			case 'table:table-row': {
				if (this.tableDepth !== 1 || !this.row || !this.table) return;
				const cells = trimTrailing(this.row);
				this.row = null;
				const first = this.rowNumber + 1;
				this.rowNumber += this.rowRepeat;
				if (cells.length === 0) return;
				const last = Math.min(this.rowNumber, MAX_SHEET_ROWS);
				this.table.rows = Math.max(this.table.rows, last);
				const wanted = this.table.name === this.options.sheet;
				const keep = this.options.keepFirst ?? 0;
				let kept = this.firstRows.get(this.table.name);
				if (keep > 0 && !kept) this.firstRows.set(this.table.name, (kept = []));
				for (let r = first; r <= last; r++) {
					if (wanted) this.out.push({ row: r, cells: r === first ? cells : [...cells] });
					if (kept && kept.length < keep) kept.push({ row: r, cells: [...cells] });
					else if (!wanted) break;
				}
				return;
			}
			case 'table:table':
				this.tableDepth--;
				if (this.tableDepth === 0) this.table = null;
				return;
		}
	}
}

function typedValue(type: string, raw: string): string | null {
	const a = (key: string) => attribute(raw, key);
	switch (type) {
		case 'float':
		case 'currency':
		case 'percentage':
			return a('office:value') ?? null;
		case 'date':
			return a('office:date-value') ?? null;
		case 'time':
			return a('office:time-value') ?? null;
		case 'boolean':
			return a('office:boolean-value') ?? null;
		default:
			return null;
	}
}

function cellValue(type: string, typed: string | null, shown: string): string {
	if (typed === null) return shown;
	switch (type) {
		case 'float':
		case 'currency': {
			const digits = numberText(typed);
			// A number shown with leading zeros (a fixed-width number format) keeps them.
			return /^0\d+$/.test(shown.trim()) && Number(shown) === Number(typed) ? shown.trim() : digits;
		}
		case 'percentage': {
			const n = Number(typed);
			return Number.isFinite(n) ? `${numberText(String(n * 100))}%` : shown;
		}
		case 'date':
			return typed.endsWith('T00:00:00') ? typed.slice(0, 10) : typed;
		case 'time':
			return odsTime(typed);
		case 'boolean':
			return typed === 'true' ? 'TRUE' : typed === 'false' ? 'FALSE' : shown;
		default:
			return shown;
	}
}
