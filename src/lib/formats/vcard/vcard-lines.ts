/**
 * The line level of vCard, apart from what a property means: a property line's name, parameters
 * and value; structured values split on unescaped separators and unescaped; quoted-printable
 * values decoded with their charset.
 */

export interface Property {
	name: string;
	params: Map<string, string[]>;
	value: string;
}

/** Splits one unfolded line into its property; null for a line that is not one. */
export function parseLine(line: string): Property | null {
	const colon = findColon(line);
	if (colon <= 0) return null;
	const [head, ...paramParts] = splitUnquoted(line.slice(0, colon), ';');
	const dot = head.lastIndexOf('.');
	const name = (dot >= 0 ? head.slice(dot + 1) : head).toUpperCase();
	const params = new Map<string, string[]>();
	for (const part of paramParts) {
		const eq = part.indexOf('=');
		// vCard 2.1 writes bare types: `TEL;CELL;PREF:`.
		const key = eq < 0 ? 'TYPE' : part.slice(0, eq).toUpperCase();
		const raw = eq < 0 ? part : part.slice(eq + 1);
		const values = splitUnquoted(raw, ',').map((v) => v.replace(/^"|"$/g, '').toLowerCase());
		params.set(key, [...(params.get(key) ?? []), ...values]);
	}
	return { name, params, value: line.slice(colon + 1) };
}

/** The colon that ends the property's name and parameters (not one inside a quoted parameter). */
export function findColon(line: string): number {
	let quoted = false;
	for (let i = 0; i < line.length; i++) {
		const c = line[i];
		if (c === '"') quoted = !quoted;
		else if (c === ':' && !quoted) return i;
	}
	return -1;
}

function splitUnquoted(text: string, sep: string): string[] {
	const out: string[] = [];
	let quoted = false;
	let start = 0;
	for (let i = 0; i < text.length; i++) {
		if (text[i] === '"') quoted = !quoted;
		else if (text[i] === sep && !quoted) {
			out.push(text.slice(start, i));
			start = i + 1;
		}
	}
	out.push(text.slice(start));
	return out;
}

/** Splits a structured value on unescaped `sep` and unescapes each part. */
export function components(value: string, sep = ';'): string[] {
	const out: string[] = [];
	let current = '';
	for (let i = 0; i < value.length; i++) {
		const c = value[i];
		if (c === '\\' && i + 1 < value.length) {
			const n = value[++i];
			current += n === 'n' || n === 'N' ? '\n' : n;
		} else if (c === sep) {
			out.push(current);
			current = '';
		} else current += c;
	}
	out.push(current);
	return out.map((s) => s.trim());
}

export function text(value: string): string {
	return components(value, '\u0000')[0];
}

export function decodeQuotedPrintable(value: string, charset: string): string {
	const bytes: number[] = [];
	for (let i = 0; i < value.length; i++) {
		const c = value[i];
		if (c === '=' && /^[0-9A-Fa-f]{2}$/.test(value.slice(i + 1, i + 3))) {
			bytes.push(parseInt(value.slice(i + 1, i + 3), 16));
			i += 2;
		} else {
			const code = value.charCodeAt(i);
			if (code < 0x80) bytes.push(code);
			else bytes.push(...new TextEncoder().encode(c));
		}
	}
	try {
		return new TextDecoder(charset).decode(new Uint8Array(bytes));
	} catch {
		// An unknown charset label: UTF-8 is what every current exporter writes.
		return new TextDecoder('utf-8').decode(new Uint8Array(bytes));
	}
}
