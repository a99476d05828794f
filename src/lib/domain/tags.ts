/**
 * Tags: split on `,` `;` `|` and Google Contacts' ` ::: `, trimmed, de-duplicated
 * case-insensitively keeping the first spelling. Google's system labels (`* myContacts`,
 * `* starred`) are dropped: every exported contact carries them. On update the stored tags and
 * the imported ones are merged (union).
 */

const SYSTEM_LABELS = new Set(['* mycontacts', '* starred']);
import { cleanText } from './text';

/**
 * Splits one tags cell into clean, unique tags. Files repeat a few tag cells over and over, so
 * answers are cached; the arrays are frozen because contacts share them.
 */
export function parseTags(raw: string): readonly string[] {
	if (raw === '') return NONE;
	let tags = cache.get(raw);
	if (tags === undefined) {
		tags = Object.freeze(
			uniqueTags(raw.split(/\s*:::\s*|[,;|]/)).filter((t) => !SYSTEM_LABELS.has(t.toLowerCase()))
		);
		if (cache.size >= 5000) cache.clear();
		cache.set(raw, tags);
	}
	return tags;
}

const NONE: readonly string[] = Object.freeze([]);
const cache = new Map<string, readonly string[]>();

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
