/**
 * Phone contact cards (`.vcf`): text whose first lines open a card. Each card is one record of
 * the fixed columns `VCARD_COLUMNS`, whose header is always row 1, so there is no delimiter to
 * choose and no header row to change.
 */
import { m } from '$lib/paraglide/messages';
import { looksBinary } from '$lib/domain/sniff';
import type { Format } from '../format';
import { previewText, type TextSyntax } from '../text/text-preview';
import { textRecords } from '../text/text-records';
import { looksLikeVCard, VCardSplitter } from './vcard-splitter';

const syntax: TextSyntax = {
	format: 'vcard',
	delimiter: () => ',',
	splitter: () => new VCardSplitter(),
	headerRow: 1,
	// The header record is always there: a card was found when another record follows it.
	found: (records) => records.length > 1,
	notFound: () => m.file_no_complete_card()
};

export const vcardFormat: Format = {
	id: 'vcard',
	// Binary content is left to CSV, whose preview says that the file is not text.
	detect: (head) => looksLikeVCard(head.text()) && !looksBinary(head.text()),
	preview: (file, overrides) => previewText(file, syntax, overrides),
	records: (blob, settings, chunkBytes) =>
		textRecords(blob, settings.encoding, new VCardSplitter(), chunkBytes)
};
