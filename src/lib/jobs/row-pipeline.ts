/**
 * The per-row pipeline shared by the review pass and the import: skip the header, preamble and
 * blank lines, validate, then dedupe inside the file. Same rules in both places, so the review's
 * counts are the import's counts.
 */
import type { SourceRecord } from '$lib/formats/record';
import type { Target } from '$lib/domain/fields';
import type { DoNotCallSet } from '$lib/domain/do-not-call';
import { Patch } from '$lib/domain/fixes';
import type { ClassifiedRow } from '$lib/domain/import-batch';
import {
	duplicateIssue,
	InFileDedupe,
	isBlankRecord,
	RowValidator,
	type ValidatorOptions
} from '$lib/domain/row-rules';

export type { ClassifiedRow };

export class RowPipeline {
	private readonly validator: RowValidator;
	private readonly dedupe = new InFileDedupe();
	private readonly phoneIndex: number;
	private readonly skipListed?: DoNotCallSet;
	/** Header of the column mapped to phone. */
	readonly phoneColumn: string;

	constructor(
		headers: readonly string[],
		mapping: readonly Target[],
		defaultCountry: string,
		private readonly headerRow: number,
		columns?: number,
		private readonly patch: Patch = new Patch([]),
		rules: Pick<ValidatorOptions, 'fillTimezones' | 'defaultOwner'> & {
			/** With it, a row whose phone is listed is skipped (first of its phone in the file). */
			skipListed?: DoNotCallSet;
		} = {}
	) {
		const { skipListed, ...validation } = rules;
		this.skipListed = skipListed;
		this.validator = new RowValidator(headers, mapping, {
			defaultCountry,
			columns,
			...validation
		});
		this.phoneIndex = mapping.indexOf('phone');
		this.phoneColumn = this.phoneIndex >= 0 ? headers[this.phoneIndex] : '';
	}

	/** Whether a record is a data row (after the header, not blank). */
	isDataRow(record: SourceRecord): boolean {
		return record.row > this.headerRow && !isBlankRecord(record.cells);
	}

	/** The row's original phone cell. */
	phoneCell(cells: readonly string[]): string {
		return this.phoneIndex >= 0 ? (cells[this.phoneIndex] ?? '') : '';
	}

	/** Classifies a data row; a valid row whose phone an earlier row had becomes skipped. */
	classify(record: SourceRecord): ClassifiedRow {
		const patched = this.patch.apply(record.row, record.cells);
		const fixed = patched.changed ? patched.cells : undefined;
		if (patched.skipped) {
			return {
				row: record.row,
				cells: record.cells,
				fixed,
				outcome: {
					status: 'skipped',
					issue: {
						kind: 'skipped_by_user',
						column: '',
						field: '',
						columnIndex: -1,
						value: '',
						reason: 'Skipped in Review'
					}
				}
			};
		}
		if (record.error && !fixed) {
			return {
				row: record.row,
				cells: record.cells,
				outcome: {
					status: 'failed',
					issue: {
						kind: 'malformed',
						column: '',
						field: '',
						value: record.cells[0] ?? '',
						reason: record.error
					}
				}
			};
		}
		const cells = patched.cells;
		let outcome = this.validator.validate(cells);
		if (outcome.status === 'valid') {
			const first = this.dedupe.check(outcome.phone, record.row);
			if (first !== undefined) {
				const value = this.phoneCell(cells);
				outcome = {
					status: 'skipped',
					issue: duplicateIssue(this.phoneColumn, value, first, this.phoneIndex)
				};
			} else if (this.skipListed?.has(outcome.phone)) {
				outcome = {
					status: 'skipped',
					issue: {
						kind: 'do_not_call',
						column: this.phoneColumn,
						field: 'phone',
						columnIndex: this.phoneIndex,
						value: this.phoneCell(cells),
						reason: `${outcome.phone} is on the do-not-call list (skipped by the import's option)`
					}
				};
			}
		}
		return { row: record.row, cells: record.cells, fixed, outcome };
	}
}
