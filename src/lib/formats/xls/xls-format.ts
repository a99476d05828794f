/**
 * Legacy Excel 97–2003 workbooks (`.xls`: binary BIFF in a compound file, at most 65,536 rows),
 * read whole by SheetJS, which is loaded only when such a file is opened. Cells follow the same
 * rules as the other workbook formats (sheet/sheet-cells.ts).
 */
import { formatNumber as formatCount } from '$lib/format';
import { m } from '$lib/paraglide/messages';
import {
	classifyFormat,
	formatNumber,
	GENERAL,
	MAX_SHEET_ROWS,
	trimTrailing
} from '../sheet/sheet-cells';
import { SheetError } from '../sheet/sheet-xml';
import { workbookFormat, type WorkbookFormat } from '../sheet/workbook';
import type { SourceRecord } from '../record';

/** A legacy `.xls` is read whole; past this it is not a contact list saved in Excel 97–2003. */
const XLS_LIMIT = 100 * 1024 * 1024;

/** The compound file signature every `.xls` starts with. */
const CFB = [0xd0, 0xcf, 0x11, 0xe0, 0xa1, 0xb1, 0x1a, 0xe1];

interface XlsCell {
	t: string;
	v?: unknown;
	z?: string | number;
	w?: string;
}

export const xlsFormat: WorkbookFormat = workbookFormat({
	id: 'xls',
	detect: (head) => CFB.every((b, i) => head.bytes[i] === b),
	async open(blob) {
		if (blob.size > XLS_LIMIT) {
			throw new SheetError(
				m.xls_too_large({
					size: formatCount(Math.round(blob.size / 1e6)),
					limit: formatCount(XLS_LIMIT / 1024 / 1024)
				})
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
					? m.workbook_password()
					: m.xls_unreadable({ reason: message })
			);
		}
		const date1904 = Boolean(book.Workbook?.WBProps?.date1904);
		const rowsOf = (name: string): SourceRecord[] => {
			const sheet = book.Sheets[name] as { '!data'?: (XlsCell | undefined)[][] } | undefined;
			const data = sheet?.['!data'] ?? [];
			const records: SourceRecord[] = [];
			for (let r = 0; r < data.length && r < MAX_SHEET_ROWS; r++) {
				const row = data[r];
				if (!row) continue;
				const cells = trimTrailing(row.map((cell) => (cell ? xlsCellText(cell, date1904) : '')));
				if (cells.length > 0) records.push({ row: r + 1, cells });
			}
			return records;
		};
		const cache = new Map<string, SourceRecord[]>();
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
			info: { sheets, notices: [] },
			named: true,
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
});

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
