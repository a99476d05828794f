/**
 * `sharedStrings.xml`, the table of texts that a workbook's text cells point into by index, read
 * in chunks as it inflates; and the OOXML escapes that both it and inline cells use.
 */
import { m } from '$lib/paraglide/messages';
import { formatNumber } from '$lib/format';
import type { XmlScanner } from '../sheet/xml-scan';
import { feedXml, SheetError, xmlScanner } from '../sheet/sheet-xml';

/** OOXML escapes characters XML cannot hold as `_xHHHH_` (`_x000D_` is a carriage return). */
export function unescapeOoxml(text: string): string {
	if (!text.includes('_x')) return text;
	return text.replace(/_x([0-9A-Fa-f]{4})_/g, (_, hex: string) =>
		String.fromCharCode(parseInt(hex, 16))
	);
}

/** Limits on the shared strings a workbook may hold (a hostile table cannot fill the memory). */
export interface SharedStringLimits {
	maxStrings: number;
	maxChars: number;
}

/**
 * Reads `sharedStrings.xml` in chunks. Each `<si>` is one string: its `<t>` text, or the runs of
 * rich text (`<r><t>`) joined; phonetic guides (`<rPh>`) are not part of the text.
 */
export class SharedStringsReader {
	readonly strings: string[] = [];
	private readonly scanner: XmlScanner;
	/** Whether every string wanted is read (`upTo`): the rest of the table need not be. */
	full = false;
	private chars = 0;
	private current = '';
	private inT = false;
	private inPhonetic = 0;

	/** `upTo`: the highest index wanted (a preview needs only the strings its first rows use). */
	constructor(limits: SharedStringLimits, upTo = Infinity) {
		this.scanner = xmlScanner({
			open: (name) => {
				if (name === 't') this.inT = this.inPhonetic === 0;
				else if (name === 'rPh') this.inPhonetic++;
				else if (name === 'si') this.current = '';
			},
			text: (text) => {
				if (this.inT) this.current += text;
			},
			close: (name) => {
				if (name === 't') this.inT = false;
				else if (name === 'rPh') this.inPhonetic--;
				else if (name === 'si') {
					this.chars += this.current.length;
					if (this.strings.length >= limits.maxStrings || this.chars > limits.maxChars) {
						throw new SheetError(
							m.strings_too_many({
								texts: formatNumber(limits.maxStrings),
								chars: formatNumber(Math.round(limits.maxChars / 1e6))
							})
						);
					}
					this.strings.push(unescapeOoxml(this.current));
					this.current = '';
					if (this.strings.length > upTo) this.full = true;
				}
			}
		});
	}

	push(text: string): void {
		feedXml(this.scanner, text, 'shared text table');
	}

	close(): string[] {
		feedXml(this.scanner, null, 'shared text table');
		return this.strings;
	}
}
