/**
 * Saves text or a Blob as a file through a temporary link (no server involved).
 */
export function saveFile(
	name: string,
	content: Blob | string,
	type = 'text/csv;charset=utf-8'
): void {
	const blob = typeof content === 'string' ? new Blob([content], { type }) : content;
	const url = URL.createObjectURL(blob);
	const a = document.createElement('a');
	a.href = url;
	a.download = name;
	document.body.append(a);
	a.click();
	a.remove();
	setTimeout(() => URL.revokeObjectURL(url), 10_000);
}
