/**
 * The interface every file format meets, so that the Upload step, the review, the import, a
 * resumed job and the error report read any format the same way. The registry (registry.ts)
 * holds the formats in the order they are asked and picks one per file.
 */
import type { FileFormat } from '$lib/domain/import-job';
import type { Delimiter, Encoding, Newline } from '$lib/domain/sniff';
import type { ByteBlob } from '$lib/io/byte-blob';
import type { ByteSource, ZipEntry } from '$lib/io/zip-reader';
import type { PreviewOverrides, PreviewResult } from './preview';
import type { RecordChunk } from './record';

/** How a file's records are read: a job's parse settings, as the Upload step detected them. */
export interface ReadSettings {
	/** CSV when absent (a job written before other formats were read). */
	format?: FileFormat;
	/** A workbook's sheet (its first visible sheet with rows when absent). */
	sheet?: string;
	encoding: Encoding;
	delimiter: Delimiter;
	newline: Newline;
}

/** The bytes a text format's reader takes at a time: memory holds one slice and its records. */
export const DEFAULT_CHUNK_BYTES = 1 << 20;

/** A file with the name its preview's messages quote (a `File` is one). */
export interface NamedBlob extends ByteBlob {
	readonly name: string;
}

/** What detection sees of a file: its start, and, for a ZIP archive, its directory. */
export interface FileHead {
	/** The file's first bytes (the first read of a preview). */
	readonly bytes: Uint8Array;
	/** Whether `bytes` is the whole file. */
	readonly whole: boolean;
	/** `bytes` as text, in the encoding the person chose, else the detected one. */
	text(): string;
	/**
	 * The archive's entries and its bytes when the file is a ZIP archive, else null. Read once
	 * for every format that asks; a damaged archive rejects with a `ZipError`.
	 */
	zip(): Promise<{ source: ByteSource; entries: Map<string, ZipEntry> } | null>;
}

export interface Format {
	readonly id: FileFormat;
	/**
	 * Whether this format reads the file, judged by its content only, never by its name (a CSV
	 * export named `.xls` reads as the CSV it is). Asked in the registry's order: a format may
	 * rely on the ones before it having declined.
	 */
	detect(head: FileHead): boolean | Promise<boolean>;
	/** The Upload step's preview: reads only the start of the file, whatever its size. */
	preview(file: NamedBlob, overrides: PreviewOverrides): Promise<PreviewResult>;
	/** Every record of the file, in order, in chunks (`chunkBytes` sizes a text format's reads). */
	records(blob: ByteBlob, settings: ReadSettings, chunkBytes: number): AsyncGenerator<RecordChunk>;
}
