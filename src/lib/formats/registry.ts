/**
 * The formats the app reads, and the one place that picks a file's format: the preview detects
 * it from the file's start (`detectFormat`), the job keeps its id, and every later read (review,
 * import, resume, error report) goes through the same format by that id (`readRecords`).
 */
import type { FileFormat } from '$lib/domain/import-job';
import { detectEncoding, type Encoding } from '$lib/domain/sniff';
import type { ByteBlob } from '$lib/io/byte-blob';
import { blobSource, looksLikeZip, readZipDirectory } from '$lib/io/zip-reader';
import { csvFormat } from './csv/csv-format';
import { DEFAULT_CHUNK_BYTES, type FileHead, type Format, type ReadSettings } from './format';
import { odsFormat } from './ods/ods-format';
import { PREVIEW_BYTES } from './preview';
import type { RecordChunk } from './record';
import { vcardFormat } from './vcard/vcard-format';
import { xlsFormat } from './xls/xls-format';
import { xlsxFormat } from './xlsx/xlsx-format';

/**
 * In the order they are asked whether they claim a file: the containers first, whose signatures
 * are certain (a compound file, then the two kinds of ZIP package), then contact cards (text that
 * opens a card), then CSV, which claims whatever else is not a ZIP archive.
 */
export const FORMATS: readonly Format[] = [
	xlsFormat,
	xlsxFormat,
	odsFormat,
	vcardFormat,
	csvFormat
];

/** The format a job's settings name; CSV when they name none. */
export function formatById(id: FileFormat = 'csv'): Format {
	const format = FORMATS.find((f) => f.id === id);
	if (!format) throw new Error(`No reader for the file format “${id}”.`);
	return format;
}

/**
 * The format that reads `file`, from its content (`encoding`: the one the person chose, for text
 * formats). Null for a ZIP archive that holds no spreadsheet; a damaged ZIP archive rejects with
 * a `ZipError`.
 */
export async function detectFormat(file: ByteBlob, encoding?: Encoding): Promise<Format | null> {
	const head = await readHead(file, encoding);
	for (const format of FORMATS) if (await format.detect(head)) return format;
	return null;
}

/** Yields the file's records in chunks, read by the format its settings name. */
export async function* readRecords(
	blob: ByteBlob,
	settings: ReadSettings,
	chunkBytes = DEFAULT_CHUNK_BYTES
): AsyncGenerator<RecordChunk> {
	yield* formatById(settings.format).records(blob, settings, chunkBytes);
}

async function readHead(blob: ByteBlob, encoding: Encoding | undefined): Promise<FileHead> {
	const bytes = new Uint8Array(await blob.slice(0, PREVIEW_BYTES).arrayBuffer());
	const whole = blob.size <= PREVIEW_BYTES;
	let text: string | undefined;
	let zip: ReturnType<FileHead['zip']> | undefined;
	return {
		bytes,
		whole,
		text: () =>
			(text ??= new TextDecoder(encoding ?? detectEncoding(bytes, whole).encoding).decode(bytes, {
				stream: !whole
			})),
		zip: () => {
			if (!zip) {
				const source = blobSource(blob);
				zip = looksLikeZip(bytes)
					? readZipDirectory(source).then((entries) => ({ source, entries }))
					: Promise.resolve(null);
			}
			return zip;
		}
	};
}
