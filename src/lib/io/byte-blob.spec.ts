import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { PartsBlob, partsOf, type BytePart } from './byte-blob';

/** A file of `size` bytes stored as parts of `partBytes`, with every load counted. */
async function stored(bytes: Uint8Array, partBytes: number) {
	const parts: BytePart[] = [];
	for await (const part of partsOf(new Blob([bytes as Uint8Array<ArrayBuffer>]), partBytes))
		parts.push(part);
	const loads: number[] = [];
	const blob = new PartsBlob(
		(seq) => {
			loads.push(seq);
			return Promise.resolve(parts[seq]);
		},
		bytes.length,
		partBytes
	);
	return { blob, parts, loads };
}

describe('PartsBlob', () => {
	it('reads any range as a Blob of the same bytes does, across part boundaries', async () => {
		await fc.assert(
			fc.asyncProperty(
				fc.uint8Array({ maxLength: 300 }),
				fc.integer({ min: 1, max: 64 }),
				fc.integer({ min: -350, max: 350 }),
				fc.integer({ min: -350, max: 350 }),
				fc.integer({ min: -40, max: 40 }),
				async (bytes, partBytes, start, end, inner) => {
					const { blob } = await stored(bytes, partBytes);
					const reference = new Blob([bytes as Uint8Array<ArrayBuffer>]);
					const a = blob.slice(start, end);
					const b = reference.slice(start, end);
					expect(a.size).toBe(b.size);
					expect(new Uint8Array(await a.arrayBuffer())).toEqual(
						new Uint8Array(await b.arrayBuffer())
					);
					// A slice of a slice, as readers take sub-ranges of what they were given.
					expect(new Uint8Array(await a.slice(inner).arrayBuffer())).toEqual(
						new Uint8Array(await b.slice(inner).arrayBuffer())
					);
				}
			)
		);
	});

	it('reads each part once when small ranges are read in order', async () => {
		const bytes = Uint8Array.from({ length: 1000 }, (_, i) => i % 251);
		const { blob, loads } = await stored(bytes, 100);
		for (let at = 0; at < 1000; at += 7) await blob.slice(at, at + 7).arrayBuffer();
		expect(loads).toEqual([0, 1, 2, 3, 4, 5, 6, 7, 8, 9]);
	});

	it('reads a whole-file Blob part (an older release stored files so) by range', async () => {
		const text = 'phone\n+14155550101\n';
		const blob = new PartsBlob(() => Promise.resolve(new Blob([text])), text.length, text.length);
		expect(new TextDecoder().decode(await blob.slice(6, 18).arrayBuffer())).toBe('+14155550101');
	});

	it('says which part is missing or damaged instead of reading wrong bytes', async () => {
		const missing = new PartsBlob(
			(seq) => Promise.resolve(seq === 0 ? new ArrayBuffer(4) : undefined),
			8,
			4
		);
		await expect(missing.arrayBuffer()).rejects.toThrow(/Part 2 of the stored file is missing/);
		const short = new PartsBlob(() => Promise.resolve(new ArrayBuffer(3)), 8, 4);
		await expect(short.arrayBuffer()).rejects.toThrow(/holds 3 bytes instead of 4/);
	});
});
