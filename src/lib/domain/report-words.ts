/**
 * The error report's words: its first six headers, the headers of the original and fixed cells,
 * the names of kinds and severities, and the reasons. The UI passes them in the app's language; without one the
 * report is in English, as tools reading it expect. Pure.
 */
import type { RowErrorRecord } from './import-job';
import { ISSUE_LABELS } from './row-rules';

/** The report's words: its first six headers, the cell columns' headers, kinds and severities. */
export interface ReportWords {
	headers: string[];
	original: (header: string) => string;
	fixed: (header: string) => string;
	kind: (kind: RowErrorRecord['kind']) => string;
	severity: (severity: RowErrorRecord['severity']) => string;
	/** A reason as stored (in English) in the report's language. */
	reason: (reason: string) => string;
}

/** The report in English, as tools reading it expect when no language is given. */
export const ENGLISH_REPORT: ReportWords = {
	headers: ['row', 'kind', 'severity', 'column', 'value', 'reason'],
	original: (h) => `original: ${h}`,
	fixed: (h) => `fixed: ${h}`,
	kind: (k) => ISSUE_LABELS[k],
	severity: (s) => s,
	reason: (r) => r
};
