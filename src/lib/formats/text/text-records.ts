/**
 * A text file's records: bytes are read in slices, decoded with a streaming TextDecoder (a
 * character split between slices survives; a BOM is dropped) and split by the format's splitter.
 * Memory stays flat: one slice and its records at a time.
 */
import type { Encoding } from '$lib/domain/sniff';
import type { ByteBlob } from '$lib/io/byte-blob';
import type { RecordChunk, SourceRecord } from '../record';

/** Turns decoded text, pushed in chunks, into records; `final` marks the last chunk. */
export interface TextSplitter {
	push(text: string, final?: boolean): SourceRecord[];
}

/** Yields the file's records slice by slice; nothing for an empty file. */
export async function* textRecords(
	blob: ByteBlob,
	encoding: Encoding,
	splitter: TextSplitter,
	chunkBytes: number
): AsyncGenerator<RecordChunk> {
	const decoder = new TextDecoder(encoding);
	const total = blob.size;
	let offset = 0;
	while (offset < total) {
		const end = Math.min(total, offset + chunkBytes);
		const bytes = new Uint8Array(await blob.slice(offset, end).arrayBuffer());
		offset = end;
		const final = offset >= total;
		const text = decoder.decode(bytes, { stream: !final });
		const records = splitter.push(text, final);
		yield { records, bytesRead: offset, totalBytes: total };
	}
}
