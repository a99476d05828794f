/**
 * The Upload step's preview, as the worker serves it: the registry picks the file's format from
 * its content and that format previews the start of the file (whatever its size). Problems that
 * stop an import here come back as `problem`, a message for people, never as a crash.
 */
import { m } from '$lib/paraglide/messages';
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
			problem: m.file_empty()
		};
	}
	const format = await detectFormat(file, overrides.encoding).catch((e: unknown) => {
		if (e instanceof ZipError) return e;
		throw e;
	});
	if (format instanceof ZipError)
		return { ...base, problem: m.file_zip_problem({ file: file.name, reason: format.message }) };
	if (!format) {
		return {
			...base,
			problem: m.file_zip_not_sheet({ file: file.name })
		};
	}
	return format.preview(file, overrides);
}
