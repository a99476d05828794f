/**
 * A worksheet's XML, read in chunks with the streaming scanner so that a sheet of any size is read
 * row by row. Cells come in as a person sees them (see sheet/sheet-cells.ts): formulas as the
 * values the file saved with them, never evaluated; links to other workbooks as those saved values
 * too. Rows are numbered as the sheet numbers them (`<row r>`), so row numbers in the review are
 * the ones the person sees in their spreadsheet app. Element names are read without their
 * namespace prefix (`x:row` is `row`), as some writers use one.
 */
import { attribute, attributesInto, type XmlScanner } from '../sheet/xml-scan';
import { feedXml, xmlScanner } from '../sheet/sheet-xml';
import type { SourceRecord } from '../record';
import {
	columnIndex,
	formatNumber,
	GENERAL,
	MAX_SHEET_ROWS,
	rowOf,
	setCell,
	trimTrailing,
	type CellFormat
} from '../sheet/sheet-cells';
import { unescapeOoxml } from './shared-strings';

const CELL_ATTRIBUTES = ['r', 't', 's'] as const;

export interface SheetContext {
	/** The shared string at an index ('' when the table has none there). */
	string(index: number): string;
	formats: readonly CellFormat[];
	date1904: boolean;
}

/**
 * Reads a worksheet's XML in chunks: `push(text)` returns the rows completed so far as records
 * (cells by column letter, so skipped cells stay empty; empty trailing cells left off; rows with
 * no cells at all left out). `dimension` is the sheet's declared used range, once seen.
 */
export class XlsxSheetReader {
	/** The last row of the declared used range (`<dimension ref="A1:H200">` → 200), when seen. */
	lastRow: number | null = null;
	/** Whether `<sheetData>` has started (rows can only follow). */
	inData = false;
	private readonly scanner: XmlScanner;
	/** A cell's `r`, `t` and `s`, read in one pass (reused for every cell). */
	private readonly cellAttributes: (string | undefined)[] = [];
	private out: SourceRecord[] = [];
	private row: string[] | null = null;
	private rowNumber = 0;
	private column = 0;
	private cellType = 'n';
	private cellStyle = 0;
	private value = '';
	private collecting = false;
	private inInline = false;
	private inPhonetic = 0;
	private ended = false;

	constructor(private readonly context: SheetContext) {
		this.scanner = xmlScanner({
			open: (name, raw) => this.open(name, raw),
			text: (text) => {
				if (this.collecting) this.value += text;
			},
			close: (name) => this.close(name)
		});
	}

	/** Whether the sheet's rows have all been read (`</sheetData>` passed, or the row limit). */
	get done(): boolean {
		return this.ended;
	}

	push(text: string): SourceRecord[] {
		if (!this.ended) feedXml(this.scanner, text, 'sheet');
		const out = this.out;
		this.out = [];
		return out;
	}

	/** Ends the input: a row cut off by the end of the part keeps its cells. */
	finish(): SourceRecord[] {
		if (!this.ended) {
			feedXml(this.scanner, null, 'sheet');
			if (this.row) this.endRow();
		}
		const out = this.out;
		this.out = [];
		return out;
	}

	private open(name: string, raw: string): void {
		switch (name) {
			case 'dimension': {
				const ref = attribute(raw, 'ref') ?? '';
				const last = rowOf(ref.includes(':') ? ref.slice(ref.indexOf(':') + 1) : ref);
				if (last > 0) this.lastRow = last;
				return;
			}
			case 'sheetData':
				this.inData = true;
				return;
			case 'row': {
				const r = Number(attribute(raw, 'r'));
				this.rowNumber = Number.isInteger(r) && r > this.rowNumber ? r : this.rowNumber + 1;
				this.row = [];
				this.column = 0;
				return;
			}
			case 'c': {
				attributesInto(raw, CELL_ATTRIBUTES, this.cellAttributes);
				const a = this.cellAttributes;
				const index = a[0] ? columnIndex(a[0]) : -1;
				this.column = index >= 0 ? index : this.column;
				this.cellType = a[1] ?? 'n';
				this.cellStyle = a[2] ? Number(a[2]) || 0 : 0;
				this.value = '';
				return;
			}
			case 'v':
				this.collecting = this.row !== null;
				return;
			case 'is':
				this.inInline = true;
				return;
			case 'rPh':
				this.inPhonetic++;
				this.collecting = false;
				return;
			case 't':
				this.collecting = this.inInline && this.inPhonetic === 0 && this.row !== null;
				return;
		}
	}

	private close(name: string): void {
		switch (name) {
			case 'v':
			case 't':
				this.collecting = false;
				return;
			case 'is':
				this.inInline = false;
				return;
			case 'rPh':
				this.inPhonetic--;
				return;
			case 'c':
				if (this.row) setCell(this.row, this.column, this.cellText());
				this.column++;
				this.value = '';
				return;
			case 'row':
				this.endRow();
				return;
			case 'sheetData':
				this.ended = true;
				return;
		}
	}

	private endRow(): void {
		const cells = trimTrailing(this.row ?? []);
		this.row = null;
		if (this.rowNumber > MAX_SHEET_ROWS) {
			this.ended = true;
			return;
		}
		if (cells.length > 0) this.out.push({ row: this.rowNumber, cells });
	}

	private cellText(): string {
		const v = this.value;
		switch (this.cellType) {
			case 's': {
				const i = Number(v);
				return Number.isInteger(i) && i >= 0 ? this.context.string(i) : '';
			}
			case 'inlineStr':
				return unescapeOoxml(v);
			case 'str':
				return unescapeOoxml(v);
			case 'b':
				return v === '' ? '' : v === '1' || v === 'true' ? 'TRUE' : 'FALSE';
			case 'e':
				return v;
			case 'd':
				return v.endsWith('T00:00:00') ? v.slice(0, 10) : v;
			default:
				return v === ''
					? ''
					: formatNumber(v, this.context.formats[this.cellStyle] ?? GENERAL, this.context.date1904);
		}
	}
}
