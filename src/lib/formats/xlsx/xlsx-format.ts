/**
 * Excel workbooks (`.xlsx`, `.xlsm`: Office Open XML), a ZIP archive of XML parts, read as they
 * inflate so that memory stays flat in the sheet's size (one slice, its rows, and the shared text
 * table):
 * - `workbook.xml`, its relationships and `styles.xml` (workbook-parts.ts): the sheets and each
 *   cell style's number format;
 * - `sharedStrings.xml` (shared-strings.ts): the text cells point into it by index;
 * - each worksheet (sheet-reader.ts), read row by row.
 * Macros (`vbaProject.bin`) are never read; the preview says that the workbook has them, and
 * that it links to other workbooks when it does.
 */
import { m } from '$lib/paraglide/messages';
import {
	byteSource,
	entryText,
	inflateEntry,
	readZipDirectory,
	type ByteSource,
	type ZipEntry
} from '$lib/io/zip-reader';
import type { RecordChunk } from '../record';
import { MAX_SHEET_ROWS } from '../sheet/sheet-cells';
import { SheetError } from '../sheet/sheet-xml';
import {
	firstOf,
	SHEET_LIMIT,
	workbookFormat,
	type OpenWorkbook,
	type WorkbookFormat
} from '../sheet/workbook';
import type { SheetInfo } from '../preview';
import { SharedStringsReader } from './shared-strings';
import { XlsxSheetReader, type SheetContext } from './sheet-reader';
import { parseStyles, parseWorkbook, parseWorksheetTargets } from './workbook-parts';

/** The most a small part (workbook, relationships, styles) may expand to. */
const PART_LIMIT = 32 * 1024 * 1024;
const STRINGS_XML_LIMIT = 512 * 1024 * 1024;
/** Shared texts kept in memory: the strings of a 1M-row sheet fit, a hostile table does not. */
const STRING_LIMITS = { maxStrings: 5_000_000, maxChars: 100_000_000 };

/** The workbook part: `xl/workbook.xml`, or a writer's own folder for it. */
function workbookPart(entries: Map<string, ZipEntry>): string | undefined {
	if (entries.has('xl/workbook.xml')) return 'xl/workbook.xml';
	for (const name of entries.keys()) if (/^[^/]+\/workbook\.xml$/.test(name)) return name;
	return undefined;
}

export const xlsxFormat: WorkbookFormat = workbookFormat({
	id: 'xlsx',
	async detect(head) {
		const zip = await head.zip();
		return zip !== null && workbookPart(zip.entries) !== undefined;
	},
	open: async (blob, { list = true } = {}) => openXlsx(await byteSource(blob), list)
});

async function openXlsx(blob: ByteSource, list: boolean): Promise<OpenWorkbook> {
	const entries = await readZipDirectory(blob);
	const workbookPath = workbookPart(entries);
	if (!workbookPath) throw new SheetError(m.xlsx_no_workbook());
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
		notices.push(m.notice_macros());
	}
	if (names.some((n) => n.startsWith(`${base}externalLinks/`))) {
		notices.push(m.notice_external_links());
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
		if (!s) throw new SheetError(m.sheet_missing({ name }));
		return s;
	};
	return {
		info: { sheets: sheets.map(({ name, rows, hidden }) => ({ name, rows, hidden })), notices },
		named: true,
		async *records(name) {
			yield* sheetRecords(find(name), await context());
		},
		async firstRecords(name, count) {
			const sheet = find(name);
			if (strings || !stringsEntry) return firstOf(sheetRecords(sheet, await context()), count);
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
			const probed = await firstOf(sheetRecords(sheet, probe), count);
			if (highest < 0) return probed;
			const some = await readSharedStrings(blob, stringsEntry, highest);
			return firstOf(sheetRecords(sheet, withStrings(some)), count);
		}
	};
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
		if (reader.full) return reader.strings;
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
			if (reader.lastRow !== null) return reader.lastRow;
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
