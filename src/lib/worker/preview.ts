/**
 * The Upload step's preview, as the worker serves it: the registry picks the file's format from
 * its content and that format previews the start of the file (whatever its size). Problems that
 * stop an import here come back as `problem`, a message for people, never as a crash.
 */
import { emptyPreview, type PreviewOverrides, type PreviewResult } from '$lib/formats/preview';
import { detectFormat } from '$lib/formats/registry';
import { ZipError } from '$lib/io/zip-reader';

// The worker API's preview types, for the page's state that calls it.
export { emptyPreview, type PreviewOverrides, type PreviewResult };

/** Builds the preview of `file`. */
export async function previewFile(
	file: File,
	overrides: PreviewOverrides = {}
): Promise<PreviewResult> {
	const base = emptyPreview(file.name, file.size);
	if (file.size === 0) {
		return {
			...base,
			problem:
				'The file is empty (0 bytes). Choose a CSV file with a header row and at least one contact.'
		};
	}
	const format = await detectFormat(file, overrides.encoding).catch((e: unknown) => {
		if (e instanceof ZipError) return e;
		throw e;
	});
	if (format instanceof ZipError) return { ...base, problem: `“${file.name}”: ${format.message}` };
	if (!format) {
		return {
			...base,
			problem: `“${file.name}” is a ZIP archive but not a spreadsheet. Choose a CSV, Excel (.xlsx, .xls), OpenDocument (.ods) or contact card (.vcf) file.`
		};
	}
	return format.preview(file, overrides);
}
