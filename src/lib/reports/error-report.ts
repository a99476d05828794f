/**
 * The error report of an import: every skipped, failed and warned row with its row number, kind,
 * column, reason, value and original cells, as a formula-safe CSV. Read from IndexedDB page by
 * page, so a report of a million rows never sits in memory as one array of objects.
 */
import { csvLine } from '$lib/domain/csv-writer';
import { ENGLISH_REPORT, type ReportWords } from '$lib/domain/report-words';
import type { CallaroDb } from '$lib/db/database';
import type { ImportJob } from '$lib/domain/import-job';
import { errorPage } from '$lib/db/jobs-repo';

const PAGE = 2000;

/** Builds the report as a Blob, in `words`' language. */
export async function buildErrorReport(
	db: CallaroDb,
	job: ImportJob,
	words: ReportWords = ENGLISH_REPORT
): Promise<Blob> {
	// With Review fixes, each row shows its original cells and the cells as fixed.
	const fixed = (job.fixes?.length ?? 0) > 0;
	const parts: string[] = [
		csvLine([
			...words.headers,
			...job.headers.map(words.original),
			...(fixed ? job.headers.map(words.fixed) : [])
		])
	];
	for (let offset = 0; ; offset += PAGE) {
		const page = await errorPage(db, job.id, offset, PAGE);
		let text = '';
		for (const e of page) {
			const after = fixed ? job.headers.map((_, i) => (e.fixed ?? e.cells)[i] ?? '') : [];
			text += csvLine([
				String(e.row),
				words.kind(e.kind),
				words.severity(e.severity),
				e.column,
				e.value,
				words.reason(e.reason),
				...(fixed ? job.headers.map((_, i) => e.cells[i] ?? '') : e.cells),
				...after
			]);
		}
		parts.push(text);
		if (page.length < PAGE) break;
	}
	return new Blob(parts, { type: 'text/csv;charset=utf-8' });
}
