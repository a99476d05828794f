/**
 * Which columns of the Map step a small screen shows at first: those with a target (a field or
 * a custom field), in the file's order; the rest (not mapped or set to skip, which in an export
 * are mostly the columns empty in the preview) fold behind one button.
 */
export function foldedColumns(
	mapping: readonly string[],
	columns: number
): { shown: number[]; folded: number[] } {
	const shown: number[] = [];
	const folded: number[] = [];
	for (let i = 0; i < columns; i++) {
		const target = mapping[i] ?? '';
		// A column mapped to a field stays in view even when the preview has no value for it.
		if (target !== '' && target !== 'skip') shown.push(i);
		else folded.push(i);
	}
	return { shown, folded };
}
