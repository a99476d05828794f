/**
 * Tags (SPEC §3): split on `,` `;` `|` and Google Contacts' ` ::: `, trimmed, de-duplicated
 * case-insensitively keeping the first spelling. Google's system labels (`* myContacts`,
 * `* starred`) are dropped: every exported contact carries them. On update the stored tags and
 * the imported ones are merged (union).
 */

const SYSTEM_LABELS = new Set(['* mycontacts', '* starred']);
import { cleanText } from './text';

/** Splits one tags cell into clean, unique tags. */
export function parseTags(raw: string): string[] {
	return uniqueTags(raw.split(/\s*:::\s*|[,;|]/)).filter(
		(t) => !SYSTEM_LABELS.has(t.toLowerCase())
	);
}

/** The union of two tag lists, `existing` first; case-insensitive, first spelling kept. */
export function mergeTags(existing: readonly string[], incoming: readonly string[]): string[] {
	return uniqueTags([...existing, ...incoming]);
}

function uniqueTags(tags: readonly string[]): string[] {
	const seen = new Set<string>();
	const out: string[] = [];
	for (const tag of tags) {
		const clean = cleanText(tag);
		const key = clean.toLowerCase();
		if (clean === '' || seen.has(key)) continue;
		seen.add(key);
		out.push(clean);
	}
	return out;
}
