/**
 * Test support for the wizard's specs: a preview as the worker returns it, and a wizard whose
 * worker bridge runs a fake API in the same thread.
 */
import { freshDb } from './test-db';
import { WorkerBridge } from '$lib/worker/bridge';
import { emptyPreview, type PreviewResult } from '$lib/worker/preview';
import { emptyReviewSummary, type ReviewSummary } from '$lib/worker/review-pass';
import { ImportWizard, type WizardApi, type WizardDeps } from '$lib/state/wizard.svelte';

/** A preview of a small, clean file with the given headers and one row of cells. */
export function previewOf(
	headers: string[],
	cells: string[],
	fileName = 'people.csv'
): PreviewResult {
	return {
		...emptyPreview(fileName, 100),
		headers,
		rows: [{ row: 2, cells }],
		samples: cells.map((c) => [c]),
		columns: headers.length
	};
}

/** A review summary with `rows` valid rows and nothing else to report. */
export function summaryOf(rows: number): ReviewSummary {
	return { ...emptyReviewSummary(), totalRows: rows, validRows: rows };
}

/** A fake worker API: previews and reviews answer at once unless a test overrides them. */
export function fakeApi(preview: PreviewResult, overrides: Partial<WizardApi> = {}): WizardApi {
	return {
		preview: () => Promise.resolve(preview),
		review: () => Promise.resolve(summaryOf(preview.rows.length)),
		countRuleChanges: () => Promise.resolve(0),
		cancel: () => undefined,
		...overrides
	};
}

/** A wizard over a fresh database (or `db`) and a bridge to `api`; counts worker terminations. */
export function testWizard(api: WizardApi, deps: Partial<WizardDeps> = {}) {
	const stats = { started: 0, terminated: 0 };
	const worker = new WorkerBridge<WizardApi>({
		start: () => {
			stats.started++;
			return { api, terminate: () => stats.terminated++ };
		}
	});
	const wizard = new ImportWizard({ db: freshDb(), worker, ...deps });
	return { wizard, worker, stats };
}
