import { describe, expect, it } from 'vitest';
import type { CustomFieldDef } from './fields';
import {
	BYTES_PER_ROW,
	planFields,
	planImport,
	storageNeeded,
	storageShortfall,
	type ImportDraft
} from './import-plan';

const field = (key: string, label: string): CustomFieldDef => ({
	key,
	label,
	type: 'text',
	createdAt: 0
});

describe('planFields', () => {
	it('plans a field for each not-mapped column, never for one set to skip', () => {
		expect(planFields(['Phone', 'Lead Source', 'Notes'], ['phone', '', 'skip'], [])).toEqual([
			{ column: 1, header: 'Lead Source', key: 'lead_source' }
		]);
	});

	it('reuses a field whose label is the header, unless a column already maps to it', () => {
		const fields = [field('source', 'Lead source')];
		expect(planFields(['Phone', 'LEAD SOURCE'], ['phone', ''], fields)).toEqual([
			{ column: 1, header: 'LEAD SOURCE', key: 'source' }
		]);
		expect(
			planFields(['Phone', 'Lead source', 'Lead Source'], ['phone', 'cf:source', ''], fields)
		).toEqual([{ column: 2, header: 'Lead Source', key: 'lead_source' }]);
	});

	it('makes keys unique among existing fields and each other; a header with no key gets none', () => {
		const planned = planFields(['Notes', 'Notes (2)', '!!!'], ['', '', ''], [field('notes', 'X')]);
		expect(planned.map((p) => p.key)).toEqual(['notes_2', 'notes_2_2']);
	});
});

describe('storage', () => {
	it('needs the file twice and a fixed share per row', () => {
		expect(storageNeeded(1000, 10)).toBe(2000 + 10 * BYTES_PER_ROW);
	});

	it('reports a shortfall only when the estimate is known and too small', () => {
		expect(storageShortfall(500, { quota: 1000, usage: 600 })).toEqual({ need: 500, free: 400 });
		expect(storageShortfall(500, { quota: 1000, usage: 400 })).toBeNull();
		expect(storageShortfall(500, undefined)).toBeNull();
		expect(storageShortfall(500, { quota: 1000 })).toBeNull();
	});
});

describe('planImport', () => {
	const draft: ImportDraft = {
		id: 'job-1',
		now: 42,
		fileName: 'people.csv',
		fileSize: 100,
		parse: { encoding: 'utf-8', delimiter: ',', newline: '\n', headerRow: 1, columns: 3 },
		headers: ['Phone', 'Lead Source', 'Campaign'],
		mapping: ['phone', '', ''],
		options: { defaultCountry: 'GB', existingPolicy: 'skip', autoCreate: true },
		fixes: [{ kind: 'skip', row: 3 }],
		totalRows: 9,
		customFields: [field('campaign', 'Campaign')]
	};

	it('writes a queued job whose mapping targets the planned fields, creating only new ones', () => {
		const { job, fields } = planImport(draft);
		expect(job).toMatchObject({
			id: 'job-1',
			status: 'queued',
			createdAt: 42,
			mapping: ['phone', 'cf:lead_source', 'cf:campaign'],
			createdFields: ['lead_source'],
			totalRows: 9,
			checkpointRow: 0,
			options: { defaultCountry: 'GB', existingPolicy: 'skip', autoCreate: true },
			parse: { delimiter: ',', headerRow: 1, columns: 3 },
			fixes: [{ kind: 'skip', row: 3 }]
		});
		expect(fields).toEqual([
			{
				key: 'lead_source',
				label: 'Lead Source',
				type: 'text',
				createdAt: 42,
				createdByJob: 'job-1'
			}
		]);
	});

	it('leaves not-mapped columns alone without auto-create', () => {
		const { job, fields } = planImport({
			...draft,
			options: { ...draft.options, autoCreate: false }
		});
		expect(job.mapping).toEqual(['phone', '', '']);
		expect(fields).toEqual([]);
		expect(job.createdFields).toEqual([]);
	});
});
