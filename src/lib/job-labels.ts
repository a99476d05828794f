/**
 * Job statuses, row problems and the error report's words as the UI shows them, in the app's
 * language (in English, the UI contract's names).
 */
import type { JobStatus } from '$lib/domain/import-job';
import type { IssueKind } from '$lib/domain/row-rules';
import type { ReportWords } from '$lib/domain/report-words';
import { m } from '$lib/paraglide/messages';
import { reasonText } from '$lib/reason-words';

const LABELS: Record<JobStatus, () => string> = {
	queued: m.status_queued,
	running: m.status_running,
	paused: m.status_paused,
	completed: m.status_completed,
	failed: m.status_failed,
	cancelled: m.status_cancelled
};

export function statusLabel(status: JobStatus): string {
	return LABELS[status]();
}

const ISSUES: Record<IssueKind, () => string> = {
	missing_phone: m.issue_missing_phone,
	invalid_phone: m.issue_invalid_phone,
	duplicate_in_file: m.issue_duplicate_in_file,
	existing_skipped: m.issue_existing_skipped,
	malformed: m.issue_malformed,
	invalid_email: m.issue_invalid_email,
	invalid_timezone: m.issue_invalid_timezone,
	too_long: m.issue_too_long,
	skipped_by_user: m.issue_skipped_by_user,
	do_not_call: m.issue_do_not_call
};

/** A row problem's kind as the UI and the error report name it. */
export function issueLabel(kind: IssueKind): string {
	return ISSUES[kind]();
}

/** The error report's words in the app's language (its headers, kinds, severities and reasons). */
export function reportWords(): ReportWords {
	return {
		headers: [
			m.report_row(),
			m.report_kind(),
			m.report_severity(),
			m.report_column(),
			m.report_value(),
			m.report_reason()
		],
		original: (header) => m.report_original({ header }),
		fixed: (header) => m.report_fixed({ header }),
		kind: issueLabel,
		severity: (s) =>
			s === 'skipped'
				? m.severity_skipped()
				: s === 'failed'
					? m.severity_failed()
					: m.severity_warning(),
		reason: reasonText
	};
}
