import { describe, expect, it } from 'vitest';
import { freshDb } from '$lib/jobs/test-support';
import type { CsvWorker } from '$lib/worker/client';
import type { PreviewResult } from '$lib/worker/preview';
import { ImportWizard, Step } from './wizard.svelte';

const preview: PreviewResult = {
	fileName: 'a.csv',
	fileSize: 10,
	encoding: 'utf-8',
	bom: false,
	delimiter: ',',
	newline: '\n',
	headerRow: 1,
	detectedHeaderRow: 1,
	headers: ['Phone', 'Name'],
	rows: [{ row: 2, cells: ['+14155552671', 'Ada'] }],
	samples: [['+14155552671'], ['Ada']],
	wholeFile: true,
	problem: null,
	notice: null,
	columns: 2
};

describe('ImportWizard', () => {
	it('stops a review that makes no progress, with a message, and ends the worker', async () => {
		let terminated = 0;
		const worker = {
			api: {
				preview: async () => preview,
				review: () => new Promise(() => {}),
				cancel: async () => {}
			},
			terminate: () => terminated++
		} as unknown as CsvWorker;
		const wizard = new ImportWizard({
			db: freshDb(),
			startWorker: () => worker,
			callback: (f) => f,
			watchdogMs: 100
		});
		await wizard.selectFile(new File(['x'], 'a.csv'));
		await wizard.next();
		void wizard.next();
		await new Promise((r) => setTimeout(r, 400));
		expect(wizard.step).toBe(Step.Review);
		expect(wizard.reviewing).toBe(false);
		expect(wizard.reviewError).toMatch(/no progress/);
		expect(terminated).toBe(1);
	});

	it('remembers the mapping of a header set for the next file', async () => {
		const db = freshDb();
		const worker = {
			api: { preview: async () => preview },
			terminate: () => {}
		} as unknown as CsvWorker;
		const first = new ImportWizard({ db, startWorker: () => worker, callback: (f) => f });
		await first.selectFile(new File(['x'], 'a.csv'));
		expect(first.mapping).toEqual(['phone', '']);
		first.setTarget(1, 'last_name');
		await first.saveMapping('Mine');
		const { rememberMapping } = await import('$lib/db/mappings-repo');
		await rememberMapping(db, preview.headers, first.mapping);

		const second = new ImportWizard({ db, startWorker: () => worker, callback: (f) => f });
		await second.init();
		await second.selectFile(new File(['x'], 'b.csv'));
		expect(second.mapping).toEqual(['phone', 'last_name']);
		expect(second.mappingNote).toMatch(/imported before/);
		expect(second.savedMappings.map((m) => m.name)).toEqual(['Mine']);
	});
});
