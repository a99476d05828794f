/**
 * Text cleaning shared by names, company and custom fields (SPEC §3): trimmed, inner whitespace
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
