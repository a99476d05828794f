/**
 * Reads a do-not-call file in the worker: any text, CSV or sheet the import reads, every cell that
 * holds a phone number (in any format, national numbers in the default country) is one number.
 * Cells that are not numbers are counted and one is quoted, never dropped in silence; a first row
 * with no number at all is taken as a header and left out of that count.
 */
import { m } from '$lib/paraglide/messages';
import { formatNumber } from '$lib/format';
import { addToDoNotCall, type DoNotCallMeta } from '$lib/db/do-not-call-repo';
import type { CallaroDb } from '$lib/db/database';
import { dncKey, DoNotCallSet } from '$lib/domain/do-not-call';
import { normalizePhone } from '$lib/domain/phone';
import { readRecords } from '$lib/formats/registry';
import { previewFile } from './preview';

export interface DoNotCallLoad {
	/** Numbers read from the file (repeats once). */
	read: number;
	/** Of those, numbers the list did not hold yet. */
	added: number;
	meta: DoNotCallMeta;
	/** Cells that are not phone numbers, and the first of them. */
	notPhones: number;
	example?: { row: number; value: string };
}

export async function loadDoNotCallFile(
	db: CallaroDb,
	file: File,
	defaultCountry: string
): Promise<DoNotCallLoad> {
	const preview = await previewFile(file);
	// A problem for an import (a lone "header" row with nothing below it) is no problem for a
	// list of one number: only a file with no readable rows at all stops here.
	if (preview.problem && preview.headers.length === 0) throw new Error(preview.problem);
	const keys: number[] = [];
	let notPhones = 0;
	let example: DoNotCallLoad['example'];
	const settings = {
		format: preview.format,
		encoding: preview.encoding,
		delimiter: preview.delimiter,
		newline: preview.newline
	};
	for await (const chunk of readRecords(file, settings)) {
		for (const record of chunk.records) {
			let found = 0;
			const misses: string[] = [];
			for (const cell of record.cells) {
				if (cell.trim() === '') continue;
				const phone = normalizePhone(cell, defaultCountry);
				if (phone.ok) {
					keys.push(dncKey(phone.e164));
					found++;
				} else misses.push(cell.trim());
			}
			if (found === 0 && keys.length === 0 && record.row === 1) continue;
			notPhones += misses.length;
			if (!example && misses.length > 0)
				example = { row: record.row, value: misses[0].slice(0, 80) };
		}
	}
	if (keys.length === 0)
		throw new Error(
			example
				? m.dnc_no_phone_example({
						file: file.name,
						row: formatNumber(example.row),
						value: example.value
					})
				: m.dnc_no_phone({ file: file.name })
		);
	const read = DoNotCallSet.fromKeys(Float64Array.from(keys));
	const { meta, added } = await addToDoNotCall(db, read);
	return { read: read.size, added, meta, notPhones, example };
}
