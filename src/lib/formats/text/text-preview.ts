/**
 * The preview of a text format (CSV, vCard): reads the first bytes of the file (whatever its
 * size), detects encoding and line ending, splits them with the format's splitter and hands the
 * records to `withHeader`. It reads more, up to MAX_PREVIEW_BYTES, only while not even one
 * complete row has been found (a very wide header, a long preamble cell).
 */
import { m } from '$lib/paraglide/messages';
import {
	detectEncoding,
	detectNewline,
	looksBinary,
	type Delimiter,
	type Newline
} from '$lib/domain/sniff';
import type { NamedBlob } from '../format';
import {
	emptyPreview,
	PREVIEW_BYTES,
	withHeader,
	type PreviewOverrides,
	type PreviewResult
} from '../preview';
import type { SourceRecord } from '../record';
import type { TextSplitter } from './text-records';

/** The most the preview reads while looking for a first complete row. */
export const MAX_PREVIEW_BYTES = 8 * 1024 * 1024;

/** What a text format decides in its preview; the rest is the same for every text format. */
export interface TextSyntax {
	readonly format: 'csv' | 'vcard';
	/** The delimiter shown and used: the override, detected from the text, or fixed. */
	delimiter(text: string, overrides: PreviewOverrides): Delimiter;
	splitter(delimiter: Delimiter, newline: Newline): TextSplitter;
	/** A header row no override changes (contact cards: their fixed columns are row 1). */
	readonly headerRow?: number;
	/** Whether the records read hold a first complete row to preview. */
	found(records: readonly SourceRecord[]): boolean;
	/** Why the file cannot be previewed when no complete row was found in `limit` bytes. */
	notFound(wholeFile: boolean, limit: number): string;
}

export async function previewText(
	file: NamedBlob,
	syntax: TextSyntax,
	overrides: PreviewOverrides
): Promise<PreviewResult> {
	const base: PreviewResult = { ...emptyPreview(file.name, file.size), format: syntax.format };
	const fixed =
		syntax.headerRow === undefined ? overrides : { ...overrides, headerRow: syntax.headerRow };
	let limit = PREVIEW_BYTES;
	for (;;) {
		const wholeFile = file.size <= limit;
		const bytes = new Uint8Array(await file.slice(0, limit).arrayBuffer());
		const detected = detectEncoding(bytes, wholeFile);
		const encoding = overrides.encoding ?? detected.encoding;
		const text = new TextDecoder(encoding).decode(bytes, { stream: !wholeFile });
		if (looksBinary(text)) {
			return {
				...base,
				encoding,
				wholeFile,
				problem: m.file_binary({ file: file.name })
			};
		}
		const newline = detectNewline(text);
		const delimiter = syntax.delimiter(text, overrides);
		const records = syntax.splitter(delimiter, newline).push(text, wholeFile);
		const common = { ...base, encoding, bom: detected.bom, delimiter, newline, wholeFile };
		const found = syntax.found(records);
		if (!found && !wholeFile && limit < MAX_PREVIEW_BYTES) {
			limit *= 4;
			continue;
		}
		if (!found) return { ...common, problem: syntax.notFound(wholeFile, limit) };
		return withHeader(common, records, fixed);
	}
}
