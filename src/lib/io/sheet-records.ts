/**
 * Workbooks as record streams: an `.xlsx`/`.xlsm` or `.ods` is read from its ZIP parts as it
 * inflates (memory stays flat in the sheet's size: one slice, its rows, and the shared text
 * table); a legacy `.xls` (binary BIFF, at most 65,536 rows) is read whole by SheetJS, loaded only
 * when such a file is opened. Each yields the same `RecordChunk`s as a CSV, so review, import,
 * resume and the error report read a sheet exactly as they read a CSV.
 *
 * What a workbook may hold that is never acted on: macros (`vbaProject.bin` is never read, nothing
 * is run), links to other workbooks (their saved values come in), formulas (their saved values
 * come in). Parts past the limits below stop the read with a message instead of filling memory.
 */
import type { CsvRecord } from '$lib/domain/csv-records';
import { OdsReader } from '$lib/domain/ods';
import { classifyFormat, formatNumber, GENERAL, trimTrailing } from '$lib/domain/sheet-cells';
import {
	MAX_SHEET_ROWS,
	parseStyles,
	parseWorkbook,
	parseWorksheetTargets,
	SharedStringsReader,
	SheetError,
	XlsxSheetReader,
	type SheetContext
} from '$lib/domain/xlsx';
import type { RecordChunk } from './record-chunk';
import type { ByteBlob } from './byte-blob';
import {
	blobSource,
	byteSource,
	entryText,
	inflateEntry,
	looksLikeZip,
	readZipDirectory,
	type ByteSource,
	type ZipEntry
} from './zip-reader';

export type SheetFormat = 'xlsx' | 'ods' | 'xls';

export interface SheetInfo {
	name: string;
	/** Rows the sheet uses (its last used row), or null when the file does not say. */
	rows: number | null;
	hidden: boolean;
}

export interface WorkbookInfo {
	format: SheetFormat;
	sheets: SheetInfo[];
	/** Things to know that do not stop the import (macros not run, linked values). */
	notices: string[];
}

/** The most a small part (workbook, relationships, styles) may expand to. */
const PART_LIMIT = 32 * 1024 * 1024;
/** The most a sheet's XML may expand to: about three times a full 1M-row, 20-column sheet. */
const SHEET_LIMIT = 2 * 1024 * 1024 * 1024;
const STRINGS_XML_LIMIT = 512 * 1024 * 1024;
/** Shared texts kept in memory: the strings of a 1M-row sheet fit, a hostile table does not. */
const STRING_LIMITS = { maxStrings: 5_000_000, maxChars: 100_000_000 };
/** A legacy `.xls` is read whole; past this it is not a contact list saved in Excel 97–2003. */
const XLS_LIMIT = 100 * 1024 * 1024;

const CFB = [0xd0, 0xcf, 0x11, 0xe0, 0xa1, 0xb1, 0x1a, 0xe1];

/** What kind of workbook the bytes are, by content (never by name); null for text. */
export async function detectWorkbook(blob: ByteBlob): Promise<SheetFormat | 'zip' | null> {
	const head = new Uint8Array(await blob.slice(0, 8).arrayBuffer());
	if (CFB.every((b, i) => head[i] === b)) return 'xls';
	if (!looksLikeZip(head)) return null;
	const source = blobSource(blob);
	const entries = await readZipDirectory(source);
	if (entries.has('xl/workbook.xml') || findWorkbookPart(entries)) return 'xlsx';
	if (entries.has('content.xml')) {
		const mime = entries.get('mimetype');
		const type = mime ? await entryText(source, mime, 1024) : '';
		if (type === '' || type.includes('spreadsheet')) return 'ods';
	}
	return 'zip';
}

function findWorkbookPart(entries: Map<string, ZipEntry>): string | undefined {
	for (const name of entries.keys()) if (/^[^/]+\/workbook\.xml$/.test(name)) return name;
	return undefined;
}

/** A workbook opened for reading: its sheets, and each sheet's records. */
export interface OpenWorkbook {
	info: WorkbookInfo;
	/** The sheet's records, in chunks, from its first row. */
	records(sheet: string): AsyncGenerator<RecordChunk>;
	/** The sheet's first `count` records, and whether they are all its records. */
	firstRecords(sheet: string, count: number): Promise<{ records: CsvRecord[]; whole: boolean }>;
}

/**
 * Opens a workbook. `list` (the preview's) counts every sheet's rows, which costs a look into each
 * `.xlsx` sheet and a whole pass over an `.ods`; reading one named sheet needs none of it.
 */
export async function openWorkbook(
	blob: ByteBlob,
	format: SheetFormat,
	{ list = true } = {}
): Promise<OpenWorkbook> {
	if (format === 'xls') return openXls(blob);
	const source = await byteSource(blob);
	return format === 'xlsx' ? openXlsx(source, list) : openOds(source, list);
}

/** Reads a sheet's records (`sheet` null: the first sheet with rows), for review and import. */
export async function* readSheetRecords(
	blob: ByteBlob,
	format: SheetFormat,
	sheet: string | undefined
): AsyncGenerator<RecordChunk> {
	// A job always names its sheet; without one, the listing picks it as the preview did.
	const book = await openWorkbook(blob, format, { list: sheet === undefined });
	const name = sheet ?? defaultSheet(book.info);
	if (name === null) return;
	if (format !== 'ods' && !book.info.sheets.some((s) => s.name === name)) {
		throw new SheetError(`The workbook has no sheet named “${name}” any more.`);
	}
	yield* book.records(name);
}

/** The sheet a workbook opens on: the first visible one with rows, else the first. */
export function defaultSheet(info: WorkbookInfo): string | null {
	const visible = info.sheets.filter((s) => !s.hidden);
	return (visible.find((s) => s.rows !== 0) ?? visible[0] ?? info.sheets[0])?.name ?? null;
}

async function openXlsx(blob: ByteSource, list: boolean): Promise<OpenWorkbook> {
	const entries = await readZipDirectory(blob);
	const workbookPath = entries.has('xl/workbook.xml')
		? 'xl/workbook.xml'
		: findWorkbookPart(entries)!;
	const base = workbookPath.slice(0, workbookPath.lastIndexOf('/') + 1);
	const part = (path: string) => entries.get(path);
	const workbook = parseWorkbook(
		await entryText(blob, part(workbookPath)!, PART_LIMIT, 'workbook')
	);
	const relsEntry = part(`${base}_rels/workbook.xml.rels`);
	const targets = relsEntry
		? parseWorksheetTargets(await entryText(blob, relsEntry, PART_LIMIT, 'relationships'), base)
		: new Map<string, string>();
	const stylesEntry = part(`${base}styles.xml`);
	const formats = stylesEntry
		? parseStyles(await entryText(blob, stylesEntry, PART_LIMIT, 'styles'))
		: [];
	const sheets: (SheetInfo & { entry: ZipEntry })[] = [];
	for (const s of workbook.sheets) {
		const path = targets.get(s.rid);
		const entry = path ? part(path) : undefined;
		// Chart sheets, dialog sheets and macro sheets have no rows; they are not offered.
		if (!entry) continue;
		const rows = list ? await xlsxRowCount(blob, entry) : null;
		sheets.push({ name: s.name, hidden: s.hidden, rows, entry });
	}
	const notices: string[] = [];
	const names = [...entries.keys()];
	if (names.some((n) => /vbaProject\.bin$/i.test(n))) {
		notices.push(
			'The workbook contains macros. They are never run: only the values saved in its cells are read.'
		);
	}
	if (names.some((n) => n.startsWith(`${base}externalLinks/`))) {
		notices.push(
			'Some cells link to other workbooks. The values saved in this file are read; the other workbooks are not opened.'
		);
	}
	const stringsEntry = part(`${base}sharedStrings.xml`);
	let strings: string[] | null = null;
	const withStrings = (table: readonly string[]): SheetContext => ({
		string: (i) => table[i] ?? '',
		formats,
		date1904: workbook.date1904
	});
	const context = async (): Promise<SheetContext> => {
		strings ??= stringsEntry ? await readSharedStrings(blob, stringsEntry) : [];
		return withStrings(strings);
	};
	const sheetRecords = async function* (
		sheet: (typeof sheets)[number],
		context: SheetContext
	): AsyncGenerator<RecordChunk> {
		const reader = new XlsxSheetReader(context);
		const decoder = new TextDecoder();
		const what = `sheet “${sheet.name}”`;
		for await (const chunk of inflateEntry(blob, sheet.entry, SHEET_LIMIT, what)) {
			const records = reader.push(decoder.decode(chunk.bytes, { stream: true }));
			yield { records, bytesRead: chunk.read, totalBytes: chunk.total };
			if (reader.done) return;
		}
		const size = sheet.entry.compressedSize;
		const records = [...reader.push(decoder.decode()), ...reader.finish()];
		yield { records, bytesRead: size, totalBytes: size };
	};
	const find = (name: string) => {
		const s = sheets.find((x) => x.name === name);
		if (!s) throw new SheetError(`The workbook has no sheet named “${name}”.`);
		return s;
	};
	const book: OpenWorkbook = {
		info: {
			format: 'xlsx',
			sheets: sheets.map(({ name, rows, hidden }) => ({ name, rows, hidden })),
			notices
		},
		async *records(name) {
			yield* sheetRecords(find(name), await context());
		},
		async firstRecords(name, count) {
			const sheet = find(name);
			if (strings || !stringsEntry) return first(sheetRecords(sheet, await context()), count);
			// The first rows use few shared strings, and near the table's start (writers number
			// them in order of first use): read the rows once to learn the highest index they
			// use, then the table only up to it, then the rows with their text.
			let highest = -1;
			// A placeholder, not '': a row of text cells must still count as a row here.
			const probe: SheetContext = {
				...withStrings([]),
				string: (i) => {
					highest = Math.max(highest, i);
					return '\u0000';
				}
			};
			const probed = await first(sheetRecords(sheet, probe), count);
			if (highest < 0) return probed;
			const some = await readSharedStrings(blob, stringsEntry, highest);
			return first(sheetRecords(sheet, withStrings(some)), count);
		}
	};
	return book;
}

async function first(chunks: AsyncGenerator<RecordChunk>, count: number) {
	const records: CsvRecord[] = [];
	for await (const chunk of chunks) {
		records.push(...chunk.records);
		if (records.length >= count) {
			return { records: records.slice(0, count), whole: false };
		}
	}
	return { records, whole: true };
}

/** The shared strings, all of them or (`upTo`) up to an index. */
async function readSharedStrings(
	blob: ByteSource,
	entry: ZipEntry,
	upTo = Infinity
): Promise<string[]> {
	const reader = new SharedStringsReader(STRING_LIMITS, upTo);
	const decoder = new TextDecoder();
	// Leaving the loop early stops the inflation (for-await returns the generator).
	for await (const { bytes } of inflateEntry(blob, entry, STRINGS_XML_LIMIT, 'shared text table')) {
		reader.push(decoder.decode(bytes, { stream: true }));
		if (reader.full) {
			return reader.strings;
		}
	}
	reader.push(decoder.decode());
	return reader.close();
}

/**
 * A sheet's row count: its declared used range (`<dimension>`, near the start of the part), or,
 * when the writer left it out, the `<row>` elements counted in one pass over the part.
 */
async function xlsxRowCount(blob: ByteSource, entry: ZipEntry): Promise<number | null> {
	const reader = new XlsxSheetReader({ string: () => '', formats: [], date1904: false });
	const decoder = new TextDecoder();

	let count = 0;
	let tail = '';
	let counting = false;
	for await (const { bytes } of inflateEntry(blob, entry, SHEET_LIMIT)) {
		const text = decoder.decode(bytes, { stream: true });
		if (!counting) {
			reader.push(text);
			if (reader.lastRow !== null) {
				return reader.lastRow;
			}
			if (!reader.inData && text.length < 1_000_000) continue;
			counting = true;
		}
		const scan = tail + text;
		count += scan.match(/<(?:[A-Za-z_][\w.-]*:)?row[\s/>]/g)?.length ?? 0;
		// Keep a tail shorter than one tag, so that a tag split between chunks is counted once.
		tail = scan.slice(-12).replace(/^[^<]*/, '');
		if (tail.length > 0 && /<(?:[A-Za-z_][\w.-]*:)?row[\s/>]/.test(tail)) tail = '';
	}
	return counting ? Math.min(count, MAX_SHEET_ROWS) : 0;
}

async function openOds(blob: ByteSource, list: boolean): Promise<OpenWorkbook> {
	const entries = await readZipDirectory(blob);
	const content = entries.get('content.xml');
	if (!content) throw new SheetError('The file is an OpenDocument package with no sheet content.');
	/** One pass over `content.xml`, every sheet's rows going through `reader`. */
	const pass = async function* (reader: OdsReader): AsyncGenerator<RecordChunk> {
		const decoder = new TextDecoder();
		for await (const chunk of inflateEntry(blob, content, SHEET_LIMIT, 'sheet content')) {
			const records = reader.push(decoder.decode(chunk.bytes, { stream: true }));
			yield { records, bytesRead: chunk.read, totalBytes: chunk.total };
		}
		const size = content.compressedSize;
		yield {
			records: [...reader.push(decoder.decode()), ...reader.finish()],
			bytesRead: size,
			totalBytes: size
		};
	};
	// Every sheet's row count needs the whole part: one pass lists them and keeps each sheet's
	// first rows, so that the preview (of any sheet) needs no second pass. Review and import read
	// one named sheet and skip it (it would be a second pass over the whole part).
	const lister = new OdsReader({ sheet: null, keepFirst: PREVIEW_KEEP });
	if (list) for await (const _ of pass(lister)) void _;
	const sheets = lister.tables.map((t) => ({ name: t.name, rows: t.rows, hidden: false }));
	const names = [...entries.keys()];
	const notices = names.some((n) => /^Basic\//.test(n) || /^Scripts\//.test(n))
		? ['The file contains macros. They are never run: only the values saved in its cells are read.']
		: [];
	return {
		info: { format: 'ods', sheets, notices },
		async *records(name) {
			const reader = new OdsReader({ sheet: name });
			yield* pass(reader);
			if (!reader.tables.some((t) => t.name === name)) {
				throw new SheetError(`The workbook has no sheet named “${name}” any more.`);
			}
		},
		async firstRecords(name, count) {
			const rows = lister.firstRows.get(name) ?? [];
			const table = lister.tables.find((t) => t.name === name);
			const whole = rows.length <= count && (table?.rows ?? 0) <= (rows.at(-1)?.row ?? 0);
			return { records: rows.slice(0, count), whole };
		}
	};
}

/** Rows of each sheet the workbook listing keeps for previews (header search and first rows). */
export const PREVIEW_KEEP = 100;

interface XlsCell {
	t: string;
	v?: unknown;
	z?: string | number;
	w?: string;
}

async function openXls(blob: ByteBlob): Promise<OpenWorkbook> {
	if (blob.size > XLS_LIMIT) {
		throw new SheetError(
			`The .xls workbook is ${Math.round(blob.size / 1e6)} MB, more than the ${XLS_LIMIT / 1024 / 1024} MB this app reads in that old format. Save it as .xlsx or CSV and import that instead.`
		);
	}
	const XLSX = await import('@e965/xlsx');
	let book: ReturnType<typeof XLSX.read>;
	try {
		book = XLSX.read(new Uint8Array(await blob.arrayBuffer()), {
			type: 'array',
			dense: true,
			cellNF: true,
			cellDates: false,
			cellFormula: false,
			cellHTML: false,
			cellStyles: false,
			bookVBA: false
		});
	} catch (e) {
		const message = e instanceof Error ? e.message : String(e);
		throw new SheetError(
			/password|encrypt/i.test(message)
				? 'The workbook is password-protected. Remove the password in your spreadsheet app, save, and choose the file again.'
				: `The file looks like an Excel 97–2003 workbook (.xls) but cannot be read: ${message}. Save it as .xlsx or CSV and try again.`
		);
	}
	const date1904 = Boolean(book.Workbook?.WBProps?.date1904);
	const rowsOf = (name: string): CsvRecord[] => {
		const sheet = book.Sheets[name] as { '!data'?: (XlsCell | undefined)[][] } | undefined;
		const data = sheet?.['!data'] ?? [];
		const records: CsvRecord[] = [];
		for (let r = 0; r < data.length && r < MAX_SHEET_ROWS; r++) {
			const row = data[r];
			if (!row) continue;
			const cells = trimTrailing(row.map((cell) => (cell ? xlsCellText(cell, date1904) : '')));
			if (cells.length > 0) records.push({ row: r + 1, cells });
		}
		return records;
	};
	const cache = new Map<string, CsvRecord[]>();
	const rows = (name: string) => {
		let r = cache.get(name);
		if (!r) cache.set(name, (r = rowsOf(name)));
		return r;
	};
	const sheets = book.SheetNames.map((name, i) => ({
		name,
		rows: rows(name).at(-1)?.row ?? 0,
		hidden: (book.Workbook?.Sheets?.[i]?.Hidden ?? 0) > 0
	}));
	return {
		info: { format: 'xls', sheets, notices: [] },
		async *records(name) {
			const all = rows(name);
			const step = 5000;
			for (let i = 0; i < all.length; i += step) {
				yield {
					records: all.slice(i, i + step),
					bytesRead: Math.min(all.length, i + step),
					totalBytes: all.length
				};
			}
		},
		async firstRecords(name, count) {
			const all = rows(name);
			return { records: all.slice(0, count), whole: all.length <= count };
		}
	};
}

function xlsCellText(cell: XlsCell, date1904: boolean): string {
	switch (cell.t) {
		case 'n': {
			const code = typeof cell.z === 'string' ? cell.z : undefined;
			const format = code && code !== 'General' ? classifyFormat(-1, code) : GENERAL;
			return formatNumber(String(cell.v), format, date1904);
		}
		case 'b':
			return cell.v ? 'TRUE' : 'FALSE';
		case 'e':
			return cell.w ?? '#ERROR';
		case 's':
		case 'str':
			return typeof cell.v === 'string' ? cell.v : String(cell.v ?? '');
		default:
			return cell.w ?? (cell.v === undefined ? '' : String(cell.v));
	}
}
