/**
 * Fails when the languages' message files disagree: a key missing in any language (or left
 * empty), a key no base message has, or a placeholder (`{name}`) one translation drops or adds.
 * Paraglide falls back to English for a missing key, so without this check a missing
 * translation would ship silently.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';

const root = join(import.meta.dirname, '..');
const settings = JSON.parse(
	readFileSync(join(root, 'project.inlang', 'settings.json'), 'utf8')
) as {
	baseLocale: string;
	locales: string[];
};

type Messages = Record<string, unknown>;
const read = (locale: string): Messages => {
	const all = JSON.parse(
		readFileSync(join(root, 'messages', `${locale}.json`), 'utf8')
	) as Messages;
	delete all.$schema;
	return all;
};

/** The placeholders a message uses, sorted (variants of a plural included). */
function placeholders(message: unknown): string[] {
	const text = JSON.stringify(message);
	return [...new Set([...text.matchAll(/\{(\w+)\}/g)].map((m) => m[1]))].sort();
}

const base = read(settings.baseLocale);
const problems: string[] = [];
for (const locale of settings.locales) {
	if (locale === settings.baseLocale) continue;
	const messages = read(locale);
	for (const key of Object.keys(base)) {
		const value = messages[key];
		if (value === undefined || value === '') problems.push(`${locale}: "${key}" is missing`);
		else if (placeholders(value).join() !== placeholders(base[key]).join())
			problems.push(
				`${locale}: "${key}" has {${placeholders(value).join('} {')}}, English has {${placeholders(base[key]).join('} {')}}`
			);
	}
	for (const key of Object.keys(messages))
		if (!(key in base)) problems.push(`${locale}: "${key}" is not an English message`);
}
if (problems.length > 0) {
	console.error(`Messages out of step (messages/*.json):\n  ${problems.join('\n  ')}`);
	process.exit(1);
}
console.log(
	`Messages: ${Object.keys(base).length} keys in each of ${settings.locales.join(', ')}.`
);
