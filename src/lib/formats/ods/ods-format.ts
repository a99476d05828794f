/**
 * OpenDocument spreadsheets (`.ods`: LibreOffice, Google Sheets' export): a ZIP archive whose
 * `content.xml` holds every sheet, read as it inflates by `OdsReader` (ods-reader.ts). Macros
 * (`Basic/`, `Scripts/`) are never read; the preview says that the file has them.
 */
import { m } from '$lib/paraglide/messages';
import {
	byteSource,
	entryText,
	inflateEntry,
	readZipDirectory,
	type ByteSource
} from '$lib/io/zip-reader';
import type { RecordChunk } from '../record';
import { SheetError } from '../sheet/sheet-xml';
import {
	PREVIEW_KEEP,
	SHEET_LIMIT,
	workbookFormat,
	type OpenWorkbook,
	type WorkbookFormat
} from '../sheet/workbook';
import { OdsReader } from './ods-reader';

export const odsFormat: WorkbookFormat = workbookFormat({
	id: 'ods',
	// An OpenDocument package whose `mimetype` names a spreadsheet (or that has none).
	async detect(head) {
		const zip = await head.zip();
		if (!zip || !zip.entries.has('content.xml')) return false;
		const mime = zip.entries.get('mimetype');
		const type = mime ? await entryText(zip.source, mime, 1024) : '';
		return type === '' || type.includes('spreadsheet');
	},
	open: async (blob, { list = true } = {}) => openOds(await byteSource(blob), list)
});

async function openOds(blob: ByteSource, list: boolean): Promise<OpenWorkbook> {
	const entries = await readZipDirectory(blob);
	const content = entries.get('content.xml');
	if (!content) throw new SheetError(m.ods_no_content());
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
		info: { sheets, notices },
		named: list,
		async *records(name) {
			const reader = new OdsReader({ sheet: name });
			yield* pass(reader);
			if (!reader.tables.some((t) => t.name === name)) {
				throw new SheetError(m.sheet_missing_now({ name }));
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
