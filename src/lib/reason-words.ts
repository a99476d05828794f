/**
 * Stored English words in the app's language: a row problem's reason, and the message of an
 * error. The rules, the worker and the database write English (the reasons are stored with each
 * row, and the English error report keeps them for tools that read it); the UI and a report in
 * another language show them through these tables. A text they do not know (one written by a
 * newer release, or already in the language) is shown as it is, never dropped.
 */
import { m } from '$lib/paraglide/messages';
import { formatNumber, plural } from '$lib/format';
import { standardFieldLabel } from '$lib/field-labels';

/** Reasons with no value in them, by their English text. */
const FIXED: Record<string, () => string> = {
	'No phone number': m.reason_no_phone,
	'Not a phone number': m.reason_not_phone,
	'Not a valid phone number': m.reason_invalid_phone,
	'No country code, and no default country applies': m.reason_no_country,
	'Too short to be a phone number': m.reason_too_short,
	'Too long to be a phone number': m.reason_too_long,
	'Wrong number of digits for a phone number': m.reason_wrong_length,
	'Not an email address (it needs a name, @ and a domain)': m.reason_email_shape,
	'Not a valid email address': m.reason_email_invalid,
	'Not a time zone name (use an IANA name such as America/New_York)': m.reason_timezone,
	'A contact with this phone already exists; existing contacts are skipped':
		m.reason_existing_skipped,
	'Skipped in Review': m.reason_skipped_in_review
};

/** An English count as the rules write it ("12,345") in the app's language. */
const n = (text: string) => formatNumber(Number(text.replaceAll(',', '')));

const QUOTE =
	/^A quoted cell opens on this row and (is never closed before the end of the file|is closed only on a later line|is not closed within ([\d,]+) characters or ([\d,]+) lines); the row was set aside and reading went on with the next line\.$/;

/** Reasons with values in them: a pattern of the English text and its words in the language. */
const PATTERNS: [RegExp, (match: RegExpExecArray) => string][] = [
	[/^Not a valid number for ([A-Z]{2})$/, (x) => m.reason_invalid_for({ country: x[1] })],
	[/^Same phone number as row (\d+)$/, (x) => m.reason_duplicate({ row: x[1] })],
	[
		/^The row has (\d+) cells but the header has (\d+) \((\d+) extra cells? (?:is|are) not empty\)\.$/,
		(x) =>
			(plural(Number(x[3])) === 'one' ? m.reason_extra_cells_one : m.reason_extra_cells_other)({
				cells: n(x[1]),
				width: n(x[2]),
				extra: n(x[3])
			})
	],
	[
		/^(.+) is on the do-not-call list \(skipped by the import's option\)$/,
		(x) => m.reason_do_not_call({ phone: x[1] })
	],
	[
		/^([\d,]+) characters; the backend keeps at most ([\d,]+), so the value was left out$/,
		(x) => m.reason_value_too_long({ length: n(x[1]), limit: n(x[2]) })
	],
	[
		/^([\d,]+) tags; the backend keeps at most ([\d,]+), so the first [\d,]+ were kept$/,
		(x) => m.reason_too_many_tags({ count: n(x[1]), limit: n(x[2]) })
	],
	[
		/^The row is longer than ([\d,]+) characters with no line break, so it was set aside\.$/,
		(x) => m.reason_line_too_long({ limit: n(x[1]) })
	],
	[
		QUOTE,
		(x) =>
			x[2] !== undefined
				? m.reason_quote_limit({ chars: n(x[2]), lines: n(x[3]) })
				: x[1].startsWith('is never')
					? m.reason_quote_never_closed()
					: m.reason_quote_closed_later()
	]
];

/** `reason`, as stored by an import, in the app's language. */
export function reasonText(reason: string): string {
	const fixed = FIXED[reason];
	if (fixed) return fixed();
	for (const [pattern, words] of PATTERNS) {
		const match = pattern.exec(reason);
		if (match) return words(match);
	}
	return reason;
}

/** Errors with no value in them, by their English text. */
const ERRORS: Record<string, () => string> = {
	'The browser has no more storage for this site. Free some space, then try again.': m.error_quota,
	'The background worker was stopped before it finished.': m.error_worker_ended,
	'This import does not exist.': m.error_no_import,
	'This import was already undone.': m.error_already_undone,
	'Only a finished or cancelled import can be undone: pause and cancel it first.':
		m.error_undo_unfinished
};

/** The fields an edit names when it refuses a value. */
const EDIT_FIELDS = { Phone: 'phone', Timezone: 'timezone', Email: 'email', Tags: 'tags' } as const;

/** What an edit says of one value: a rule's reason, or a limit. */
function editProblem(problem: string): string {
	const long = /^([\d,]+) characters; at most ([\d,]+)$/.exec(problem);
	if (long) return m.error_edit_too_long({ length: n(long[1]), limit: n(long[2]) });
	const tags = /^(\d+) tags; at most (\d+)$/.exec(problem);
	if (tags) return m.error_edit_too_many_tags({ count: n(tags[1]), limit: n(tags[2]) });
	const taken = /^another contact already has (\+\d+)$/.exec(problem);
	if (taken) return m.error_edit_phone_taken({ phone: taken[1] });
	return reasonText(problem);
}

/** An error's message, as `messageOf` gives it, in the app's language. */
export function errorText(message: string): string {
	const fixed = ERRORS[message];
	if (fixed) return fixed();
	const stalled = /^It made no progress for (\d+) seconds and was stopped\.$/.exec(message);
	if (stalled) return m.error_worker_stalled({ seconds: n(stalled[1]) });
	// An edit's refusal: "Field: what is wrong." (a custom field is named by its key).
	const edit = /^([A-Za-z][a-z0-9_]*): (.+)\.$/.exec(message);
	if (edit) {
		const field = EDIT_FIELDS[edit[1] as keyof typeof EDIT_FIELDS];
		const problem = editProblem(edit[2]);
		if (problem !== edit[2] || field)
			return `${field ? standardFieldLabel(field) : edit[1]}: ${problem}.`;
	}
	return reasonText(message);
}
