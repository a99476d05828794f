/**
 * CSV sniffing: encoding, line ending, delimiter and header row, from the first bytes
 * of a file. Pure functions over bytes and text so they run in the worker and in unit tests.
 */

export type Encoding = 'utf-8' | 'utf-16le' | 'utf-16be' | 'windows-1252';
export const ENCODINGS: readonly Encoding[] = ['utf-8', 'utf-16le', 'utf-16be', 'windows-1252'];
export type Delimiter = ',' | ';' | '\t' | '|';
export const DELIMITERS: readonly Delimiter[] = [',', ';', '\t', '|'];
export type Newline = '\r\n' | '\n' | '\r';

/**
 * Detects the encoding: a BOM wins (UTF-8, UTF-16 LE/BE); otherwise UTF-8 when the bytes are
 * valid UTF-8, else Windows-1252. A sample cut in the middle of a multi-byte character still
 * counts as valid UTF-8 (the decoder runs in streaming mode) — unless `whole` says the sample is
 * the whole file: then a trailing lead byte (a file ending in Windows-1252 `é`, 0xE9) is not UTF-8.
 */
export function detectEncoding(
	bytes: Uint8Array,
	whole = false
): { encoding: Encoding; bom: boolean } {
	if (bytes[0] === 0xef && bytes[1] === 0xbb && bytes[2] === 0xbf)
		return { encoding: 'utf-8', bom: true };
	if (bytes[0] === 0xff && bytes[1] === 0xfe) return { encoding: 'utf-16le', bom: true };
	if (bytes[0] === 0xfe && bytes[1] === 0xff) return { encoding: 'utf-16be', bom: true };
	// UTF-16 without a BOM: ASCII text leaves every other byte zero.
	const n = Math.min(bytes.length, 4096) & ~1;
	if (n >= 4) {
		let evenZero = 0;
		let oddZero = 0;
		for (let i = 0; i < n; i += 2) {
			if (bytes[i] === 0) evenZero++;
			if (bytes[i + 1] === 0) oddZero++;
		}
		if (oddZero > n / 4 && evenZero === 0) return { encoding: 'utf-16le', bom: false };
		if (evenZero > n / 4 && oddZero === 0) return { encoding: 'utf-16be', bom: false };
	}
	try {
		new TextDecoder('utf-8', { fatal: true }).decode(bytes, { stream: !whole });
		return { encoding: 'utf-8', bom: false };
	} catch {
		// Not valid UTF-8: the rule is to read it as Windows-1252.
		return { encoding: 'windows-1252', bom: false };
	}
}

/** Whether decoded text looks like a binary file (NUL or many control characters). */
export function looksBinary(text: string): boolean {
	const sample = text.slice(0, 8192);
	if (sample.includes('\u0000')) return true;
	let control = 0;
	for (let i = 0; i < sample.length; i++) {
		const c = sample.charCodeAt(i);
		if (c < 32 && c !== 9 && c !== 10 && c !== 13) control++;
	}
	return sample.length > 0 && control / sample.length > 0.05;
}

/** The line ending used outside quotes: the first one found. */
export function detectNewline(text: string): Newline {
	let inQuotes = false;
	for (let i = 0; i < text.length; i++) {
		const ch = text[i];
		if (ch === '"') inQuotes = !inQuotes;
		else if (!inQuotes && ch === '\r') return text[i + 1] === '\n' ? '\r\n' : '\r';
		else if (!inQuotes && ch === '\n') return '\n';
	}
	return '\n';
}

/** Field counts per record for a candidate delimiter, quote-aware, over at most `maxRecords`. */
function fieldCounts(text: string, delimiter: string, maxRecords: number): number[] {
	const counts: number[] = [];
	let fields = 1;
	let inQuotes = false;
	let lineHasContent = false;
	for (let i = 0; i < text.length && counts.length < maxRecords; i++) {
		const ch = text[i];
		if (ch === '"') {
			inQuotes = !inQuotes;
			lineHasContent = true;
		} else if (inQuotes) continue;
		else if (ch === delimiter) {
			fields++;
			lineHasContent = true;
		} else if (ch === '\n' || ch === '\r') {
			if (ch === '\r' && text[i + 1] === '\n') i++;
			if (lineHasContent) counts.push(fields);
			fields = 1;
			lineHasContent = false;
		} else lineHasContent = true;
	}
	return counts;
}

/**
 * Picks the delimiter among `,` `;` tab `|` whose field count is most consistent over the first
 * records and greater than one; `,` when nothing splits (a one-column file).
 */
export function detectDelimiter(text: string): Delimiter {
	let best: Delimiter = ',';
	let bestScore = 0;
	for (const delimiter of DELIMITERS) {
		const counts = fieldCounts(text, delimiter, 50);
		if (counts.length === 0) continue;
		const freq = new Map<number, number>();
		for (const c of counts) freq.set(c, (freq.get(c) ?? 0) + 1);
		let mode = 1;
		let modeFreq = 0;
		for (const [count, f] of freq) {
			if (count > 1 && (f > modeFreq || (f === modeFreq && count > mode))) {
				mode = count;
				modeFreq = f;
			}
		}
		if (mode <= 1) continue;
		// Consistency first, then more fields.
		const score = (modeFreq / counts.length) * 1000 + Math.min(mode, 999) / 1000;
		if (score > bestScore) {
			bestScore = score;
			best = delimiter;
		}
	}
	return best;
}

/**
 * The 0-based index of the header row among the first records: the first non-blank row whose
 * number of non-empty cells matches the width of most rows after it and whose cells look like
 * names rather than data (not numbers, not phone numbers, not emails). Falls back to the first
 * non-blank row. Preambles such as LinkedIn's `Notes:` lines are skipped this way.
 */
export function detectHeaderRow(records: readonly (readonly string[])[]): number {
	const width = (r: readonly string[]) => {
		let last = r.length;
		while (last > 0 && r[last - 1].trim() === '') last--;
		return last;
	};
	const nonBlank = records.map((r, i) => ({ r, i, w: width(r) })).filter((x) => x.w > 0);
	if (nonBlank.length === 0) return 0;
	const looksLikeName = (cell: string) => {
		const c = cell.trim();
		return c !== '' && !/^[\d\s()+\-.]+$/.test(c) && !c.includes('@') && c.length <= 100;
	};
	for (let k = 0; k < nonBlank.length; k++) {
		const { r, i, w } = nonBlank[k];
		const after = nonBlank.slice(k + 1, k + 21);
		if (after.length === 0) break;
		const fits = after.filter((x) => x.w <= w && x.w >= Math.max(2, Math.ceil(w / 2))).length;
		const names = r.slice(0, w).filter(looksLikeName).length;
		if (w >= 2 && fits >= Math.ceil(after.length * 0.6) && names >= Math.ceil(w * 0.6)) return i;
	}
	return nonBlank[0].i;
}
