/**
 * CSV output (error report, template). Cells that a spreadsheet would run as a formula are
 * neutralised with a leading apostrophe (OWASP "CSV injection"): a first character of `=` `+` `-`
 * `@`, tab, CR or LF, also when the cell holds line breaks (papaparse's `escapeFormulae` misses
 * those). Cells with the delimiter, a quote, CR or LF are quoted per RFC 4180.
 */

const FORMULA_START = /^[=+\-@\t\r\n]/;

/** The cell made inert for spreadsheets. */
export function neutralizeFormula(cell: string): string {
	return FORMULA_START.test(cell) ? `'${cell}` : cell;
}

/** One CSV line (with CRLF) from cells, neutralised and quoted as needed. */
export function csvLine(cells: readonly string[], delimiter = ','): string {
	return (
		cells
			.map((raw) => {
				const cell = neutralizeFormula(raw);
				return cell.includes(delimiter) || /["\r\n]/.test(cell)
					? `"${cell.replace(/"/g, '""')}"`
					: cell;
			})
			.join(delimiter) + '\r\n'
	);
}
