/**
 * Text cleaning shared by names, company and custom fields (SPEC §3): trimmed, inner whitespace
 * (including no-break and other Unicode spaces) collapsed to one space.
 */
export function cleanText(value: string): string {
	return value.replace(/[\s\u00a0\u2000-\u200b\u202f\u205f\u3000\ufeff]+/g, ' ').trim();
}
