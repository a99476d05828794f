/**
 * Streams a Blob (a File or the job's stored copy) as records: bytes are read in slices, decoded
 * with a streaming TextDecoder (a character split between slices survives; a BOM is dropped), and
 * split by `RecordSplitter` (CSV) or `VCardSplitter` (contact cards, as rows of fixed columns).
 * A workbook's sheet is read by `readSheetRecords` and comes out as the same chunks.
 * Memory stays flat: one slice and its records at a time.
 */
import { RecordSplitter } from '$lib/domain/csv-records';
import { isWorkbookFormat, type FileFormat } from '$lib/domain/import-job';
import type { Delimiter, Encoding, Newline } from '$lib/domain/sniff';
import { VCardSplitter } from '$lib/domain/vcard';
import { readSheetRecords } from './sheet-records';
import type { ByteBlob } from './byte-blob';
import type { RecordChunk } from './record-chunk';

export interface ReadSettings {
	/** CSV when absent. */
	format?: FileFormat;
	/** A workbook's sheet (its first sheet with rows when absent). */
	sheet?: string;
	encoding: Encoding;
	delimiter: Delimiter;
	newline: Newline;
}

export type { RecordChunk };

export const DEFAULT_CHUNK_BYTES = 1 << 20;

/** Yields the file's records slice by slice. */
export async function* readRecords(
	blob: ByteBlob,
	settings: ReadSettings,
	chunkBytes = DEFAULT_CHUNK_BYTES
): AsyncGenerator<RecordChunk> {
	if (isWorkbookFormat(settings.format)) {
		yield* readSheetRecords(blob, settings.format, settings.sheet);
		return;
	}
	const decoder = new TextDecoder(settings.encoding);
	const splitter =
		settings.format === 'vcard'
			? new VCardSplitter()
			: new RecordSplitter({ delimiter: settings.delimiter, newline: settings.newline });
	const total = blob.size;
	let offset = 0;
	if (total === 0) return;
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
