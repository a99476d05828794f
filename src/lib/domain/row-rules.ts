/**
 * Row validation: a data row's cells, through the column mapping, become a contact's
 * values or a reason to skip or fail the row. Dedupe inside the file is a separate step
 * (`InFileDedupe`) so that the same rules serve the review pass and the import.
 */
import type { ContactFields } from './contact';
import { applyFieldRule, importReason, MAX_TAGS, type RuledField } from './field-rules';
import { customKeyOf, customTarget, type Target } from './fields';
import { normalizePhone } from './phone';
import { PhoneTable } from './phone-table';
import { parseTags } from './tags';
import { unguardFormula } from './csv-writer';

import { normalizeTimezone } from './timezone';
import { kindOfType, type PhoneKind } from './phone-kind';
import { zoneFromPhone } from './phone-timezone';

export type IssueKind =
	| 'missing_phone'
	| 'invalid_phone'
	| 'duplicate_in_file'
	| 'existing_skipped'
	| 'malformed'
	| 'invalid_email'
	| 'invalid_timezone'
	| 'too_long'
	| 'skipped_by_user'
	| 'do_not_call';

/** Skipped and failed kinds stop a row; warnings do not. */
export const ISSUE_SEVERITY: Record<IssueKind, 'skipped' | 'failed' | 'warning'> = {
	missing_phone: 'skipped',
	invalid_phone: 'skipped',
	duplicate_in_file: 'skipped',
	existing_skipped: 'skipped',
	malformed: 'failed',
	invalid_email: 'warning',
	invalid_timezone: 'warning',
	too_long: 'warning',
	skipped_by_user: 'skipped',
	do_not_call: 'skipped'
};

export const ISSUE_LABELS: Record<IssueKind, string> = {
	missing_phone: 'Missing phone',
	invalid_phone: 'Invalid phone',
	duplicate_in_file: 'Duplicate in file',
	existing_skipped: 'Existing contact (skipped)',
	malformed: 'Malformed row',
	invalid_email: 'Invalid email',
	invalid_timezone: 'Unknown timezone',
	too_long: 'Too long to sync',
	skipped_by_user: 'Skipped by you',
	do_not_call: 'On the do-not-call list'
};

/** One problem with one row: which column, which value, and why. */
export interface RowIssue {
	kind: IssueKind;
	/** Header text of the column at fault ('' when the whole row is at fault). */
	column: string;
	/** Field the column maps to, e.g. `phone` (used to name inputs `Row 10 phone`). */
	field: string;
	/** Index of the column at fault (-1 when the whole row is at fault). */
	columnIndex?: number;
	value: string;
	reason: string;
}

export interface ValidRow {
	status: 'valid';
	phone: string;
	fields: ContactFields;
	warnings: RowIssue[];
	phoneKind: PhoneKind;
	/**
	 * Only for a row with no time zone of its own (no column, or an empty cell): the zone its
	 * number lies in, or null when it lies in several or none is known. Undefined when the row
	 * names a zone, valid or not: a file's own value always wins, and an unknown name stays a
	 * warning rather than being replaced.
	 */
	zoneFromPhone?: string | null;
}

export type RowOutcome =
	ValidRow | { status: 'skipped'; issue: RowIssue } | { status: 'failed'; issue: RowIssue };

export interface ValidatorOptions {
	defaultCountry?: string;
	/** Cells a row may have before extra ones make it malformed (default: the header's length). */
	columns?: number;
	/** Fill a row's missing time zone from its number, when the number lies in one zone. */
	fillTimezones?: boolean;
	/** The owner of a row whose owner cell is empty (already cleaned by the owner rule). */
	defaultOwner?: string;
}

/**
 * Validates data rows against one mapping. Build once per file: column lookups are precomputed.
 */
export class RowValidator {
	private readonly columnOf = new Map<string, number>();
	private readonly customColumns: { key: string; index: number }[] = [];

	constructor(
		private readonly headers: readonly string[],
		mapping: readonly Target[],
		private readonly options: ValidatorOptions = {}
	) {
		mapping.forEach((target, index) => {
			if (target === '' || target === 'skip') return;
			const key = customKeyOf(target);
			if (key !== null) this.customColumns.push({ key, index });
			this.columnOf.set(target, index);
		});
	}

	/** Validates one data row. `cells` may be shorter than the header (missing cells are empty). */
	validate(cells: readonly string[]): RowOutcome {
		const width = Math.max(this.options.columns ?? 0, this.headers.length);
		if (cells.length > width) {
			const extra = cells.slice(width).filter((c) => c.trim() !== '').length;
			if (extra > 0) {
				return {
					status: 'failed',
					issue: {
						kind: 'malformed',
						column: '',
						field: '',
						value: '',
						reason: `The row has ${cells.length} cells but the header has ${width} (${extra} extra ${extra === 1 ? 'cell is' : 'cells are'} not empty).`
					}
				};
			}
		}
		const phoneIndex = this.columnOf.get('phone');
		const phoneCell = phoneIndex === undefined ? '' : (cells[phoneIndex] ?? '');
		const phoneColumn = phoneIndex === undefined ? '' : this.headers[phoneIndex];
		const phone = normalizePhone(phoneCell, this.options.defaultCountry);
		if (!phone.ok) {
			return {
				status: 'skipped',
				issue: {
					kind: phone.empty ? 'missing_phone' : 'invalid_phone',
					column: phoneColumn,
					columnIndex: phoneIndex ?? -1,
					field: 'phone',
					value: phoneCell,
					reason: phone.reason
				}
			};
		}

		const warnings: RowIssue[] = [];
		const fields: ContactFields = {};
		const text = (field: string) => {
			const i = this.columnOf.get(field);
			return i === undefined ? '' : unguardFormula(cells[i] ?? '');
		};
		// The field rules (domain/field-rules): a value that breaks one is left out with a warning
		// naming its row and column, so that no imported contact is refused when it syncs.
		const take = (rule: RuledField, field: string, raw: string): string => {
			const value = applyFieldRule(rule, raw);
			if (typeof value === 'string') return value;
			const shown = value.kind === 'too_long' ? value.value.slice(0, 200) : raw;
			warnings.push(this.warning(value.kind, field, shown, importReason(value)));
			return '';
		};
		const first = take('first_name', 'first_name', text('first_name'));
		if (first) fields.firstName = first;
		const last = take('last_name', 'last_name', text('last_name'));
		if (last) fields.lastName = last;
		const company = take('company', 'company', text('company'));
		if (company) fields.company = company;
		const owner = take('owner', 'owner', text('owner')) || this.options.defaultOwner;
		if (owner) fields.owner = owner;
		const email = take('email', 'email', text('email'));
		if (email) fields.email = email;

		const tzCell = text('timezone');
		const tz = normalizeTimezone(tzCell);
		let derived: string | null | undefined;
		if (!tz.ok) {
			warnings.push(this.warning('invalid_timezone', 'timezone', tzCell, tz.reason));
		} else if (tz.timezone) {
			fields.timezone = tz.timezone;
		} else {
			derived = zoneFromPhone(phone.e164, phone.country, phone.type);
			if (derived && this.options.fillTimezones) fields.timezoneFromPhone = derived;
		}

		const tags = parseTags(text('tags')).filter((t) => take('tag', 'tags', t) !== '');
		if (tags.length > MAX_TAGS) {
			warnings.push(
				this.warning(
					'too_long',
					'tags',
					'',
					`${tags.length.toLocaleString('en-US')} tags; the backend keeps at most ${MAX_TAGS}, so the first ${MAX_TAGS} were kept`
				)
			);
			tags.length = MAX_TAGS;
		}
		if (tags.length > 0) fields.tags = tags;

		if (this.customColumns.length > 0) {
			const custom: Record<string, string> = {};
			for (const { key, index } of this.customColumns) {
				const value = take('custom', customTarget(key), unguardFormula(cells[index] ?? ''));
				if (value) custom[key] = value;
			}
			fields.custom = custom;
		}
		return {
			status: 'valid',
			phone: phone.e164,
			fields,
			warnings,
			phoneKind: kindOfType(phone.type),
			zoneFromPhone: derived
		};
	}

	private warning(kind: IssueKind, field: string, value: string, reason: string): RowIssue {
		const i = this.columnOf.get(field);
		return {
			kind,
			field,
			column: i === undefined ? '' : this.headers[i],
			columnIndex: i ?? -1,
			value,
			reason
		};
	}
}

/**
 * Dedupe inside one file: the first row with a phone wins; later rows are duplicates of it.
 * Holds one entry per distinct phone in a `PhoneTable` (~24 bytes a number, no GC work).
 */
export class InFileDedupe {
	private readonly firstRow = new PhoneTable(4096);

	/** Records `row` for `phone` (E.164); returns the first row's number when `phone` was seen before. */
	check(phone: string, row: number): number | undefined {
		return this.firstRow.setIfAbsent(phone, row);
	}

	get size(): number {
		return this.firstRow.size;
	}
}

/** The issue that reports a duplicate row. */
export function duplicateIssue(
	column: string,
	value: string,
	firstRow: number,
	columnIndex = -1
): RowIssue {
	return {
		kind: 'duplicate_in_file',
		column,
		columnIndex,
		field: 'phone',
		value,
		reason: `Same phone number as row ${firstRow}`
	};
}

/** Whether a record is blank (every cell empty or whitespace): blank lines are ignored. */
export function isBlankRecord(cells: readonly string[]): boolean {
	for (const cell of cells) if (cell.trim() !== '') return false;
	return true;
}
