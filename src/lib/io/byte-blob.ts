/**
 * Bytes read by range, whatever holds them: a `File` the person picked, or a file kept in the
 * database as parts of a few MB. A `Blob` is a `ByteBlob`, so every reader takes either.
 *
 * Why parts rather than one `Blob` in IndexedDB: WebKit (every browser on an iPhone or an iPad,
 * and Safari's private windows always) refuses `Blob` and `File` values in IndexedDB with
 * "Error preparing Blob/File data to be stored in object store", while every engine stores
 * `ArrayBuffer`s.
 */

export interface ByteBlob {
	readonly size: number;
	slice(start?: number, end?: number): ByteBlob;
	arrayBuffer(): Promise<ArrayBuffer>;
}

/** One stored part: bytes, or a `Blob` kept by a release that stored files whole. */
export type BytePart = ArrayBuffer | Blob;

/** Reads part `seq` (0-based); undefined when it is not stored. */
export type PartLoader = (seq: number) => Promise<BytePart | undefined>;

/** The size of the parts a file is stored in: small enough to read and write in one step each. */
export const PART_BYTES = 4 * 1024 * 1024;

/**
 * A stored file read back by range. Every part but the last holds exactly `partBytes`, so the
 * part holding any offset is known without reading another. The last two parts read are kept, so
 * readers that take small ranges in order read each part once.
 */
export class PartsBlob implements ByteBlob {
	readonly size: number;

	constructor(
		private readonly load: PartLoader,
		private readonly total: number,
		private readonly partBytes: number,
		private readonly start = 0,
		end = total,
		private readonly cache = new PartCache(load)
	) {
		if (!(partBytes > 0)) throw new Error('A stored file needs a positive part size.');
		this.size = Math.max(0, end - start);
	}

	/** The range [start, end) of this blob, with `Blob.slice`'s rules for missing and negative bounds. */
	slice(start = 0, end = this.size): PartsBlob {
		const from = clampOffset(start, this.size);
		const to = Math.max(from, clampOffset(end, this.size));
		return new PartsBlob(
			this.load,
			this.total,
			this.partBytes,
			this.start + from,
			this.start + to,
			this.cache
		);
	}

	async arrayBuffer(): Promise<ArrayBuffer> {
		const out = new Uint8Array(this.size);
		const end = this.start + this.size;
		let at = this.start;
		while (at < end) {
			const seq = Math.floor(at / this.partBytes);
			const partStart = seq * this.partBytes;
			const partEnd = Math.min(this.total, partStart + this.partBytes);
			const part = await this.cache.get(seq, partEnd - partStart);
			const upTo = Math.min(end, partEnd);
			// A whole-file Blob part (an older release's) is read by range, never whole.
			const bytes =
				part instanceof Blob
					? new Uint8Array(await part.slice(at - partStart, upTo - partStart).arrayBuffer())
					: part.subarray(at - partStart, upTo - partStart);
			out.set(bytes, at - this.start);
			at = upTo;
		}
		return out.buffer;
	}
}

function clampOffset(offset: number, size: number): number {
	const n = Math.trunc(offset);
	return n < 0 ? Math.max(0, size + n) : Math.min(n, size);
}

class PartCache {
	private entries: { seq: number; bytes: Uint8Array | Blob }[] = [];

	constructor(private readonly load: PartLoader) {}

	async get(seq: number, expected: number): Promise<Uint8Array | Blob> {
		const hit = this.entries.find((e) => e.seq === seq);
		if (hit) return hit.bytes;
		const part = await this.load(seq);
		if (part === undefined) {
			throw new Error(
				`Part ${seq + 1} of the stored file is missing: the browser may have cleared some of this site's storage.`
			);
		}
		const bytes = part instanceof Blob ? part : new Uint8Array(part);
		const size = part instanceof Blob ? part.size : part.byteLength;
		if (size !== expected) {
			throw new Error(
				`Part ${seq + 1} of the stored file holds ${size} bytes instead of ${expected}: the stored copy is damaged.`
			);
		}
		this.entries = [{ seq, bytes }, ...this.entries].slice(0, 2);
		return bytes;
	}
}

/** The parts of `blob`, in order, each read only when the previous one has been taken. */
export async function* partsOf(
	blob: ByteBlob,
	partBytes = PART_BYTES
): AsyncGenerator<ArrayBuffer> {
	for (let at = 0; at < blob.size; at += partBytes) {
		yield await blob.slice(at, Math.min(blob.size, at + partBytes)).arrayBuffer();
	}
}
