/**
 * What the Upload step shows of a file, whatever its format: headers, the first data rows and
 * sample values per column, and a `problem` (a message for people) when the file cannot be
 * imported. Every format's preview reads only the start of its file and ends in `withHeader`, so
 * the header row is detected, overridden and capped by the same rules for all of them.
 */
import { m } from '$lib/paraglide/messages';
import { formatNumber } from '$lib/format';
import { uniqueHeaders } from '$lib/domain/headers';
import type { FileFormat } from '$lib/domain/import-job';
import { isBlankRecord } from '$lib/domain/row-rules';
import { detectHeaderRow, type Delimiter, type Encoding, type Newline } from '$lib/domain/sniff';
import type { SourceRecord } from './record';

/** The start of a file that detection looks at and a text preview reads first. */
export const PREVIEW_BYTES = 512 * 1024;
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

/** A workbook's sheet as the `Sheet` select lists it. */
export interface SheetInfo {
	name: string;
	/** Rows the sheet uses (its last used row), or null when the file does not say. */
	rows: number | null;
	hidden: boolean;
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
	rows: SourceRecord[];
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

/**
 * The preview of the first `records` (at least one) under `common`: the header row (detected, or
 * the override), its headers (uniqued, capped at MAX_COLUMNS), the data rows below it, samples.
 */
export function withHeader(
	common: PreviewResult,
	records: SourceRecord[],
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
			problem: m.file_header_out_of_range({
				row: formatNumber(headerRow),
				last: formatNumber(records[records.length - 1].row)
			})
		};
	}
	if (isBlankRecord(headerRecord.cells)) {
		return {
			...common,
			detectedHeaderRow,
			headerRow,
			problem: m.file_header_blank({ row: formatNumber(headerRow) })
		};
	}
	const columns = headerRecord.cells.length;
	const headers = uniqueHeaders(headerRecord.cells.slice(0, MAX_COLUMNS));
	const notice =
		columns > MAX_COLUMNS
			? m.notice_columns({ columns: formatNumber(columns), max: formatNumber(MAX_COLUMNS) })
			: null;
	const rows: SourceRecord[] = [];
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
				? m.file_no_cards()
				: common.sheet !== undefined
					? m.file_sheet_no_contacts({ sheet: common.sheet, row: formatNumber(headerRow) })
					: m.file_no_contacts({ row: formatNumber(headerRow) });
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
