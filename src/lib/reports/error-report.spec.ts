import Papa from 'papaparse';
import { describe, expect, it } from 'vitest';
import { runJob } from '$lib/jobs/runner';
import { freshDb, queueJob } from '$support/test-db';
import type { Target } from '$lib/domain/fields';
import type { ReportWords } from '$lib/domain/report-words';
import { buildErrorReport } from './error-report';

/** Runs a job over `csv` and reads its report as rows of cells, in `words`' language. */
async function reportRows(csv: string, mapping: Target[], words?: ReportWords) {
	const db = freshDb();
	const job = await queueJob(db, csv, mapping);
	await runJob(db, job.id);
	const text = await (await buildErrorReport(db, (await db.jobs.get(job.id))!, words)).text();
	return Papa.parse<string[]>(text, { skipEmptyLines: true }).data;
}

describe('buildErrorReport', () => {
	it('lists every problem row with its original cells, formula-safe', async () => {
		const csv =
			'phone,note\n=HYPERLINK("x"),"two\nlines"\n+14155552671,ok\n+1 415 555 2671,"=cmd"\n';
		const rows = await reportRows(csv, ['phone', 'skip']);
		expect(rows[0]).toEqual([
			'row',
			'kind',
			'severity',
			'column',
			'value',
			'reason',
			'original: phone',
			'original: note'
		]);
		expect(rows.slice(1).map((r) => [r[0], r[1], r[4], r[7]])).toEqual([
			['2', 'Invalid phone', `'=HYPERLINK("x")`, 'two\nlines'],
			['4', 'Duplicate in file', "'+1 415 555 2671", "'=cmd"]
		]);
	});

	it('speaks the language it is given: headers, kinds, severities and reasons', async () => {
		const rows = await reportRows('phone\nnope\n', ['phone'], {
			headers: ['Zeile', 'Art', 'Schwere', 'Spalte', 'Wert', 'Grund'],
			original: (h) => `ursprünglich: ${h}`,
			fixed: (h) => `korrigiert: ${h}`,
			kind: (k) => (k === 'invalid_phone' ? 'Ungültige Telefonnummer' : k),
			severity: (s) => (s === 'skipped' ? 'übersprungen' : s),
			reason: (r) => (r === 'Not a phone number' ? 'Das ist keine Telefonnummer' : r)
		});
		expect(rows[0]).toEqual([
			'Zeile',
			'Art',
			'Schwere',
			'Spalte',
			'Wert',
			'Grund',
			'ursprünglich: phone'
		]);
		expect(rows[1].slice(0, 3)).toEqual(['2', 'Ungültige Telefonnummer', 'übersprungen']);
		expect(rows[1][5]).toBe('Das ist keine Telefonnummer');
	});
});
