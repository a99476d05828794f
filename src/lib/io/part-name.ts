/**
 * A workbook part's name for people, in the app's language. The readers name the part they read
 * in English ("styles", `sheet “Leads”`); a name this table does not know is shown as it is.
 */
import { m } from '$lib/paraglide/messages';

const NAMES: Record<string, () => string> = {
	workbook: m.part_workbook,
	relationships: m.part_relationships,
	styles: m.part_styles,
	'shared text table': m.part_shared_strings,
	'sheet content': m.part_sheet_content,
	sheet: m.part_sheet
};

export function partName(what: string): string {
	const sheet = /^sheet “(.*)”$/.exec(what);
	if (sheet) return m.part_sheet_named({ name: sheet[1] });
	return NAMES[what]?.() ?? what;
}
