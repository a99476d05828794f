/**
 * Planning an import from what the wizard holds, with no IO: which custom fields to create for
 * not-mapped columns, how much storage the import needs, and the job record to write. The wizard
 * writes what this returns; every rule about the plan lives here.
 */
import { emptyCounts } from './counts';
import { customTarget, uniqueKeyFor, type CustomFieldDef, type Target } from './fields';
import type { Fix } from './fixes';
import type { ImportJob, ImportOptions, ParseSettings } from './import-job';

/** Bytes an imported row may take in storage (the contact, its index entry, an error record). */
export const BYTES_PER_ROW = 800;

/** A custom field the import will create (or reuse) for a not-mapped column. */
export interface PlannedField {
	column: number;
	header: string;
	key: string;
}

/**
 * The parse settings a job and a review read the file with, taken from what the preview detected
 * (or the person chose): only those fields, whatever else the preview carries.
 */
export function parseSettingsOf(p: ParseSettings): ParseSettings {
	return {
		...(p.format && p.format !== 'csv' ? { format: p.format } : {}),
		...(p.sheet !== undefined ? { sheet: p.sheet } : {}),
		encoding: p.encoding,
		delimiter: p.delimiter,
		newline: p.newline,
		headerRow: p.headerRow,
		columns: p.columns
	};
}

/**
 * The fields auto-create makes for the not-mapped columns (an empty target; a column set to
 * `skip` is the person's choice and never gets one). A column whose header matches an existing
 * field's label reuses that field unless another column already maps to it; otherwise the key is
 * slugged from the header and made unique. A header with no usable key gets no field.
 */
export function planFields(
	headers: readonly string[],
	mapping: readonly Target[],
	customFields: readonly CustomFieldDef[]
): PlannedField[] {
	const taken = new Set(customFields.map((f) => f.key));
	const planned: PlannedField[] = [];
	mapping.forEach((target, column) => {
		if (target !== '') return;
		const header = headers[column];
		const existing = customFields.find((f) => f.label.toLowerCase() === header.toLowerCase());
		if (existing && !mapping.includes(customTarget(existing.key))) {
			planned.push({ column, header, key: existing.key });
			return;
		}
		const key = uniqueKeyFor(header, taken);
		if (key === null) return;
		taken.add(key);
		planned.push({ column, header, key });
	});
	return planned;
}

/** Bytes the import may need: the stored file (kept twice while it is copied) and its rows. */
export function storageNeeded(fileSize: number, rows: number): number {
	return fileSize * 2 + rows * BYTES_PER_ROW;
}

/** What is needed and free when the import does not fit; null when it fits or is unknown. */
export function storageShortfall(
	need: number,
	estimate: { quota?: number; usage?: number } | undefined
): { need: number; free: number } | null {
	if (estimate?.quota === undefined || estimate.usage === undefined) return null;
	const free = estimate.quota - estimate.usage;
	return free < need ? { need, free } : null;
}

export interface ImportDraft {
	id: string;
	now: number;
	fileName: string;
	fileSize: number;
	parse: ParseSettings;
	headers: readonly string[];
	mapping: readonly Target[];
	options: ImportOptions;
	fixes: readonly Fix[];
	/** Data rows the review counted. */
	totalRows: number;
	customFields: readonly CustomFieldDef[];
}

/** The job to write and the custom fields to create with it (in the same transaction). */
export function planImport(d: ImportDraft): { job: ImportJob; fields: CustomFieldDef[] } {
	const mapping = [...d.mapping];
	const fields: CustomFieldDef[] = [];
	const planned = d.options.autoCreate ? planFields(d.headers, d.mapping, d.customFields) : [];
	for (const plan of planned) {
		mapping[plan.column] = customTarget(plan.key);
		if (!d.customFields.some((f) => f.key === plan.key)) {
			fields.push({
				key: plan.key,
				label: plan.header,
				type: 'text',
				createdAt: d.now,
				createdByJob: d.id
			});
		}
	}
	const job: ImportJob = {
		id: d.id,
		fileName: d.fileName,
		fileSize: d.fileSize,
		status: 'queued',
		createdAt: d.now,
		updatedAt: d.now,
		parse: parseSettingsOf(d.parse),
		headers: [...d.headers],
		mapping,
		options: { ...d.options },
		createdFields: fields.map((f) => f.key),
		totalRows: d.totalRows,
		checkpointRow: 0,
		counts: emptyCounts(),
		rowsPerSecond: 0,
		fixes: [...d.fixes]
	};
	return { job, fields };
}
