/**
 * The Upload step's preview: reads only the first bytes of the file (whatever its size), detects
 * encoding, line ending, delimiter and header row, and returns headers, the first data rows and
 * sample values per column. Problems that stop an import here come back as `problem`, a message
 * for people, never as a crash.
 */
import { RecordSplitter, type CsvRecord } from '$lib/domain/csv-records';
import { uniqueHeaders } from '$lib/domain/headers';
import type { FileFormat } from '$lib/domain/import-job';
import {
	defaultSheet,
	detectWorkbook,
	openWorkbook,
	PREVIEW_KEEP,
	type SheetFormat,
	type SheetInfo
} from '$lib/io/sheet-records';
import { ZipError } from '$lib/io/zip-reader';
import { SheetError } from '$lib/domain/xlsx';
import { looksLikeVCard, VCardSplitter } from '$lib/domain/vcard';
import { isBlankRecord } from '$lib/domain/row-rules';
import {
	detectDelimiter,
	detectEncoding,
	detectHeaderRow,
	detectNewline,
	looksBinary,
	type Delimiter,
	type Encoding,
	type Newline
} from '$lib/domain/sniff';

export const PREVIEW_BYTES = 512 * 1024;
/** The most the preview reads while looking for a first complete row. */
export const MAX_PREVIEW_BYTES = 8 * 1024 * 1024;
export const PREVIEW_ROWS = 20;
/** Columns beyond this are not offered for mapping (a header of 100,000 cells is not a contact list). */
export const MAX_COLUMNS = 500;
/** Records looked at to find the header row. */
const HEADER_SCAN_RECORDS = 60;

export interface PreviewOverrides {
	/** A workbook's sheet, by name. */
	sheet?: string;
	headerRow?: number;
	encoding?: Encoding;
	delimiter?: Delimiter;
}

export interface PreviewResult {
	format: FileFormat;
	fileName: string;
	fileSize: number;
	encoding: Encoding;
	bom: boolean;
	delimiter: Delimiter;
	newline: Newline;
	/** 1-based row number of the header row in use. */
	headerRow: number;
	detectedHeaderRow: number;
	headers: string[];
	/** The first data rows after the header (blank lines left out). */
	rows: CsvRecord[];
	/** Up to three distinct non-empty values per column, from the preview rows. */
	samples: string[][];
	/** Whether the preview read the whole file. */
	wholeFile: boolean;
	/** A message that stops the import at this step, or null. */
	problem: string | null;
	/** Something to know that does not stop the import (e.g. columns beyond the cap), or null. */
	notice: string | null;
	/** Cells in the header row, before the cap (rows may have as many without being malformed). */
	columns: number;
	/** A workbook's sheets (empty for text files), and the one read. */
	sheets: SheetInfo[];
	sheet?: string;
}

/** A preview of a file with nothing read yet: the defaults every detection starts from. */
export function emptyPreview(fileName: string, fileSize: number): PreviewResult {
	return {
		format: 'csv',
		fileName,
		fileSize,
		encoding: 'utf-8',
		bom: false,
		delimiter: ',',
		newline: '\n',
		headerRow: 1,
		detectedHeaderRow: 1,
		headers: [],
		rows: [],
		samples: [],
		wholeFile: true,
		problem: null,
		notice: null,
		columns: 0,
		sheets: []
	};
}

/** Builds the preview of `file`. */
export async function previewFile(
	file: File,
	overrides: PreviewOverrides = {}
): Promise<PreviewResult> {
	const base = emptyPreview(file.name, file.size);
	if (file.size === 0) {
		return {
			...base,
			problem:
				'The file is empty (0 bytes). Choose a CSV file with a header row and at least one contact.'
		};
	}
	const workbook = await detectWorkbook(file).catch((e: unknown) => {
		if (e instanceof ZipError) return e;
		throw e;
	});
	if (workbook instanceof ZipError)
		return { ...base, problem: `“${file.name}”: ${workbook.message}` };
	if (workbook === 'zip') {
		return {
			...base,
			problem: `“${file.name}” is a ZIP archive but not a spreadsheet. Choose a CSV, Excel (.xlsx, .xls), OpenDocument (.ods) or contact card (.vcf) file.`
		};
	}
	if (workbook) return previewWorkbook(file, workbook, overrides);
	// Read the start of the file; read more (up to MAX_PREVIEW_BYTES) only while not even one
	// complete row has been found (a very wide header, a long preamble cell).
	let limit = PREVIEW_BYTES;
	for (;;) {
		const wholeFile = file.size <= limit;
		const bytes = new Uint8Array(await file.slice(0, limit).arrayBuffer());
		const detected = detectEncoding(bytes, wholeFile);
		const encoding = overrides.encoding ?? detected.encoding;
		const text = new TextDecoder(encoding).decode(bytes, { stream: !wholeFile });
		if (looksBinary(text)) {
			return {
				...base,
				encoding,
				wholeFile,
				problem: `“${file.name}” is not a CSV text file: it contains binary data. Open it in your spreadsheet app and export it as CSV.`
			};
		}
		const newline = detectNewline(text);
		const vcard = looksLikeVCard(text);
		// Cards have fixed columns: no delimiter to choose, and the header is always row 1.
		const delimiter = vcard ? ',' : (overrides.delimiter ?? detectDelimiter(text));
		const records = vcard
			? new VCardSplitter().push(text, wholeFile)
			: new RecordSplitter({ delimiter, newline }).push(text, wholeFile);
		const format = vcard ? ('vcard' as const) : ('csv' as const);
		const common = { ...base, format, encoding, bom: detected.bom, delimiter, newline, wholeFile };
		if (vcard) overrides = { ...overrides, headerRow: 1 };
		const found = vcard
			? records.length > 1
			: records.some((r) => !isBlankRecord(r.cells) && !r.error);
		if (!found && !wholeFile && limit < MAX_PREVIEW_BYTES) {
			limit *= 4;
			continue;
		}
		if (!found) {
			return {
				...common,
				problem: vcard
					? 'The file starts like phone contact cards (vCard) but holds no complete card.'
					: wholeFile
						? 'The file has no rows, only blank lines.'
						: `No complete row was found in the first ${Math.round(limit / 1e6)} MB of the file: it has no line breaks where a CSV file has them. Check that it is a CSV file.`
			};
		}
		return withHeader(common, records, overrides);
	}
}

/** The preview of a workbook's sheet: the chosen one, or the first visible one with rows. */
async function previewWorkbook(
	file: File,
	format: SheetFormat,
	overrides: PreviewOverrides
): Promise<PreviewResult> {
	const base = { ...emptyPreview(file.name, file.size), format };
	try {
		const book = await openWorkbook(file, format);
		const sheet =
			overrides.sheet !== undefined && book.info.sheets.some((s) => s.name === overrides.sheet)
				? overrides.sheet
				: defaultSheet(book.info);
		const common: PreviewResult = {
			...base,
			sheets: book.info.sheets,
			notice: book.info.notices.join(' ') || null
		};
		if (sheet === null) return { ...common, problem: 'The workbook has no sheets.' };
		const { records, whole } = await book.firstRecords(sheet, PREVIEW_KEEP);
		const withSheet = { ...common, sheet, wholeFile: whole };
		if (records.length === 0) {
			return {
				...withSheet,
				problem:
					book.info.sheets.length > 1
						? `The sheet “${sheet}” is empty. Choose another sheet.`
						: `The sheet “${sheet}” is empty: the workbook has no rows to import.`
			};
		}
		const result = withHeader(withSheet, records, overrides);
		const notices = [common.notice, result.notice].filter(Boolean);
		return { ...result, notice: notices.length > 0 ? notices.join(' ') : null };
	} catch (e) {
		if (e instanceof ZipError || e instanceof SheetError) {
			return { ...base, problem: `“${file.name}” cannot be read: ${e.message}` };
		}
		throw e;
	}
}

function withHeader(
	common: PreviewResult,
	records: CsvRecord[],
	overrides: PreviewOverrides
): PreviewResult {
	const detectedIndex = detectHeaderRow(records.slice(0, HEADER_SCAN_RECORDS).map((r) => r.cells));
	const detectedHeaderRow = records[detectedIndex].row;
	const headerRow = overrides.headerRow ?? detectedHeaderRow;
	const headerRecord = records.find((r) => r.row === headerRow);
	if (!headerRecord) {
		return {
			...common,
			detectedHeaderRow,
			headerRow,
			problem: `Row ${headerRow} cannot be the header row: the preview has rows 1 to ${records[records.length - 1].row}.`
		};
	}
	if (isBlankRecord(headerRecord.cells)) {
		return {
			...common,
			detectedHeaderRow,
			headerRow,
			problem: `Row ${headerRow} is blank and cannot be the header row.`
		};
	}
	const columns = headerRecord.cells.length;
	const headers = uniqueHeaders(headerRecord.cells.slice(0, MAX_COLUMNS));
	const notice =
		columns > MAX_COLUMNS
			? `The header row has ${columns.toLocaleString('en-US')} columns; only the first ${MAX_COLUMNS} can be mapped and imported. The others are ignored.`
			: null;
	const rows: CsvRecord[] = [];
	for (const r of records) {
		if (r.row > headerRow && !isBlankRecord(r.cells)) rows.push(r);
		if (rows.length >= PREVIEW_ROWS) break;
	}
	const samples = headers.map((_, i) => {
		const seen: string[] = [];
		for (const r of rows) {
			const v = (r.cells[i] ?? '').trim();
			if (v && !seen.includes(v)) seen.push(v.length > 60 ? `${v.slice(0, 57)}…` : v);
			if (seen.length >= 3) break;
		}
		return seen;
	});
	const problem =
		rows.length > 0 || !common.wholeFile
			? null
			: common.format === 'vcard'
				? 'The file has no contact cards with a name, phone or other field.'
				: common.sheet !== undefined
					? `The sheet “${common.sheet}” has a header row (row ${headerRow}) but no contacts below it.`
					: `The file has a header row (row ${headerRow}) but no contacts below it.`;
	return {
		...common,
		detectedHeaderRow,
		headerRow,
		headers,
		rows,
		samples,
		problem,
		notice,
		columns
	};
}
