/**
 * Reads entries of a ZIP archive (an `.xlsx` or `.ods` is one) from a `ByteSource`: the central
 * directory at the end gives each entry's place, and an entry's bytes are read in slices and
 * inflated as they come (fflate's streaming `Inflate`), so that a sheet of any size is never
 * whole in memory.
 *
 * A hostile archive cannot harm the reader:
 * - an entry inflates at most to its declared size, and never past `maxBytes` (a zip bomb stops
 *   with a clear error after that many bytes, not after filling the memory);
 * - compressed data is fed in small slices, so one `push` inflates at most about 1,000 × a slice;
 * - encrypted entries, ZIP64 archives and compression methods other than stored and deflate are
 *   refused with a message instead of being misread.
 */
import { formatNumber } from '$lib/format';
import { partName } from './part-name';
import { m } from '$lib/paraglide/messages';
import { Inflate } from 'fflate';
import type { ByteBlob } from './byte-blob';

export interface ZipEntry {
	name: string;
	method: number;
	compressedSize: number;
	size: number;
	/** Offset of the entry's local header. */
	offset: number;
	encrypted: boolean;
}

/** A problem with the archive itself, worded for people. */
export class ZipError extends Error {
	override name = 'ZipError';
}

const EOCD = 0x06054b50;
const CENTRAL = 0x02014b50;
const LOCAL = 0x04034b50;
/** More entries than this is not a workbook. */
const MAX_ENTRIES = 20_000;
/** Compressed bytes handed to the inflater at once: bounds what one push can expand to. */
const FEED_BYTES = 16 * 1024;
/** Compressed bytes read from the source at once. */
const READ_BYTES = 512 * 1024;

/**
 * Bytes read by range. A workbook is read from many places (its directory at the end, then each
 * part), and in the browser each read of a file on disk is a round trip to the blob store: a
 * workbook small enough is read into memory once instead (`byteSource`).
 */
export interface ByteSource {
	readonly size: number;
	read(start: number, end: number): Promise<Uint8Array>;
}

export function blobSource(blob: ByteBlob): ByteSource {
	return {
		size: blob.size,
		read: async (start, end) => new Uint8Array(await blob.slice(start, end).arrayBuffer())
	};
}

export function memorySource(bytes: Uint8Array): ByteSource {
	return {
		size: bytes.length,
		read: (start, end) =>
			Promise.resolve(bytes.subarray(Math.max(0, start), Math.min(bytes.length, end)))
	};
}

/** Files up to this size are read into memory at once (a 200k-row workbook is about 8 MB). */
export const IN_MEMORY_BYTES = 64 * 1024 * 1024;

/** The blob's bytes: in memory when it is small enough, else read from the blob by range. */
export async function byteSource(blob: ByteBlob, inMemory = IN_MEMORY_BYTES): Promise<ByteSource> {
	return blob.size <= inMemory
		? memorySource(new Uint8Array(await blob.arrayBuffer()))
		: blobSource(blob);
}

/** Whether the bytes start like a ZIP archive. */
export function looksLikeZip(head: Uint8Array): boolean {
	return head.length >= 4 && head[0] === 0x50 && head[1] === 0x4b && head[2] === 3 && head[3] === 4;
}

/** The archive's entries by name, from its central directory. */
export async function readZipDirectory(source: ByteSource): Promise<Map<string, ZipEntry>> {
	const tailSize = Math.min(source.size, 22 + 0xffff);
	const tail = await source.read(source.size - tailSize, source.size);
	const view = new DataView(tail.buffer, tail.byteOffset, tail.byteLength);
	let at = -1;
	for (let i = tail.length - 22; i >= 0; i--) {
		if (view.getUint32(i, true) === EOCD) {
			at = i;
			break;
		}
	}
	if (at < 0) throw new ZipError(m.zip_missing_directory());
	const count = view.getUint16(at + 10, true);
	const size = view.getUint32(at + 12, true);
	const offset = view.getUint32(at + 16, true);
	if (count === 0xffff || size === 0xffffffff || offset === 0xffffffff) {
		throw new ZipError(m.zip64());
	}
	if (count > MAX_ENTRIES) throw new ZipError(m.zip_too_many_parts({ count: formatNumber(count) }));
	if (offset + size > source.size) throw new ZipError(m.zip_directory_past_end());
	const dir = await source.read(offset, offset + size);
	const d = new DataView(dir.buffer, dir.byteOffset, dir.byteLength);
	const names = new TextDecoder();
	const entries = new Map<string, ZipEntry>();
	let p = 0;
	for (let i = 0; i < count; i++) {
		if (p + 46 > dir.length || d.getUint32(p, true) !== CENTRAL) {
			throw new ZipError(m.zip_directory_unreadable());
		}
		const nameLength = d.getUint16(p + 28, true);
		const extraLength = d.getUint16(p + 30, true);
		const commentLength = d.getUint16(p + 32, true);
		const name = names.decode(dir.subarray(p + 46, p + 46 + nameLength));
		entries.set(name, {
			name,
			method: d.getUint16(p + 10, true),
			encrypted: (d.getUint16(p + 8, true) & 1) === 1,
			compressedSize: d.getUint32(p + 20, true),
			size: d.getUint32(p + 24, true),
			offset: d.getUint32(p + 42, true)
		});
		p += 46 + nameLength + extraLength + commentLength;
	}
	return entries;
}

export interface EntryChunk {
	bytes: Uint8Array;
	/** Compressed bytes read so far, and the entry's compressed size (for progress). */
	read: number;
	total: number;
}

/**
 * Yields an entry's inflated bytes in pieces. Stops with a `ZipError` once more than `maxBytes`
 * (or more than the declared size) come out.
 */
export async function* inflateEntry(
	source: ByteSource,
	entry: ZipEntry,
	maxBytes: number,
	what = entry.name
): AsyncGenerator<EntryChunk> {
	if (entry.encrypted) throw new ZipError(m.workbook_password());
	if (entry.method !== 0 && entry.method !== 8) {
		throw new ZipError(m.zip_method({ part: partName(what), method: String(entry.method) }));
	}
	if (entry.size > maxBytes) throw tooLarge(what, entry.size, maxBytes);
	const head = await source.read(entry.offset, entry.offset + 30);
	const header = new DataView(head.buffer, head.byteOffset, head.byteLength);
	if (header.byteLength < 30 || header.getUint32(0, true) !== LOCAL) {
		throw new ZipError(m.zip_part_missing({ part: partName(what) }));
	}
	const start = entry.offset + 30 + header.getUint16(26, true) + header.getUint16(28, true);
	const end = start + entry.compressedSize;
	if (end > source.size) throw new ZipError(m.zip_part_cut({ part: partName(what) }));
	const limit = Math.min(maxBytes, entry.size);
	let produced = 0;
	let pending: Uint8Array[] = [];
	const inflater =
		entry.method === 8
			? new Inflate((data) => {
					produced += data.length;
					if (produced > limit) throw tooLarge(what, produced, limit);
					pending.push(data);
				})
			: null;
	for (let at = start; at < end;) {
		const next = Math.min(end, at + READ_BYTES);
		const slice = await source.read(at, next);
		at = next;
		for (let i = 0; i < slice.length; i += FEED_BYTES) {
			const part = slice.subarray(i, Math.min(slice.length, i + FEED_BYTES));
			const final = at >= end && i + FEED_BYTES >= slice.length;
			if (inflater) inflater.push(part, final);
			else {
				produced += part.length;
				if (produced > limit) throw tooLarge(what, produced, limit);
				pending.push(part);
			}
			if (pending.length > 0) {
				const out = pending;
				pending = [];
				for (const bytes of out) yield { bytes, read: at - start, total: entry.compressedSize };
			}
		}
	}
	if (start === end && inflater) inflater.push(new Uint8Array(0), true);
}

/** An entry's whole text (small parts only: the workbook, its relations, styles). */
export async function entryText(
	source: ByteSource,
	entry: ZipEntry,
	maxBytes: number,
	what?: string
): Promise<string> {
	const decoder = new TextDecoder();
	let text = '';
	for await (const { bytes } of inflateEntry(source, entry, maxBytes, what)) {
		text += decoder.decode(bytes, { stream: true });
	}
	return text + decoder.decode();
}

function tooLarge(what: string, size: number, limit: number): ZipError {
	const mb = (n: number) => `${formatNumber(Math.round(n / 1e6))} MB`;
	const part = partName(what);
	return new ZipError(
		size > limit
			? m.zip_part_too_large({ part, limit: mb(limit) })
			: m.zip_part_too_large_declared({ part, limit: mb(limit), size: mb(size) })
	);
}
