/**
 * CSV output (error report, template, segment export), safe to open in Excel, LibreOffice and
 * Google Sheets in any locale, and readable back by this app's own import.
 *
 * - A cell that a spreadsheet could run as a formula gets a leading apostrophe (OWASP "CSV
 *   injection"): its first visible character is `=` `+` `-` `@` or their full-width forms
 *   (`＝` `＋` `－` `＠`), or it starts with a tab, CR or LF. Leading spaces, no-break spaces and
 *   zero-width characters do not hide a formula (spreadsheets skip them). A plain signed number
 *   (`+14155550123`, `-5`, `+1.5`) is left as it is: it computes only itself, and a phone written
 *   that way imports back as a phone.
 * - Cells are quoted per RFC 4180 when they hold the delimiter, a quote, CR or LF, and also when
 *   they hold any other common list separator (`,` `;` tab `|`): a spreadsheet in a locale whose
 *   separator differs from the file's would otherwise split the cell, and a piece could start a
 *   formula.
 */

/** Characters a spreadsheet skips before it looks for a formula's `=`. */
const INVISIBLE_LEAD = /^[\s\u00a0\u200b-\u200d\u2060\ufeff]*/;
const FORMULA_START = /^[=+\-@\uff1d\uff0b\uff0d\uff20]/;
const PLAIN_NUMBER = /^[+-]?\d+(?:\.\d+)?$/;
const NEEDS_QUOTES = /[",;\t|\r\n]/;

/**
 * Whether the cell gets a guard apostrophe: it could be read as a formula, or it already starts
 * with an apostrophe before such a cell (guarded too, so that `unguardFormula` undoes exactly
 * what `neutralizeFormula` did and a value is never changed by an export and import).
 */
function needsGuard(cell: string): boolean {
	if (cell.charCodeAt(0) === 0x27) return needsGuard(cell.slice(1));
	if (/^[\t\r\n]/.test(cell)) return true;
	const visible = cell.replace(INVISIBLE_LEAD, '');
	return FORMULA_START.test(visible) && !PLAIN_NUMBER.test(visible);
}

/** The cell made inert for spreadsheets. */
export function neutralizeFormula(cell: string): string {
	return needsGuard(cell) ? `'${cell}` : cell;
}

/**
 * The inverse of `neutralizeFormula`, applied to cells on import: the guard apostrophe that this
 * app (or a spreadsheet user) put before a formula-looking value is removed.
 */
export function unguardFormula(cell: string): string {
	return cell.charCodeAt(0) === 0x27 && needsGuard(cell.slice(1)) ? cell.slice(1) : cell;
}

/** One CSV line (with CRLF) from cells, neutralised and quoted as needed. */
export function csvLine(cells: readonly string[], delimiter = ','): string {
	return (
		cells
			.map((raw) => {
				const cell = neutralizeFormula(raw);
				return cell.includes(delimiter) || NEEDS_QUOTES.test(cell)
					? `"${cell.replace(/"/g, '""')}"`
					: cell;
			})
			.join(delimiter) + '\r\n'
	);
}
