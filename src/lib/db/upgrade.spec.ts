/**
 * Schema upgrades: a database written by the previous schema (v1, as shipped) opens with the
 * current one and keeps every job, file, contact and error row.
 */
import Dexie from 'dexie';
import { describe, expect, it } from 'vitest';
import { emptyCounts } from '$lib/domain/counts';
import { CallaroDb, SCHEMA_V1, type ImportJob } from './database';

describe('schema upgrade v1 → current', () => {
	it('keeps every job and contact', async () => {
		const name = `upgrade-${Date.now()}`;
		const v1 = new Dexie(name);
		v1.version(1).stores(SCHEMA_V1);
		const job: ImportJob = {
			id: 'job-v1',
			fileName: 'old.csv',
			fileSize: 20,
			status: 'paused',
			createdAt: 1,
			updatedAt: 2,
			parse: { encoding: 'utf-8', delimiter: ',', newline: '\n', headerRow: 1 },
			headers: ['phone'],
			mapping: ['phone'],
			options: { defaultCountry: 'US', existingPolicy: 'update', autoCreate: false },
			createdFields: [],
			totalRows: 3,
			checkpointRow: 2,
			counts: { ...emptyCounts(), processed: 1, created: 1 },
			rowsPerSecond: 10
		};
		await v1.table('jobs').add(job);
		await v1.table('jobFiles').add({ jobId: 'job-v1', file: new Blob(['phone\n+14155550101\n']) });
		const contacts = Array.from({ length: 100 }, (_, i) => ({
			phone: `+1415555${String(1000 + i)}`,
			firstName: `P${i}`,
			tags: [],
			custom: { region: 'West' },
			createdAt: 1,
			updatedAt: 1,
			createdByJob: 'job-v1'
		}));
		await v1.table('contacts').bulkAdd(contacts);
		await v1.table('rowErrors').add({
			jobId: 'job-v1',
			row: 3,
			kind: 'invalid_phone',
			severity: 'skipped',
			column: 'phone',
			field: 'phone',
			value: 'x',
			reason: 'Not a phone number',
			cells: ['x']
		});
		await v1
			.table('customFields')
			.add({ key: 'region', label: 'Region', type: 'text', createdAt: 1 });
		v1.close();

		const db = new CallaroDb(name);
		await db.open();
		expect(db.verno).toBeGreaterThan(1);
		expect(await db.jobs.get('job-v1')).toEqual(job);
		expect(await (await db.jobFiles.get('job-v1'))!.file.text()).toBe('phone\n+14155550101\n');
		const upgraded = await db.contacts.orderBy(':id').toArray();
		expect(upgraded.map(({ sortName: _s, search: _t, ...c }) => c)).toEqual(contacts);
		// v3 derived the index fields for every old contact.
		expect(upgraded[0]).toMatchObject({
			sortName: 'p0',
			search: ['p0', 'i:job-v1']
		});
		expect(await db.contacts.where('search').startsWith('p9').count()).toBe(11);
		expect(await db.rowErrors.count()).toBe(1);
		expect(await db.customFields.get('region')).toMatchObject({ label: 'Region' });
		// The tables v2 adds work.
		await db.savedMappings.put({ name: 'm', pairs: [['Phone', 'phone']], createdAt: 1 });
		expect(await db.undoLog.count()).toBe(0);
		db.close();
	});
});
