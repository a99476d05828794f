/**
 * Property: any table of strings, written with random quoting, delimiter, newline style, BOM and
 * encoding, reads back as the same table through the streaming layer (bytes → detected encoding →
 * streaming decode → record splitter), for chunk sizes down to 1 byte.
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { detectEncoding, type Delimiter, type Encoding, type Newline } from '$lib/domain/sniff';
import { readRecords } from '../registry';

export const PROPERTY_RUNS = 400;

const UNIVERSAL = ['a', 'B', '1', ' ', '"', ',', ';', '\t', '|', '\n', '\r', 'é', 'ü', 'ç', 'ñ'];
const UNICODE_ONLY = ['€', '–', '日', 'Ω', '😀'];
const CP1252: Record<string, number> = { é: 0xe9, ü: 0xfc, ç: 0xe7, ñ: 0xf1 };

function encode(text: string, encoding: Encoding, bom: boolean): Uint8Array {
	if (encoding === 'utf-8') {
		const body = new TextEncoder().encode(text);
		return bom ? new Uint8Array([0xef, 0xbb, 0xbf, ...body]) : body;
	}
	if (encoding === 'windows-1252') {
		return new Uint8Array([...text].map((ch) => CP1252[ch] ?? ch.charCodeAt(0)));
	}
	const units = [0xfeff, ...Array.from({ length: text.length }, (_, i) => text.charCodeAt(i))];
	const out = new Uint8Array(units.length * 2);
	units.forEach((u, i) => {
		const [hi, lo] = [u >> 8, u & 0xff];
		out[i * 2] = encoding === 'utf-16le' ? lo : hi;
		out[i * 2 + 1] = encoding === 'utf-16le' ? hi : lo;
	});
	return out;
}

function write(
	table: string[][],
	delimiter: string,
	newline: string,
	quoteAll: boolean[],
	finalBreak: boolean
) {
	const lines = table.map((row, r) => {
		const forced = row.length === 1 && row[0] === '';
		return row
			.map((cell) => {
				const needs = forced || quoteAll[r] || cell.includes(delimiter) || /["\r\n]/.test(cell);
				return needs ? `"${cell.replace(/"/g, '""')}"` : cell;
			})
			.join(delimiter);
	});
	return lines.join(newline) + (finalBreak ? newline : '');
}

describe('streaming round trip (property)', () => {
	// It checks an outcome, not a time: its runs take a few seconds on a quiet machine and more on
	// a busy one, past vitest's 5 s default.
	it(`reads back any table (${PROPERTY_RUNS} runs)`, async () => {
		const encodingArb = fc.constantFrom<Encoding>('utf-8', 'utf-16le', 'utf-16be', 'windows-1252');
		await fc.assert(
			fc.asyncProperty(
				encodingArb.chain((encoding) => {
					const alphabet =
						encoding === 'windows-1252' ? UNIVERSAL : [...UNIVERSAL, ...UNICODE_ONLY];
					const cell = fc.string({ unit: fc.constantFrom(...alphabet), maxLength: 8 });
					return fc.record({
						encoding: fc.constant(encoding),
						table: fc.array(fc.array(cell, { minLength: 1, maxLength: 5 }), {
							minLength: 1,
							maxLength: 8
						}),
						delimiter: fc.constantFrom<Delimiter>(',', ';', '\t', '|'),
						newline: fc.constantFrom<Newline>('\n', '\r\n', '\r'),
						quoteAll: fc.array(fc.boolean(), { minLength: 8, maxLength: 8 }),
						bom: fc.boolean(),
						finalBreak: fc.boolean(),
						chunk: fc.integer({ min: 1, max: 40 })
					});
				}),
				async ({ encoding, table, delimiter, newline, quoteAll, bom, finalBreak, chunk }) => {
					const bytes = encode(
						write(table, delimiter, newline, quoteAll, finalBreak),
						encoding,
						bom
					);
					const detected = detectEncoding(bytes, true).encoding;
					// ASCII-only Windows-1252 is also valid UTF-8 and decodes the same.
					const sameText =
						detected === encoding || (encoding === 'windows-1252' && detected === 'utf-8');
					expect(sameText).toBe(true);
					const rows: string[][] = [];
					for await (const c of readRecords(
						new Blob([bytes as Uint8Array<ArrayBuffer>]),
						{ encoding: detected, delimiter, newline },
						chunk
					)) {
						for (const r of c.records) {
							expect(r.error).toBeUndefined();
							rows.push(r.cells);
						}
					}
					expect(rows).toEqual(table);
				}
			),
			{ numRuns: PROPERTY_RUNS }
		);
	}, 60_000);
});
