/**
 * CSV and other delimited text (`,` `;` tab `|`, cells pasted from a spreadsheet): asked last, it
 * reads every file no other format claimed, except a ZIP archive (a ZIP is never text; the
 * registry says what it is). A binary file is claimed too, so that its preview says it is not
 * text instead of leaving the file unexplained.
 */
import { m } from '$lib/paraglide/messages';
import { formatNumber } from '$lib/format';
import { isBlankRecord } from '$lib/domain/row-rules';
import { detectDelimiter } from '$lib/domain/sniff';
import { looksLikeZip } from '$lib/io/zip-reader';
import type { Format } from '../format';
import { previewText, type TextSyntax } from '../text/text-preview';
import { textRecords } from '../text/text-records';
import { RecordSplitter } from './record-splitter';

const syntax: TextSyntax = {
	format: 'csv',
	delimiter: (text, overrides) => overrides.delimiter ?? detectDelimiter(text),
	splitter: (delimiter, newline) => new RecordSplitter({ delimiter, newline }),
	found: (records) => records.some((r) => !isBlankRecord(r.cells) && !r.error),
	notFound: (wholeFile, limit) =>
		wholeFile
			? m.file_only_blank()
			: m.file_no_line_breaks({ size: formatNumber(Math.round(limit / 1e6)) })
};

export const csvFormat: Format = {
	id: 'csv',
	detect: (head) => !looksLikeZip(head.bytes),
	preview: (file, overrides) => previewText(file, syntax, overrides),
	records: (blob, settings, chunkBytes) =>
		textRecords(
			blob,
			settings.encoding,
			new RecordSplitter({ delimiter: settings.delimiter, newline: settings.newline }),
			chunkBytes
		)
};
