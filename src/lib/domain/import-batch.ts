/**
 * What one import batch changes, planned without touching storage: which contacts it creates and
 * updates, what each row reports, the batch's counts and the undo entries. The job runner reads
 * the batch's existing contacts and the device time inside the batch's transaction, plans here,
 * and writes the plan through the one contact write (db/contact-writes.ts).
 */
import { mergeContact, newContact, type Contact } from './contact';
import { emptyCounts, type ImportCounts } from './counts';
import type { ExistingPolicy, RowErrorRecord } from './import-job';
import type { PhoneKind } from './phone-kind';
import { ISSUE_SEVERITY, type RowIssue, type RowOutcome } from './row-rules';

/** A file row after the Review's fixes, validation and the in-file dedupe. */
export interface ClassifiedRow {
	row: number;
	/** The row as in the file. */
	cells: string[];
	/** The row after the Review fixes, when they changed it. */
	fixed?: string[];
	outcome: RowOutcome;
}

/** The fields an update changed on an existing contact, for `Undo import`. */
export interface UndoEntry {
	jobId: string;
	phone: string;
	before: Contact;
	after: Contact;
}

export interface ImportBatchContext {
	jobId: string;
	existingPolicy: ExistingPolicy;
	/** The batch's time (the device clock's next tick). */
	at: number;
	/** The header of the column mapped to phone, and a row's cell in it (for row reports). */
	phoneColumn: string;
	phoneCell: (cells: string[]) => string;
}

export interface ImportBatchPlan {
	/** Contacts to write, created and updated, with their phone kinds. */
	writes: Contact[];
	kinds: PhoneKind[];
	counts: ImportCounts;
	errors: RowErrorRecord[];
	undo: UndoEntry[];
}

/** The phones of a batch's valid rows: the existing contacts the plan needs. */
export function batchPhones(batch: readonly ClassifiedRow[]): string[] {
	const phones: string[] = [];
	for (const r of batch) if (r.outcome.status === 'valid') phones.push(r.outcome.phone);
	return phones;
}

/** Plans a batch over the existing contacts of its phones. */
export function planImportBatch(
	batch: readonly ClassifiedRow[],
	existing: ReadonlyMap<string, Contact>,
	ctx: ImportBatchContext
): ImportBatchPlan {
	const plan: ImportBatchPlan = {
		writes: [],
		kinds: [],
		counts: emptyCounts(),
		errors: [],
		undo: []
	};
	const { counts } = plan;
	const record = (row: ClassifiedRow, { columnIndex: _, ...issue }: RowIssue) =>
		plan.errors.push({
			jobId: ctx.jobId,
			row: row.row,
			severity: ISSUE_SEVERITY[issue.kind],
			cells: row.cells,
			...(row.fixed ? { fixed: row.fixed } : {}),
			...issue
		});
	for (const row of batch) {
		counts.processed++;
		const o = row.outcome;
		if (o.status === 'failed') {
			counts.failed++;
			record(row, o.issue);
			continue;
		}
		if (o.status === 'skipped') {
			countSkip(counts, o.issue.kind);
			record(row, o.issue);
			continue;
		}
		const before = existing.get(o.phone);
		if (before && ctx.existingPolicy === 'skip') {
			counts.skippedExisting++;
			record(row, {
				kind: 'existing_skipped',
				column: ctx.phoneColumn,
				field: 'phone',
				value: ctx.phoneCell(row.cells),
				reason: 'A contact with this phone already exists; existing contacts are skipped'
			});
			continue;
		}
		if (o.warnings.length > 0) {
			counts.warnings++;
			for (const w of o.warnings) record(row, w);
		}
		if (before) {
			const { contact, changed } = mergeContact(before, o.fields, ctx.at, ctx.jobId);
			plan.writes.push(contact);
			plan.kinds.push(o.phoneKind);
			counts.updated++;
			if (changed) plan.undo.push({ jobId: ctx.jobId, phone: o.phone, before, after: contact });
		} else {
			plan.writes.push(newContact(o.phone, o.fields, ctx.at, ctx.jobId));
			plan.kinds.push(o.phoneKind);
			counts.created++;
		}
	}
	return plan;
}

function countSkip(counts: ImportCounts, kind: RowIssue['kind']): void {
	if (kind === 'skipped_by_user') {
		counts.skippedByUser = (counts.skippedByUser ?? 0) + 1;
		return;
	}
	if (kind === 'do_not_call') {
		counts.skippedDoNotCall = (counts.skippedDoNotCall ?? 0) + 1;
		return;
	}
	if (kind === 'missing_phone') counts.skippedMissingPhone++;
	else if (kind === 'invalid_phone') counts.skippedInvalidPhone++;
	else if (kind === 'duplicate_in_file') counts.skippedDuplicate++;
	else if (kind === 'existing_skipped') counts.skippedExisting++;
	else counts.failed++;
}
