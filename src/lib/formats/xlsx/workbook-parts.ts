/**
 * The small parts of an Excel workbook, each read whole:
 * - `workbook.xml`: the sheets, in tab order, with their names and whether they are hidden, and
 *   whether dates count from 1904;
 * - its relationships: which part holds which sheet (chart and macro sheets are not worksheets);
 * - `styles.xml`: each cell style's number format (a date, a percent, leading zeros).
 * Element names are read without their namespace prefix, as some writers use one; so is the
 * relationship id attribute (`r:id` and `id` alike).
 */
import { attributes } from '../sheet/xml-scan';
import { feedXml, xmlScanner } from '../sheet/sheet-xml';
import { classifyFormat, type CellFormat } from '../sheet/sheet-cells';

export interface WorkbookSheet {
	name: string;
	/** Relationship id of the sheet's part. */
	rid: string;
	hidden: boolean;
}

export interface Workbook {
	sheets: WorkbookSheet[];
	date1904: boolean;
}

const local = (name: string) => name.slice(name.indexOf(':') + 1);
const NO_TEXT = () => undefined;

/** Scans a whole (small) document, calling `open` for each element. */
function eachElement(
	xml: string,
	part: string,
	open: (name: string, attributes: Record<string, string>) => void
): void {
	const scanner = xmlScanner({
		open: (name, raw) => open(name, attributes(raw)),
		text: NO_TEXT,
		close: NO_TEXT
	});
	feedXml(scanner, xml, part);
	feedXml(scanner, null, part);
}

/** An attribute by its local name (`r:id` and `id` alike). */
function attr(attributes: Record<string, string>, name: string): string | undefined {
	if (name in attributes) return attributes[name];
	for (const key in attributes) if (local(key) === name) return attributes[key];
	return undefined;
}

export function parseWorkbook(xml: string): Workbook {
	const sheets: WorkbookSheet[] = [];
	let date1904 = false;
	eachElement(xml, 'workbook', (name, a) => {
		if (name === 'sheet') {
			const rid = attr(a, 'id');
			if (rid !== undefined) {
				sheets.push({
					name: a.name ?? `Sheet ${sheets.length + 1}`,
					rid,
					hidden: a.state === 'hidden' || a.state === 'veryHidden'
				});
			}
		} else if (name === 'workbookPr') {
			date1904 = a.date1904 === '1' || a.date1904 === 'true';
		}
	});
	return { sheets, date1904 };
}

/** Relationship id → target part path, for worksheets only, resolved against `base` (`xl/`). */
export function parseWorksheetTargets(xml: string, base: string): Map<string, string> {
	const targets = new Map<string, string>();
	eachElement(xml, 'relationships', (name, a) => {
		if (name !== 'Relationship' || !a.Id || !a.Target || a.TargetMode === 'External') return;
		if (!/\/worksheet$/.test(a.Type ?? '')) return;
		targets.set(a.Id, resolvePart(base, a.Target));
	});
	return targets;
}

function resolvePart(base: string, target: string): string {
	const parts = (target.startsWith('/') ? target.slice(1) : base + target).split('/');
	const out: string[] = [];
	for (const p of parts) {
		if (p === '..') out.pop();
		else if (p !== '.' && p !== '') out.push(p);
	}
	return out.join('/');
}

/** Each cell style's number format, by the style's index (`<c s="3">`). */
export function parseStyles(xml: string): CellFormat[] {
	const codes = new Map<number, string>();
	const formats: CellFormat[] = [];
	let inCellXfs = false;
	const scanner = xmlScanner({
		open(name, raw) {
			const a = name === 'numFmt' || name === 'xf' ? attributes(raw) : {};
			if (name === 'numFmt' && a.numFmtId !== undefined && a.formatCode !== undefined) {
				codes.set(Number(a.numFmtId), a.formatCode);
			} else if (name === 'cellXfs') inCellXfs = true;
			else if (name === 'xf' && inCellXfs) {
				const id = Number(a.numFmtId ?? 0);
				formats.push(classifyFormat(id, codes.get(id)));
			}
		},
		text: NO_TEXT,
		close(name) {
			if (name === 'cellXfs') inCellXfs = false;
		}
	});
	feedXml(scanner, xml, 'styles');
	feedXml(scanner, null, 'styles');
	return formats;
}
