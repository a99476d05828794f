/**
 * What the XML readers of both workbook formats (`.xlsx` parts and an `.ods`'s `content.xml`)
 * share: the error a damaged or hostile workbook stops with, and feeding text to the streaming
 * scanner so that malformed XML is reported by the part it was found in.
 */
import { m } from '$lib/paraglide/messages';
import { partName } from '$lib/io/part-name';
import { XmlError, XmlScanner, type XmlHandlers } from './xml-scan';

/** A problem with the workbook's content, worded for people. */
export class SheetError extends Error {
	override name = 'SheetError';
}

/** A scanner whose handlers get element names without their namespace prefix (`x:row` is `row`). */
export function xmlScanner(h: XmlHandlers): XmlScanner {
	return new XmlScanner(h, { localNames: true });
}

/**
 * Feeds text to a scanner. Malformed XML becomes a `SheetError` naming the part; an error thrown
 * by a handler (a limit) passes through as it is.
 */
export function feedXml(scanner: XmlScanner, text: string | null, part: string): void {
	try {
		if (text === null) scanner.close();
		else scanner.write(text);
	} catch (e) {
		if (e instanceof XmlError) {
			throw new SheetError(m.xml_not_well_formed({ part: partName(part), reason: e.message }));
		}
		throw e;
	}
}
