/**
 * The Review step's full pass: streams the whole file through the same row pipeline as the import
 * and counts every outcome. It writes no contact; with a `draftId` it replaces that draft's stored
 * problem rows (for the paginated table). Existing contacts are counted against one snapshot of
 * the contact keys, read before the pass; when the keys cannot be held that way, each slice asks
 * IndexedDB for its phones.
 */
import { existingPhones } from '$lib/db/contacts-repo';
import type { Target } from '$lib/domain/fields';
import type { CallaroDb } from '$lib/db/database';
import type { ParseSettings } from '$lib/domain/import-job';
import { readRecords } from '$lib/formats/registry';
import { RowPipeline } from '$lib/jobs/row-pipeline';
import type { IssueKind, RowIssue } from '$lib/domain/row-rules';
import { Patch, applyRule, type ColumnRule, type Fix } from '$lib/domain/fixes';
import { clearProblems, ProblemWriter } from '$lib/db/problems-repo';
import { snapshotKeys } from '$lib/db/contact-keys';
import { readDoNotCall } from '$lib/db/do-not-call-repo';
import { DistinctValues, type ColumnValues } from '$lib/domain/value-map';
import { detachString } from '$lib/domain/text';
import {
	countCallingRow,
	emptyCallingCounts,
	type CallingCounts
} from '$lib/domain/calling-counts';
import type { PhoneKind } from '$lib/domain/phone-kind';

export interface ReviewRequest {
	parse: ParseSettings;
	headers: string[];
	mapping: Target[];
	defaultCountry: string;
	/** The Review's fixes, applied before validation. */
	fixes?: Fix[];
	/** When set, every problem row is stored for the paginated table (replacing older ones). */
	draftId?: string;
}

export interface ProblemRow {
	row: number;
	kind: IssueKind;
	column: string;
	field: string;
	value: string;
	reason: string;
}

export interface ReviewSummary {
	/** Data rows (header, preamble and blank lines left out). */
	totalRows: number;
	/** Rows that pass validation and are first of their phone in the file. */
	validRows: number;
	/** Of those, how many match an existing contact. */
	existingMatches: number;
	missingPhone: number;
	invalidPhone: number;
	duplicatesInFile: number;
	malformed: number;
	invalidEmail: number;
	invalidTimezone: number;
	/** Valid rows with at least one warning. */
	rowsWithWarnings: number;
	/** Rows skipped on purpose in Review. */
	skippedByUser: number;
	/** Rows the fixes changed. */
	fixedRows: number;
	/**
	 * Phone kinds and time zones of the valid rows, and of those matching existing contacts apart:
	 * the Review shows them for either policy and either time zone option (see calling-counts.ts),
	 * so neither choice reads the file again.
	 */
	calling: CallingCounts;
	callingExisting: CallingCounts;
	/** Valid rows whose phone is on the do-not-call list, and of those, existing contacts. */
	doNotCall: number;
	doNotCallExisting: number;
	/** The calling counts of those rows (the Review leaves them out of the callable ones). */
	callingListed: CallingCounts;
	callingListedExisting: CallingCounts;
	/** The first problem rows, in file order. */
	problems: ProblemRow[];
	/**
	 * The distinct values of each column whose values can be mapped (value-map.ts), as the file
	 * holds them (before any fix), with their counts.
	 */
	values?: ColumnValues[];
}

/** A summary with every count at zero (a pass adds to it as it reads). */
export function emptyReviewSummary(): ReviewSummary {
	return {
		totalRows: 0,
		validRows: 0,
		existingMatches: 0,
		missingPhone: 0,
		invalidPhone: 0,
		duplicatesInFile: 0,
		malformed: 0,
		invalidEmail: 0,
		invalidTimezone: 0,
		rowsWithWarnings: 0,
		skippedByUser: 0,
		fixedRows: 0,
		calling: emptyCallingCounts(),
		callingExisting: emptyCallingCounts(),
		doNotCall: 0,
		doNotCallExisting: 0,
		callingListed: emptyCallingCounts(),
		callingListedExisting: emptyCallingCounts(),
		problems: []
	};
}

export const PROBLEM_SAMPLE = 200;

export interface ReviewProgress {
	fraction: number;
	rows: number;
}

/** Runs the pass; returns null when `isCancelled` turns true. */
export async function reviewFile(
	db: CallaroDb,
	file: Blob,
	request: ReviewRequest,
	onProgress: (p: ReviewProgress) => void,
	isCancelled: () => boolean
): Promise<ReviewSummary | null> {
	const pipeline = new RowPipeline(
		request.headers,
		request.mapping,
		request.defaultCountry,
		request.parse.headerRow,
		request.parse.columns,
		new Patch(request.fixes ?? [])
	);
	const s = emptyReviewSummary();
	const { set: listed } = await readDoNotCall(db);
	const distinct = new DistinctValues(request.mapping);
	// The same key snapshot as an import run: one key scan, then existence is a memory lookup.
	// Null (a key not in E.164) falls back to one `anyOf` query per slice.
	const known = await snapshotKeys(db);
	const draftId = request.draftId;
	if (draftId) await clearProblems(db, draftId);
	const writer = draftId ? new ProblemWriter(db, draftId) : null;
	const note = (row: number, { kind, column, field, value, reason, columnIndex }: RowIssue) => {
		if (s.problems.length < PROBLEM_SAMPLE)
			s.problems.push({ row, kind, column, field, value: detachString(value), reason });
		writer?.add({
			row,
			kind,
			column,
			columnIndex: columnIndex ?? -1,
			field,
			value,
			reason
		});
	};
	// Per valid row of a slice: its kind and its zone from the phone, to count the rows that match
	// existing contacts once the slice's existence check is done.
	const kinds: PhoneKind[] = [];
	const zones: (string | null | undefined)[] = [];
	const ownZones: (string | undefined)[] = [];
	const countExisting = (i: number) => {
		countCallingRow(s.callingExisting, kinds[i], zones[i], ownZones[i]);
		if (!listed.has(phones[i])) return;
		s.doNotCallExisting++;
		countCallingRow(s.callingListedExisting, kinds[i], zones[i], ownZones[i]);
	};
	let phones: string[] = [];
	for await (const chunk of readRecords(file, request.parse)) {
		if (isCancelled()) return null;
		phones = [];
		kinds.length = 0;
		zones.length = 0;
		ownZones.length = 0;
		for (const record of chunk.records) {
			if (!pipeline.isDataRow(record)) continue;
			s.totalRows++;
			distinct.add(record.cells);
			const { outcome, row, fixed } = pipeline.classify(record);
			if (fixed) s.fixedRows++;
			if (outcome.status === 'valid') {
				s.validRows++;
				phones.push(outcome.phone);
				kinds.push(outcome.phoneKind);
				zones.push(outcome.zoneFromPhone);
				ownZones.push(outcome.fields.timezone);
				countCallingRow(
					s.calling,
					outcome.phoneKind,
					outcome.zoneFromPhone,
					outcome.fields.timezone
				);
				if (listed.size > 0 && listed.has(outcome.phone)) {
					s.doNotCall++;
					countCallingRow(
						s.callingListed,
						outcome.phoneKind,
						outcome.zoneFromPhone,
						outcome.fields.timezone
					);
				}
				if (outcome.warnings.length > 0) s.rowsWithWarnings++;
				for (const w of outcome.warnings) {
					if (w.kind === 'invalid_email') s.invalidEmail++;
					else s.invalidTimezone++;
					note(row, w);
				}
				continue;
			}
			const issue = outcome.issue;
			if (issue.kind === 'missing_phone') s.missingPhone++;
			else if (issue.kind === 'invalid_phone') s.invalidPhone++;
			else if (issue.kind === 'duplicate_in_file') s.duplicatesInFile++;
			else if (issue.kind === 'skipped_by_user') s.skippedByUser++;
			else s.malformed++;
			note(row, issue);
		}
		if (known) {
			phones.forEach((phone, i) => {
				if (!known.phones.has(phone)) return;
				s.existingMatches++;
				countExisting(i);
			});
		} else if (phones.length > 0) {
			const found = await existingPhones(db, phones);
			s.existingMatches += found.size;
			phones.forEach((phone, i) => found.has(phone) && countExisting(i));
		}
		// Problem chunks are written in groups: each write transaction has a cost of its own.
		await writer?.flushFull();
		onProgress({ fraction: chunk.bytesRead / chunk.totalBytes, rows: s.totalRows });
	}
	await writer?.finish();
	s.values = distinct.result();
	return s;
}

/**
 * How many data rows a new column rule would change, on top of the fixes already made: shown
 * before the rule is applied.
 */
export async function countRuleChanges(
	file: Blob,
	request: Pick<ReviewRequest, 'parse' | 'fixes'>,
	rule: ColumnRule
): Promise<number> {
	const patch = new Patch(request.fixes ?? []);
	let n = 0;
	for await (const chunk of readRecords(file, request.parse)) {
		for (const record of chunk.records) {
			if (record.row <= request.parse.headerRow || record.error) continue;
			const { cells, skipped } = patch.apply(record.row, record.cells);
			if (skipped || cells.every((c) => c.trim() === '')) continue;
			const before = cells[rule.column] ?? '';
			if (applyRule(rule, before) !== before) n++;
		}
	}
	return n;
}
