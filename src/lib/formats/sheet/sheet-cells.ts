/**
 * Spreadsheet cells as a person sees them, as text: what a workbook stores (a number, a date
 * serial, a boolean, an error, with a number format) becomes the text a contact field takes.
 *
 * Rules:
 * - a number is written in plain digits, never in exponent form: a phone stored as the number
 *   14155550123 (in the XML `1.4155550123E+10`) is `14155550123`. Like Excel, at most 15
 *   significant digits are shown (`0.30000000000000004` is `0.3`);
 * - a number format made only of zeros (`00000`, a ZIP code or a phone kept with its leading zero)
 *   pads an integer with zeros to its width;
 * - a date or time format turns the serial into ISO 8601: `2024-03-05`, `2024-03-05T14:30:00`, or
 *   `14:30:00` for a time alone. Serials count days from 1899-12-30 (Excel's 1900 system, whose
 *   phantom 29 February 1900 is serial 60) or from 1904-01-01;
 * - a percent format shows the value × 100 with `%`;
 * - booleans are `TRUE`/`FALSE`; an error cell keeps its text (`#N/A`), as the sheet shows it.
 */

/** Excel's built-in number formats that show dates or times (ids 14–22 and 45–47). */
const BUILTIN_DATE_IDS = new Set([14, 15, 16, 17, 18, 19, 20, 21, 22, 45, 46, 47]);
/** Built-in formats with leading zeros or percent: 9 `0%`, 10 `0.00%`. */
const BUILTIN_PERCENT_IDS = new Set([9, 10]);

export type CellFormat =
	| { kind: 'general' }
	| { kind: 'date'; date: boolean; time: boolean }
	| { kind: 'percent' }
	| { kind: 'zeros'; width: number };

export const GENERAL: CellFormat = { kind: 'general' };

/**
 * What a number format code does to a number's text. Only the parts that change the data are
 * read; currency, thousands separators and colours are presentation and are left out.
 */
export function classifyFormat(id: number, code: string | undefined): CellFormat {
	if (code === undefined) {
		if (BUILTIN_DATE_IDS.has(id)) {
			return { kind: 'date', date: id <= 17 || id === 22, time: id >= 18 };
		}
		if (BUILTIN_PERCENT_IDS.has(id)) return { kind: 'percent' };
		return GENERAL;
	}
	// The first section (positive numbers) decides; quoted text, escapes, fill and padding
	// characters and [colour]/[$-409] brackets are not format letters ([h], [mm], [ss] are).
	const section = code.split(';')[0];
	const bare = section
		.replace(/"[^"]*"/g, '')
		.replace(/\\./g, '')
		.replace(/_.|\*./g, '')
		.replace(/\[(?![hms]+\])[^\]]*\]/gi, '')
		.trim();
	if (/^00+$/.test(bare)) return { kind: 'zeros', width: bare.length };
	if (bare.includes('%')) return { kind: 'percent' };
	const date = /[dy]/i.test(bare);
	const time = /[hs]/i.test(bare);
	// `m` alone is a month (beside h or s it is minutes, and `time` is already set).
	if (date || time || /m/i.test(bare)) return { kind: 'date', date: date || !time, time };
	return GENERAL;
}

/**
 * A number's text without exponent and with at most 15 significant digits, exactly: the digits
 * are moved textually, never through a float that could round `14155550123`.
 */
export function numberText(raw: string): string {
	const s = raw.trim();
	const m = /^([+-]?)(\d*)(?:\.(\d*))?(?:[eE]([+-]?\d+))?$/.exec(s);
	if (!m || (m[2] === '' && (m[3] ?? '') === '')) return s;
	const sign = m[1] === '-' ? '-' : '';
	let digits = m[2] + (m[3] ?? '');
	let point = m[2].length + Number(m[4] ?? 0);
	// Strip leading zeros (they move the point's meaning, not its place).
	const lead = digits.length - digits.replace(/^0+/, '').length;
	digits = digits.slice(lead);
	point -= lead;
	if (digits === '') return '0';
	if (digits.length > 15) {
		// Round half up at the 15th significant digit, as Excel shows it.
		const kept = digits.slice(0, 15);
		const up = digits.charCodeAt(15) >= 53;
		digits = up ? addOne(kept) : kept;
		if (digits.length > 15) point += 1;
		digits = digits.slice(0, 15);
	}
	digits = digits.replace(/0+$/, '');
	if (digits === '') return '0';
	let text: string;
	if (point <= 0) text = `0.${'0'.repeat(-point)}${digits}`;
	else if (point >= digits.length) text = digits + '0'.repeat(point - digits.length);
	else text = `${digits.slice(0, point)}.${digits.slice(point)}`;
	return sign + text;
}

function addOne(digits: string): string {
	const out = digits.split('');
	for (let i = out.length - 1; i >= 0; i--) {
		if (out[i] === '9') out[i] = '0';
		else {
			out[i] = String(Number(out[i]) + 1);
			return out.join('');
		}
	}
	return `1${out.join('')}`;
}

const DAY_MS = 86_400_000;
/** Serial 0 of the 1900 system is 1899-12-30 once its phantom 29 February 1900 is allowed for. */
const EPOCH_1900 = Date.UTC(1899, 11, 30);
const EPOCH_1904 = Date.UTC(1904, 0, 1);

/** A date serial as ISO 8601 text (see the module's rules). */
export function serialToIso(
	serial: number,
	format: { date: boolean; time: boolean },
	date1904 = false
): string {
	if (!Number.isFinite(serial)) return String(serial);
	// Serials 1–59 are before the phantom leap day and count one day more from the epoch.
	const days = !date1904 && serial < 61 && serial >= 1 ? serial + 1 : serial;
	const ms = Math.round((date1904 ? EPOCH_1904 : EPOCH_1900) + days * DAY_MS);
	const d = new Date(ms);
	if (Number.isNaN(d.getTime())) return String(serial);
	const iso = d.toISOString();
	const day = iso.slice(0, 10);
	const time = iso.slice(11, 19);
	if (format.date && format.time) return `${day}T${time}`;
	if (format.time) return time;
	return day;
}

/** A numeric cell's text under its format. */
export function formatNumber(raw: string, format: CellFormat, date1904 = false): string {
	switch (format.kind) {
		case 'general':
			return numberText(raw);
		case 'zeros': {
			const text = numberText(raw);
			return /^\d+$/.test(text) ? text.padStart(format.width, '0') : text;
		}
		case 'percent': {
			const n = Number(raw);
			return Number.isFinite(n) ? `${numberText(String(n * 100))}%` : numberText(raw);
		}
		case 'date': {
			const n = Number(raw);
			return Number.isFinite(n) && n >= 0 ? serialToIso(n, format, date1904) : numberText(raw);
		}
	}
}

/** A0-style column letters (`A`, `AB`, `XFD`) as a 0-based index, or -1. */
export function columnIndex(ref: string): number {
	let n = 0;
	let i = 0;
	for (; i < ref.length; i++) {
		const c = ref.charCodeAt(i);
		if (c >= 65 && c <= 90) n = n * 26 + (c - 64);
		else if (c >= 97 && c <= 122) n = n * 26 + (c - 96);
		else break;
	}
	return i === 0 ? -1 : n - 1;
}

/** The row number of an A1-style reference (`B12` → 12), or 0. */
export function rowOf(ref: string): number {
	const m = /\d+$/.exec(ref);
	return m ? Number(m[0]) : 0;
}

/** Excel's row limit: a sheet never has more rows, so rows numbered past it are not read. */
export const MAX_SHEET_ROWS = 1_048_576;

/**
 * Columns read from a sheet row. A contact list is far narrower; a hostile sheet with a value in
 * its last column (XFD, 16,384) on every row would otherwise make each row an array of 16,384
 * cells. A value past this column is not dropped in silence: the first one is kept in the last
 * cell read, so the row stays wider than its header and the review reports it as malformed.
 */
export const MAX_READ_COLUMNS = 1024;

/** Puts a cell's value in a row, keeping the rule of `MAX_READ_COLUMNS`. */
export function setCell(row: string[], column: number, value: string): void {
	if (column < MAX_READ_COLUMNS) row[column] = value;
	else if (value !== '' && row[MAX_READ_COLUMNS] === undefined) row[MAX_READ_COLUMNS] = value;
}

/** A row's cells with its empty trailing cells left off (formatted but empty cells are no column). */
export function trimTrailing(cells: string[]): string[] {
	let end = cells.length;
	while (end > 0 && (cells[end - 1] === undefined || cells[end - 1] === '')) end--;
	if (end < cells.length) cells.length = end;
	for (let i = 0; i < end; i++) if (cells[i] === undefined) cells[i] = '';
	return cells;
}
