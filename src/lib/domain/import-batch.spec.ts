import { describe, expect, it } from 'vitest';
import { newContact } from './contact';
import { batchPhones, planImportBatch, type ClassifiedRow } from './import-batch';

const valid = (row: number, phone: string, firstName: string): ClassifiedRow => ({
	row,
	cells: [phone, firstName],
	outcome: {
		status: 'valid',
		phone,
		fields: { firstName, tags: [], custom: {} },
		warnings: [],
		phoneKind: 'mobile'
	}
});
const skipped: ClassifiedRow = {
	row: 4,
	cells: ['', 'Nobody'],
	outcome: {
		status: 'skipped',
		issue: { kind: 'missing_phone', column: 'Phone', field: 'phone', value: '', reason: 'No phone' }
	}
};
const batch = [valid(2, '+14155550001', 'Ada'), valid(3, '+14155550002', 'Grace'), skipped];
const held = newContact('+14155550002', { firstName: 'G.', tags: [], custom: {} }, 10, 'old-job');
const ctx = (existingPolicy: 'update' | 'skip') => ({
	jobId: 'job-1',
	existingPolicy,
	at: 100,
	phoneColumn: 'Phone',
	phoneCell: (cells: string[]) => cells[0]
});

describe('planImportBatch', () => {
	it('creates new phones, updates existing ones with an undo entry, and reports every skipped row', () => {
		expect(batchPhones(batch)).toEqual(['+14155550001', '+14155550002']);
		const plan = planImportBatch(batch, new Map([[held.phone, held]]), ctx('update'));
		expect(plan.writes.map((c) => [c.phone, c.firstName, c.updatedAt])).toEqual([
			['+14155550001', 'Ada', 100],
			['+14155550002', 'Grace', 100]
		]);
		expect(plan.kinds).toEqual(['mobile', 'mobile']);
		expect(plan.counts).toMatchObject({
			processed: 3,
			created: 1,
			updated: 1,
			skippedMissingPhone: 1
		});
		expect(plan.undo).toEqual([
			{ jobId: 'job-1', phone: held.phone, before: held, after: plan.writes[1] }
		]);
		expect(plan.errors).toMatchObject([
			{ jobId: 'job-1', row: 4, kind: 'missing_phone', severity: 'skipped' }
		]);
	});

	it('leaves an existing contact alone under the skip policy, and says so for its row', () => {
		const plan = planImportBatch(batch, new Map([[held.phone, held]]), ctx('skip'));
		expect(plan.writes.map((c) => c.phone)).toEqual(['+14155550001']);
		expect(plan.counts).toMatchObject({ created: 1, updated: 0, skippedExisting: 1 });
		expect(plan.undo).toEqual([]);
		expect(plan.errors.map((e) => [e.row, e.kind, e.column, e.value])).toEqual([
			[3, 'existing_skipped', 'Phone', '+14155550002'],
			[4, 'missing_phone', 'Phone', '']
		]);
	});
});
