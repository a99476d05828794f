/**
 * What the workbook formats (`.xlsx`, `.ods`, `.xls`) share: a workbook is opened once into its
 * sheets, and the preview and the records read one sheet of it. Each yields the same
 * `RecordChunk`s as a CSV, so review, import, resume and the error report read a sheet exactly as
 * they read a CSV.
 *
 * What a workbook may hold that is never acted on: macros (never read, nothing is run), links to
 * other workbooks (their saved values come in), formulas (their saved values come in). Parts past
 * the formats' limits stop the read with a message instead of filling memory.
 */
import { m } from '$lib/paraglide/messages';
import type { ByteBlob } from '$lib/io/byte-blob';
import { ZipError } from '$lib/io/zip-reader';
import type { FileHead, Format, NamedBlob } from '../format';
import {
	emptyPreview,
	withHeader,
	type PreviewOverrides,
	type PreviewResult,
	type SheetInfo
} from '../preview';
import type { RecordChunk, SourceRecord } from '../record';
import { SheetError } from './sheet-xml';

/** The most a sheet's XML may expand to: about three times a full 1M-row, 20-column sheet. */
export const SHEET_LIMIT = 2 * 1024 * 1024 * 1024;

/** Rows of each sheet the workbook listing keeps for previews (header search and first rows). */
export const PREVIEW_KEEP = 100;

export interface WorkbookInfo {
	sheets: SheetInfo[];
	/** Things to know that do not stop the import (macros not run, linked values). */
	notices: string[];
}

/** A workbook opened for reading: its sheets, and each sheet's records. */
export interface OpenWorkbook {
	info: WorkbookInfo;
	/**
	 * Whether `info.sheets` names every sheet. An `.ods` opened without its listing names none:
	 * its sheets are known only by reading them.
	 */
	named: boolean;
	/** The sheet's records, in chunks, from its first row. */
	records(sheet: string): AsyncGenerator<RecordChunk>;
	/** The sheet's first `count` records, and whether they are all its records. */
	firstRecords(sheet: string, count: number): Promise<{ records: SourceRecord[]; whole: boolean }>;
}

export interface OpenOptions {
	/**
	 * Count every sheet's rows (the preview's `Sheet` select), which costs a look into each
	 * `.xlsx` sheet and a whole pass over an `.ods`; reading one named sheet needs none of it.
	 */
	list?: boolean;
}

/** A workbook format: the `Format` every format is, and the opening both of its reads share. */
export interface WorkbookFormat extends Format {
	readonly id: 'xlsx' | 'ods' | 'xls';
	open(blob: ByteBlob, options?: OpenOptions): Promise<OpenWorkbook>;
}

/** A workbook format from how it claims a file and opens it; preview and records follow. */
export function workbookFormat(spec: {
	id: WorkbookFormat['id'];
	detect(head: FileHead): boolean | Promise<boolean>;
	open(blob: ByteBlob, options?: OpenOptions): Promise<OpenWorkbook>;
}): WorkbookFormat {
	const format: WorkbookFormat = {
		...spec,
		preview: (file, overrides) => previewWorkbook(file, format, overrides),
		records: (blob, settings) => sheetRecords(format, blob, settings.sheet)
	};
	return format;
}

/** The sheet a workbook opens on: the first visible one with rows, else the first. */
export function defaultSheet(info: WorkbookInfo): string | null {
	const visible = info.sheets.filter((s) => !s.hidden);
	return (visible.find((s) => s.rows !== 0) ?? visible[0] ?? info.sheets[0])?.name ?? null;
}

/** The first `count` records of `chunks`, and whether they are all of them. */
export async function firstOf(
	chunks: AsyncGenerator<RecordChunk>,
	count: number
): Promise<{ records: SourceRecord[]; whole: boolean }> {
	const records: SourceRecord[] = [];
	// Leaving the loop early stops the read (for-await returns the generator).
	for await (const chunk of chunks) {
		records.push(...chunk.records);
		if (records.length >= count) return { records: records.slice(0, count), whole: false };
	}
	return { records, whole: true };
}

/** A sheet's records for review and import (`sheet` undefined: the first sheet with rows). */
async function* sheetRecords(
	format: WorkbookFormat,
	blob: ByteBlob,
	sheet: string | undefined
): AsyncGenerator<RecordChunk> {
	// A job always names its sheet; without one, the listing picks it as the preview did.
	const book = await format.open(blob, { list: sheet === undefined });
	const name = sheet ?? defaultSheet(book.info);
	if (name === null) return;
	if (book.named && !book.info.sheets.some((s) => s.name === name)) {
		throw new SheetError(m.sheet_missing_now({ name }));
	}
	yield* book.records(name);
}

/** The preview of a workbook's sheet: the chosen one, or the first visible one with rows. */
async function previewWorkbook(
	file: NamedBlob,
	format: WorkbookFormat,
	overrides: PreviewOverrides
): Promise<PreviewResult> {
	const base: PreviewResult = { ...emptyPreview(file.name, file.size), format: format.id };
	try {
		const book = await format.open(file);
		const sheet =
			overrides.sheet !== undefined && book.info.sheets.some((s) => s.name === overrides.sheet)
				? overrides.sheet
				: defaultSheet(book.info);
		const common: PreviewResult = {
			...base,
			sheets: book.info.sheets,
			notice: book.info.notices.join(' ') || null
		};
		if (sheet === null) return { ...common, problem: m.file_no_sheets() };
		const { records, whole } = await book.firstRecords(sheet, PREVIEW_KEEP);
		const withSheet = { ...common, sheet, wholeFile: whole };
		if (records.length === 0) {
			return {
				...withSheet,
				problem:
					book.info.sheets.length > 1
						? m.file_sheet_empty_choose({ sheet })
						: m.file_sheet_empty({ sheet })
			};
		}
		const result = withHeader(withSheet, records, overrides);
		const notices = [common.notice, result.notice].filter(Boolean);
		return { ...result, notice: notices.length > 0 ? notices.join(' ') : null };
	} catch (e) {
		if (e instanceof ZipError || e instanceof SheetError) {
			return { ...base, problem: m.file_cannot_read({ file: file.name, reason: e.message }) };
		}
		throw e;
	}
}
