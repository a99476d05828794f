/**
 * An import job as the app keeps it: how its file is read, how its columns map, its options,
 * progress and outcome; and the rows an import or a review reports.
 */
import type { ImportCounts } from './counts';
import type { Target } from './fields';
import type { Fix } from './fixes';
import type { IssueKind } from './row-rules';
import type { Delimiter, Encoding, Newline } from './sniff';

export type JobStatus = 'queued' | 'running' | 'paused' | 'completed' | 'failed' | 'cancelled';

export type ExistingPolicy = 'update' | 'skip';

export interface ImportOptions {
	defaultCountry: string;
	existingPolicy: ExistingPolicy;
	autoCreate: boolean;
	/**
	 * Fill a row's missing time zone from its phone number when the number lies in one zone.
	 * Absent on jobs stored before the option existed, which read it as off.
	 */
	fillTimezones?: boolean;
	/** Who owns the contacts whose row names no owner (a member's email or name); absent: nobody. */
	defaultOwner?: string;
	/** Skip rows whose phone is on the do-not-call list (else they import, and show as listed). */
	skipDoNotCall?: boolean;
}

/**
 * What kind of file it is: delimited text (CSV, TSV...), phone contact cards (vCard), or a
 * workbook (Excel `.xlsx`/`.xlsm`, legacy `.xls`, OpenDocument `.ods`). A job with no format was
 * written before other formats were read, and is CSV.
 */
export type FileFormat = 'csv' | 'vcard' | 'xlsx' | 'xls' | 'ods';

/** How the file is read: what the Upload step detected or the user chose. */
export interface ParseSettings {
	format?: FileFormat;
	/** The workbook's sheet the rows come from (workbooks only). */
	sheet?: string;
	encoding: Encoding;
	delimiter: Delimiter;
	newline: Newline;
	/** 1-based row number of the header row. */
	headerRow: number;
	/** Cells in the header row, when more than the mapped columns (a capped header). */
	columns?: number;
}

export interface ImportJob {
	id: string;
	fileName: string;
	fileSize: number;
	status: JobStatus;
	/** Why the job paused or failed, for people. */
	message?: string;
	createdAt: number;
	updatedAt: number;
	startedAt?: number;
	finishedAt?: number;
	parse: ParseSettings;
	headers: string[];
	mapping: Target[];
	options: ImportOptions;
	/** Keys of the custom fields this import created. */
	createdFields: string[];
	/** Data rows in the file, from the review pass (the progress bar's maximum). */
	totalRows: number;
	/** Last file row whose outcome is committed; resuming starts after it. */
	checkpointRow: number;
	counts: ImportCounts;
	/** Rows per second of the current or last run. */
	rowsPerSecond: number;
	/** The Review's fixes, applied as the file streams. */
	fixes?: Fix[];
	/** When `Undo import` finished, and what it did. */
	undo?: { at: number; deleted: number; restored: number };
}

/** A skipped, failed or warned row of an import (the error table and report). */
export interface RowErrorRecord {
	id?: number;
	jobId: string;
	row: number;
	kind: IssueKind;
	severity: 'skipped' | 'failed' | 'warning';
	column: string;
	field: string;
	value: string;
	reason: string;
	/** The row's original cells. */
	cells: string[];
	/** The row after the Review's fixes, when they changed it. */
	fixed?: string[];
}

/** One problem row found by the review pass (all of them, for the paginated table). */
export interface ReviewProblem {
	row: number;
	kind: IssueKind;
	column: string;
	columnIndex: number;
	field: string;
	value: string;
	reason: string;
}
