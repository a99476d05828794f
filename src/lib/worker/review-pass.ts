/**
 * The Review step's full pass (SPEC §2.3): streams the whole file through the same row pipeline
 * as the import and counts every outcome, without writing anything. Existing contacts are looked up
 * in IndexedDB per slice, so memory stays flat.
 */
import type { Target } from '$lib/domain/fields';
import type { CallaroDb, ParseSettings } from '$lib/db/database';
import { readRecords } from '$lib/io/blob-records';
import { RowPipeline } from '$lib/jobs/row-pipeline';
import type { IssueKind } from '$lib/domain/row-rules';

export interface ReviewRequest {
	parse: ParseSettings;
	headers: string[];
	mapping: Target[];
	defaultCountry: string;
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
	/** The first problem rows, in file order. */
	problems: ProblemRow[];
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
		request.parse.columns
	);
	const s: ReviewSummary = {
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
		problems: []
	};
	const note = (row: number, p: Omit<ProblemRow, 'row'>) => {
		if (s.problems.length < PROBLEM_SAMPLE) s.problems.push({ row, ...p });
	};
	for await (const chunk of readRecords(file, request.parse)) {
		if (isCancelled()) return null;
		const phones: string[] = [];
		for (const record of chunk.records) {
			if (!pipeline.isDataRow(record)) continue;
			s.totalRows++;
			const { outcome, row } = pipeline.classify(record);
			if (outcome.status === 'valid') {
				s.validRows++;
				phones.push(outcome.phone);
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
			else s.malformed++;
			note(row, issue);
		}
		if (phones.length > 0) {
			const found = await db.contacts.bulkGet(phones);
			for (const c of found) if (c) s.existingMatches++;
		}
		onProgress({ fraction: chunk.bytesRead / chunk.totalBytes, rows: s.totalRows });
	}
	return s;
}
