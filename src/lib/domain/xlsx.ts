/**
 * The parts of an Excel workbook (`.xlsx`, `.xlsm`: Office Open XML) that hold contacts, read
 * with a streaming XML scanner (xml-scan.ts) so that a sheet of any size is read row by row:
 * - `workbook.xml`: the sheets, in tab order, with their names and whether they are hidden, and
 *   whether dates count from 1904;
 * - its relationships: which part holds which sheet (chart and macro sheets are not worksheets);
 * - `styles.xml`: each cell style's number format (a date, a percent, leading zeros);
 * - `sharedStrings.xml`: the text cells point into it by index;
 * - a worksheet: `XlsxSheetReader` takes its text in chunks and returns the rows completed so far.
 *
 * Cells come in as a person sees them (see sheet-cells.ts). Formulas come in as the values the
 * file saved with them, never evaluated; links to other workbooks are those saved values too.
 * Rows are numbered as the sheet numbers them (`<row r>`), so row numbers in the review are the
 * ones the person sees in their spreadsheet app. Every element name is read without its
 * namespace prefix (`x:row` is `row`), as some writers use one.
 */
import {
	attribute,
	attributes,
	attributesInto,
	XmlError,
	XmlScanner,
	type XmlHandlers
} from './xml-scan';
import type { CsvRecord } from './csv-records';
import {
	classifyFormat,
	columnIndex,
	formatNumber,
	GENERAL,
	rowOf,
	setCell,
	trimTrailing,
	type CellFormat
} from './sheet-cells';

/** Excel's row limit: a sheet never has more rows, so rows numbered past it are not read. */
export const MAX_SHEET_ROWS = 1_048_576;
const CELL_ATTRIBUTES = ['r', 't', 's'] as const;

export interface WorkbookSheet {
	name: string;
	/** Relationship id of the sheet's part. */
	rid: string;
	hidden: boolean;
}

export interface Workbook {
	sheets: WorkbookSheet[];
	date1904: boolean;
}

const local = (name: string) => name.slice(name.indexOf(':') + 1);

/** A scanner whose handlers get element names without their namespace prefix. */
export function xmlScanner(h: XmlHandlers): XmlScanner {
	return new XmlScanner(h, { localNames: true });
}

const NO_TEXT = () => undefined;

/** A problem with the workbook's content, worded for people. */
export class SheetError extends Error {
	override name = 'SheetError';
}

/**
 * Feeds text to a scanner. Malformed XML becomes a `SheetError` naming the part; an error thrown
 * by a handler (a limit) passes through as it is.
 */
export function feedXml(scanner: XmlScanner, text: string | null, part: string): void {
	try {
		if (text === null) scanner.close();
		else scanner.write(text);
	} catch (e) {
		if (e instanceof XmlError) {
			throw new SheetError(
				`The workbook is damaged: its ${part} is not well-formed XML (${e.message}).`
			);
		}
		throw e;
	}
}

/** Scans a whole (small) document, calling `open` for each element. */
function eachElement(
	xml: string,
	part: string,
	open: (name: string, attributes: Record<string, string>) => void
): void {
	const scanner = xmlScanner({
		open: (name, raw) => open(name, attributes(raw)),
		text: NO_TEXT,
		close: NO_TEXT
	});
	feedXml(scanner, xml, part);
	feedXml(scanner, null, part);
}

/** An attribute by its local name (`r:id` and `id` alike). */
function attr(attributes: Record<string, string>, name: string): string | undefined {
	if (name in attributes) return attributes[name];
	for (const key in attributes) if (local(key) === name) return attributes[key];
	return undefined;
}

export function parseWorkbook(xml: string): Workbook {
	const sheets: WorkbookSheet[] = [];
	let date1904 = false;
	eachElement(xml, 'workbook', (name, a) => {
		if (name === 'sheet') {
			const rid = attr(a, 'id');
			if (rid !== undefined) {
				sheets.push({
					name: a.name ?? `Sheet ${sheets.length + 1}`,
					rid,
					hidden: a.state === 'hidden' || a.state === 'veryHidden'
				});
			}
		} else if (name === 'workbookPr') {
			date1904 = a.date1904 === '1' || a.date1904 === 'true';
		}
	});
	return { sheets, date1904 };
}

/** Relationship id → target part path, for worksheets only, resolved against `base` (`xl/`). */
export function parseWorksheetTargets(xml: string, base: string): Map<string, string> {
	const targets = new Map<string, string>();
	eachElement(xml, 'relationships', (name, a) => {
		if (name !== 'Relationship' || !a.Id || !a.Target || a.TargetMode === 'External') return;
		if (!/\/worksheet$/.test(a.Type ?? '')) return;
		targets.set(a.Id, resolvePart(base, a.Target));
	});
	return targets;
}

function resolvePart(base: string, target: string): string {
	const parts = (target.startsWith('/') ? target.slice(1) : base + target).split('/');
	const out: string[] = [];
	for (const p of parts) {
		if (p === '..') out.pop();
		else if (p !== '.' && p !== '') out.push(p);
	}
	return out.join('/');
}

/** Each cell style's number format, by the style's index (`<c s="3">`). */
export function parseStyles(xml: string): CellFormat[] {
	const codes = new Map<number, string>();
	const formats: CellFormat[] = [];
	let inCellXfs = false;
	const scanner = xmlScanner({
		open(name, raw) {
			const a = name === 'numFmt' || name === 'xf' ? attributes(raw) : {};
			if (name === 'numFmt' && a.numFmtId !== undefined && a.formatCode !== undefined) {
				codes.set(Number(a.numFmtId), a.formatCode);
			} else if (name === 'cellXfs') inCellXfs = true;
			else if (name === 'xf' && inCellXfs) {
				const id = Number(a.numFmtId ?? 0);
				formats.push(classifyFormat(id, codes.get(id)));
			}
		},
		text: NO_TEXT,
		close(name) {
			if (name === 'cellXfs') inCellXfs = false;
		}
	});
	feedXml(scanner, xml, 'styles');
	feedXml(scanner, null, 'styles');
	return formats;
}

/** OOXML escapes characters XML cannot hold as `_xHHHH_` (`_x000D_` is a carriage return). */
export function unescapeOoxml(text: string): string {
	if (!text.includes('_x')) return text;
	return text.replace(/_x([0-9A-Fa-f]{4})_/g, (_, hex: string) =>
		String.fromCharCode(parseInt(hex, 16))
	);
}

/** Limits on the shared strings a workbook may hold (a hostile table cannot fill the memory). */
export interface SharedStringLimits {
	maxStrings: number;
	maxChars: number;
}

/**
 * Reads `sharedStrings.xml` in chunks. Each `<si>` is one string: its `<t>` text, or the runs of
 * rich text (`<r><t>`) joined; phonetic guides (`<rPh>`) are not part of the text.
 */
export class SharedStringsReader {
	readonly strings: string[] = [];
	private readonly scanner: XmlScanner;
	/** Whether every string wanted is read (`upTo`): the rest of the table need not be. */
	full = false;
	private chars = 0;
	private current = '';
	private inT = false;
	private inPhonetic = 0;

	/** `upTo`: the highest index wanted (a preview needs only the strings its first rows use). */
	constructor(limits: SharedStringLimits, upTo = Infinity) {
		this.scanner = xmlScanner({
			open: (name) => {
				if (name === 't') this.inT = this.inPhonetic === 0;
				else if (name === 'rPh') this.inPhonetic++;
				else if (name === 'si') this.current = '';
			},
			text: (text) => {
				if (this.inT) this.current += text;
			},
			close: (name) => {
				if (name === 't') this.inT = false;
				else if (name === 'rPh') this.inPhonetic--;
				else if (name === 'si') {
					this.chars += this.current.length;
					if (this.strings.length >= limits.maxStrings || this.chars > limits.maxChars) {
						throw new SheetError(
							`The workbook's shared text table holds more than ${limits.maxStrings.toLocaleString('en-US')} texts or ${Math.round(limits.maxChars / 1e6)} million characters, more than this app keeps in memory. Save the sheet as CSV and import that instead.`
						);
					}
					this.strings.push(unescapeOoxml(this.current));
					this.current = '';
					if (this.strings.length > upTo) this.full = true;
				}
			}
		});
	}

	push(text: string): void {
		feedXml(this.scanner, text, 'shared text table');
	}

	close(): string[] {
		feedXml(this.scanner, null, 'shared text table');
		return this.strings;
	}
}

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
	private out: CsvRecord[] = [];
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

	push(text: string): CsvRecord[] {
		if (!this.ended) feedXml(this.scanner, text, 'sheet');
		const out = this.out;
		this.out = [];
		return out;
	}

	/** Ends the input: a row cut off by the end of the part keeps its cells. */
	finish(): CsvRecord[] {
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
