/**
 * Schema upgrades: a database written by the previous schema (v1, as shipped) opens with the
 * current one and keeps every job, file, contact and error row.
 */
import Dexie from 'dexie';
import { describe, expect, it } from 'vitest';
import { emptyCounts } from '$lib/domain/counts';
import type { Contact } from '$lib/domain/contact';
import { withIndexes } from '$lib/domain/contact';
import {
	CallaroDb,
	SCHEMA_V1,
	SCHEMA_V2,
	SCHEMA_V3,
	SCHEMA_V4,
	SCHEMA_V5,
	SCHEMA_V6,
	SCHEMA_V7,
	type Draft,
	type OutboxRecord,
	type UndoRecord
} from './database';
import type { ImportJob } from '$lib/domain/import-job';
import { IndexReader } from './contact-index-repo';
import { encodeChunk } from '$lib/domain/index-chunk';
import { openJobFile, readWholeFile, releaseFile } from './file-store';
import { getDraft } from './drafts-repo';
import { runJob } from '$lib/jobs/runner';

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
		const file = await openJobFile(db, 'job-v1');
		expect(new TextDecoder().decode(await file!.arrayBuffer())).toBe('phone\n+14155550101\n');
		const upgraded = (await db.contacts.orderBy(':id').toArray()) as (Contact & {
			sortName?: string;
			search?: string[];
		})[];
		expect(upgraded.map(({ sortName: _s, search: _t, ...c }) => c)).toEqual(contacts);
		// v6 indexed every old contact: search and segments find them.
		const index = await new IndexReader(db).current();
		expect(index.size).toBe(100);
		expect(index.search('p9', 100, () => []).length).toBe(11);
		expect(await db.rowErrors.count()).toBe(1);
		expect(await db.customFields.get('region')).toMatchObject({ label: 'Region' });
		// The tables v2 adds work.
		await db.savedMappings.put({ name: 'm', pairs: [['Phone', 'phone']], createdAt: 1 });
		expect(await db.undoLog.count()).toBe(0);
		db.close();
	});
});

describe('schema upgrade v5 → current (v6 indexes the contacts)', () => {
	it('indexes every contact in place and keeps jobs, outbox and undo logs', async () => {
		const name = `upgrade-v5-${Date.now()}`;
		const v5 = new Dexie(name);
		v5.version(1).stores(SCHEMA_V1);
		v5.version(2).stores(SCHEMA_V2);
		v5.version(3).stores(SCHEMA_V3);
		v5.version(4).stores(SCHEMA_V4);
		v5.version(5).stores(SCHEMA_V5);
		// Contacts as the v5 release wrote them: with the derived sortName and search fields.
		const contacts: Contact[] = Array.from({ length: 12_345 }, (_, i) =>
			withIndexes({
				phone: `+1415${String(5_000_000 + i)}`,
				firstName: `First${i}`,
				lastName: i % 2 ? 'King' : 'Adams',
				tags: i % 10 === 0 ? ['VIP'] : [],
				custom: i % 3 === 0 ? { region: 'West' } : {},
				createdAt: 1,
				updatedAt: 1,
				createdByJob: 'job-5',
				lastJobId: 'job-5'
			})
		);
		await v5.table('contacts').bulkAdd(contacts);
		const outbox: OutboxRecord = {
			id: 'job-5:100',
			jobId: 'job-5',
			phones: [contacts[0].phone],
			status: 'pending',
			attempts: 0,
			createdAt: 3
		};
		await v5.table('outbox').add(outbox);
		const undo: UndoRecord = {
			jobId: 'job-5',
			phone: contacts[1].phone,
			before: { ...contacts[1], firstName: 'Before' },
			after: contacts[1]
		};
		await v5.table('undoLog').add(undo);
		v5.close();

		const db = new CallaroDb(name);
		await db.open();
		expect(db.verno).toBe(8);
		expect(await db.contacts.count()).toBe(12_345);
		expect(await db.contacts.get(contacts[7].phone)).toEqual(contacts[7]);
		expect(await db.outbox.toArray()).toEqual([{ ...outbox, seq: 1 }]);
		expect(await db.undoLog.toArray()).toEqual([undo]);
		const index = await new IndexReader(db).current();
		expect(index.size).toBe(12_345);
		expect(index.count({ groups: [[{ field: 'tags', operator: 'has_tag', value: 'vip' }]] })).toBe(
			1235
		);
		expect(index.usage('region')).toBe(4115);
		expect(index.importPhones('job-5', true)).toHaveLength(12_345);
		const firstByName = index.view({ kind: 'all' }, 'name').slice()[0];
		expect(index.phoneOf(firstByName)).toBe(contacts[0].phone);
		// A later write is found next to the upgraded ones.
		expect(index.search('first12344', 10, () => []).length).toBe(1);
		db.close();
	});
});

describe('schema upgrade v6 (the previous release) → v7', () => {
	it('adds an empty tombstone table and keeps contacts, index, outbox and settings', async () => {
		const name = `upgrade-v6-${Date.now()}`;
		const v6 = new Dexie(name);
		v6.version(1).stores(SCHEMA_V1);
		v6.version(2).stores(SCHEMA_V2);
		v6.version(3).stores(SCHEMA_V3);
		v6.version(4).stores(SCHEMA_V4);
		v6.version(5).stores(SCHEMA_V5);
		v6.version(6).stores(SCHEMA_V6);
		const contacts: Contact[] = Array.from({ length: 50 }, (_, i) => ({
			phone: `+1415${String(5_000_000 + i)}`,
			firstName: `First${i}`,
			tags: [],
			custom: {},
			createdAt: 1,
			updatedAt: 2
		}));
		await v6.table('contacts').bulkAdd(contacts);
		await v6.table('contactIndex').add(encodeChunk(contacts));
		const outbox: OutboxRecord = {
			id: 'edit:1',
			jobId: 'edit',
			phones: [],
			deleted: ['+14155550000'],
			status: 'pending',
			attempts: 0,
			createdAt: 3
		};
		await v6.table('outbox').add(outbox);
		await v6.table('settings').add({ key: 'clock', value: 3 });
		v6.close();

		const db = new CallaroDb(name);
		await db.open();
		expect(db.verno).toBe(8);
		expect(await db.contacts.toArray()).toEqual(contacts);
		expect(await db.outbox.toArray()).toEqual([{ ...outbox, seq: 1 }]);
		expect(await db.settings.get('clock')).toEqual({ key: 'clock', value: 3 });
		expect(await db.tombstones.count()).toBe(0);
		expect((await new IndexReader(db).current()).size).toBe(50);
		db.close();
	});
});

describe('schema upgrade v7 (the previous release) → v8: files as bytes', () => {
	it('moves the Blob of each job and of the draft into a stored file that reads back and imports', async () => {
		const name = `upgrade-v7-${Date.now()}`;
		const v7 = new Dexie(name);
		v7.version(1).stores(SCHEMA_V1);
		v7.version(2).stores(SCHEMA_V2);
		v7.version(3).stores(SCHEMA_V3);
		v7.version(4).stores(SCHEMA_V4);
		v7.version(5).stores(SCHEMA_V5);
		v7.version(6).stores(SCHEMA_V6);
		v7.version(7).stores(SCHEMA_V7);
		const csv =
			[
				'phone,first_name',
				...Array.from({ length: 300 }, (_, i) => `+1415555${String(1000 + i)},P${i}`)
			].join('\n') + '\n';
		const job: ImportJob = {
			id: 'job-v7',
			fileName: 'people.csv',
			fileSize: csv.length,
			status: 'paused',
			createdAt: 5,
			updatedAt: 6,
			parse: { encoding: 'utf-8', delimiter: ',', newline: '\n', headerRow: 1 },
			headers: ['phone', 'first_name'],
			mapping: ['phone', 'first_name'],
			options: { defaultCountry: 'US', existingPolicy: 'update', autoCreate: false },
			createdFields: [],
			totalRows: 300,
			checkpointRow: 0,
			counts: emptyCounts(),
			rowsPerSecond: 0
		};
		await v7.table('jobs').add(job);
		await v7.table('jobFiles').add({ jobId: job.id, file: new Blob([csv]) });
		// The draft as the v7 release kept it: its own copy of the file as a Blob.
		const { fileId: _unused, ...draftFields } = {
			id: 'current',
			fileId: '',
			fileName: 'next.csv',
			overrides: { delimiter: ',' },
			mapping: ['phone'],
			options: { defaultCountry: 'GB', existingPolicy: 'skip', autoCreate: false },
			fixes: [{ kind: 'skip', row: 3 }],
			updatedAt: 7
		} satisfies Draft;
		await v7.table('drafts').add({ ...draftFields, file: new Blob(['Phone\n+442079460958\n']) });
		v7.close();

		const db = new CallaroDb(name);
		await db.open();
		expect(db.verno).toBe(8);
		expect(await db.jobs.get(job.id)).toEqual(job);
		const jobFile = await openJobFile(db, job.id);
		expect(jobFile!.size).toBe(csv.length);
		// Read by range, as the runner reads it.
		expect(new TextDecoder().decode(await jobFile!.slice(17, 29).arrayBuffer())).toBe(
			csv.slice(17, 29)
		);
		const draft = await getDraft(db);
		expect(draft).toMatchObject({ ...draftFields });
		expect(draft).not.toHaveProperty('file');
		const restored = await readWholeFile(db, draft!.fileId);
		expect(restored!.name).toBe('next.csv');
		expect(await restored!.text()).toBe('Phone\n+442079460958\n');
		// The upgraded job resumes and imports every row from its moved file.
		await db.jobs.update(job.id, { status: 'running' });
		expect(await runJob(db, job.id, { batchSize: 64 })).toBe('completed');
		expect(await db.contacts.count()).toBe(300);
		// Both files are in use: neither is released.
		expect(await releaseFile(db, draft!.fileId)).toBe(false);
		expect(await releaseFile(db, (await db.jobFiles.get(job.id))!.fileId)).toBe(false);
		db.close();
	});
});
