/**
 * Text cleaning shared by names, company and custom fields: trimmed, inner whitespace
 * (including no-break and other Unicode spaces) collapsed to one space.
 */
export function cleanText(value: string): string {
	// Most cells are already clean: one test, no new string (this runs for every mapped cell).
	if (!NEEDS_CLEANING.test(value)) return value;
	return value.replace(SPACES, ' ').trim();
}

const SPACE = '[\\s\\u00a0\\u2000-\\u200b\\u202f\\u205f\\u3000\\ufeff]';
const SPACES = new RegExp(`${SPACE}+`, 'g');
/** A leading or trailing space, two in a row, or any space other than U+0020. */
const NEEDS_CLEANING = new RegExp(`^${SPACE}|${SPACE}$|${SPACE}${SPACE}|(?! )${SPACE}`);

/**
 * A copy of `value` that holds on to nothing else. A cell cut out of a decoded slice of the file
 * shares that slice's memory in V8 (a "sliced string"): keeping one such cell keeps its whole
 * 1 MB slice alive. Values kept for longer than their slice (problem rows collected over a whole
 * review pass) go through here, or memory grows with the file — ~200 MB over a million rows.
 */
export function detachString(value: string): string {
	// Concatenation makes a cons string; slicing it flattens it into a new string of its own.
	return (' ' + value).slice(1);
}
