import { describe, expect, it } from 'vitest';
import { errorPage } from '$lib/db/jobs-repo';
import { transitionJob } from '$lib/db/jobs-repo';
import { runJob } from './runner';
import { saveContact, type ContactEdit } from '$lib/db/contacts-repo';
import type { Contact } from '$lib/domain/contact';
import { freshDb, numberedCsv, queueJob } from '$support/test-db';
import { xlsxFile, type XlsxCell } from '../../../scripts/gen-workbook.js';

const CSV = [
	'phone,first,email,tags',
	'+1 415 555 2671,Ada,ada@Example.com,vip',
	',NoPhone,,',
	'not a phone,Bad,,',
	'(415) 555-2671,Dup,,',
	'',
	'+14155552672,Bob,bob@,new; vip',
	'+14155552673,Cy,,,extra'
].join('\n');

describe('runJob', () => {
	it('imports a file with every outcome counted once', async () => {
		const db = freshDb();
		const job = await queueJob(db, CSV, ['phone', 'first_name', 'email', 'tags']);
		expect(await runJob(db, job.id)).toBe('completed');
		const done = (await db.jobs.get(job.id))!;
		expect(done.counts).toMatchObject({
			processed: 6,
			created: 2,
			updated: 0,
			skippedMissingPhone: 1,
			skippedInvalidPhone: 1,
			skippedDuplicate: 1,
			failed: 1,
			warnings: 1
		});
		expect(await db.contacts.get('+14155552671')).toMatchObject({
			firstName: 'Ada',
			email: 'ada@example.com',
			tags: ['vip']
		});
		expect(await db.contacts.get('+14155552672')).toMatchObject({
			firstName: 'Bob',
			tags: ['new', 'vip']
		});
		expect((await db.contacts.get('+14155552672'))?.email).toBeUndefined();
		const errors = await errorPage(db, job.id, 0, 100);
		expect(errors.map((e) => [e.row, e.kind])).toEqual([
			[3, 'missing_phone'],
			[4, 'invalid_phone'],
			[5, 'duplicate_in_file'],
			[7, 'invalid_email'],
			[8, 'malformed']
		]);
		expect(errors[2].reason).toBe('Same phone number as row 2');
		expect(errors[2].cells).toEqual(['(415) 555-2671', 'Dup', '', '']);
	});

	it('updates existing contacts on a second import and creates nothing', async () => {
		const db = freshDb();
		const first = await queueJob(db, CSV, ['phone', 'first_name', 'email', 'tags']);
		await runJob(db, first.id);
		const again = await queueJob(db, CSV, ['phone', 'first_name', 'email', 'tags']);
		await runJob(db, again.id);
		expect(await db.contacts.count()).toBe(2);
		expect((await db.jobs.get(again.id))!.counts).toMatchObject({ created: 0, updated: 2 });
	});

	it('skips existing contacts under the skip policy, reporting them', async () => {
		const db = freshDb();
		await runJob(
			db,
			(await queueJob(db, 'phone,first\n+14155552671,Ada\n', ['phone', 'first_name'])).id
		);
		const job = await queueJob(
			db,
			'phone,first\n+14155552671,Changed\n+14155552672,New\n',
			['phone', 'first_name'],
			{
				existingPolicy: 'skip'
			}
		);
		await runJob(db, job.id);
		expect((await db.jobs.get(job.id))!.counts).toMatchObject({ created: 1, skippedExisting: 1 });
		expect((await db.contacts.get('+14155552671'))!.firstName).toBe('Ada');
		expect((await errorPage(db, job.id, 0, 10))[0]).toMatchObject({
			row: 2,
			kind: 'existing_skipped',
			value: '+14155552671'
		});
	});

	it('stops at a batch boundary when paused, and resumes exactly', async () => {
		const db = freshDb();
		const csv = numberedCsv(1000) + '+14155551000,Duplicate of row 2\n';
		const job = await queueJob(db, csv, ['phone', 'first_name']);
		let batches = 0;
		const afterBatch = async () => {
			if (++batches === 3) await transitionJob(db, job.id, 'paused');
		};
		expect(await runJob(db, job.id, { batchSize: 100, afterBatch })).toBe('paused');
		const paused = (await db.jobs.get(job.id))!;
		expect(paused.counts.processed).toBe(300);
		expect(await db.contacts.count()).toBe(paused.counts.created);

		await transitionJob(db, job.id, 'running');
		expect(await runJob(db, job.id, { batchSize: 100 })).toBe('completed');
		const done = (await db.jobs.get(job.id))!;
		expect(done.counts).toMatchObject({ processed: 1001, created: 1000, skippedDuplicate: 1 });
		expect(await db.contacts.count()).toBe(1000);
		const errors = await errorPage(db, job.id, 0, 10);
		expect(errors).toHaveLength(1);
		expect(errors[0]).toMatchObject({ row: 1002, reason: 'Same phone number as row 2' });
	});

	it("imports a workbook sheet, pauses and resumes it exactly, with the sheet's row numbers", async () => {
		const db = freshDb();
		const csv = numberedCsv(1000);
		const rows = csv
			.trim()
			.split('\n')
			.map((line) => line.split(','));
		// The contacts on the second sheet, under a title row; phones stored as numbers.
		const sheet: XlsxCell[][] = [
			['Numbered contacts'],
			...rows.map((r, i) => (i === 0 ? r : [{ raw: r[0].slice(1) }, r[1]]))
		];
		sheet.push([{ raw: '14155551000' }, 'Duplicate of row 3']);
		const book = xlsxFile({
			sheets: [
				{ name: 'Cover', rows: [['Read me']] },
				{ name: 'Contacts', rows: sheet }
			]
		});
		const job = await queueJob(
			db,
			csv,
			['phone', 'first_name'],
			{},
			{ format: 'xlsx', sheet: 'Contacts', headerRow: 2 },
			new Blob([book as BlobPart])
		);
		let batches = 0;
		const afterBatch = async () => {
			if (++batches === 3) await transitionJob(db, job.id, 'paused');
		};
		expect(await runJob(db, job.id, { batchSize: 100, afterBatch })).toBe('paused');
		expect((await db.jobs.get(job.id))!.counts.processed).toBe(300);

		await transitionJob(db, job.id, 'running');
		expect(await runJob(db, job.id, { batchSize: 100 })).toBe('completed');
		const done = (await db.jobs.get(job.id))!;
		expect(done.counts).toMatchObject({ processed: 1001, created: 1000, skippedDuplicate: 1 });
		expect(await db.contacts.get('+14155551000')).toMatchObject({ firstName: 'Name 0' });
		const errors = await errorPage(db, job.id, 0, 10);
		expect(errors).toHaveLength(1);
		expect(errors[0]).toMatchObject({ row: 1003, reason: 'Same phone number as row 3' });
		expect(errors[0].cells).toEqual(['14155551000', 'Duplicate of row 3']);
	});

	it('does not run a cancelled job, and keeps what was imported', async () => {
		const db = freshDb();
		const job = await queueJob(db, numberedCsv(10), ['phone', 'first_name']);
		await transitionJob(db, job.id, 'cancelled');
		expect(await runJob(db, job.id)).toBe('cancelled');
		expect(await db.contacts.count()).toBe(0);
	});

	it('fails clearly when the stored file is gone', async () => {
		const db = freshDb();
		const job = await queueJob(db, numberedCsv(3), ['phone', 'first_name']);
		await db.jobFiles.delete(job.id);
		expect(await runJob(db, job.id)).toBe('failed');
		expect((await db.jobs.get(job.id))!.message).toMatch(/no longer stored/);
	});

	it('merges into a contact another writer added mid-run (the key snapshot is distrusted)', async () => {
		const db = freshDb();
		// Rows 2..401; the contact for the last row appears (edited in) after the first batch.
		const job = await queueJob(db, numberedCsv(400), ['phone', 'first_name']);
		const late = '+14155551399';
		let moved = false;
		expect(
			await runJob(db, job.id, {
				batchSize: 100,
				afterBatch: async () => {
					if (moved) return;
					moved = true;
					const original = (await db.contacts.get('+14155551000'))!;
					await saveContact(db, original, editOf(original, late), 'US');
				}
			})
		).toBe('completed');
		const done = (await db.jobs.get(job.id))!;
		// Row 1000 moved to the late number, which the file then updates: 399 created, 1 updated.
		expect(done.counts).toMatchObject({ processed: 400, created: 399, updated: 1 });
		expect(await db.contacts.count()).toBe(399);
		expect((await db.contacts.get(late))?.firstName).toBe('Name 399');
		expect((await db.contacts.get(late))?.createdByJob).toBe(job.id);
	});

	it('looks up only the phones that existed when the run started', async () => {
		const db = freshDb();
		const first = await queueJob(db, numberedCsv(50), ['phone', 'first_name']);
		await runJob(db, first.id);
		const second = await queueJob(db, numberedCsv(100, 25), ['phone', 'first_name']);
		expect(await runJob(db, second.id, { batchSize: 30 })).toBe('completed');
		expect((await db.jobs.get(second.id))!.counts).toMatchObject({ created: 75, updated: 25 });
		expect(await db.contacts.count()).toBe(125);
	});
	describe('time zones from phone numbers', () => {
		const ZONES = ['phone,first', '+1 212 555 0123,NY', '+1 850 555 0123,Panhandle'].join('\n');

		it('fills a missing zone when the number lies in one, and leaves an ambiguous one empty', async () => {
			const db = freshDb();
			const job = await queueJob(db, ZONES, ['phone', 'first_name'], { fillTimezones: true });
			expect(await runJob(db, job.id)).toBe('completed');
			expect((await db.contacts.get('+12125550123'))?.timezone).toBe('America/New_York');
			expect((await db.contacts.get('+18505550123'))?.timezone).toBeUndefined();
			expect((await db.jobs.get(job.id))?.counts.warnings).toBe(0);
		});

		it('fills nothing for a job stored before the option existed (it has none)', async () => {
			const db = freshDb();
			const job = await queueJob(db, ZONES, ['phone', 'first_name']);
			expect(job.options).not.toHaveProperty('fillTimezones');
			expect(await runJob(db, job.id)).toBe('completed');
			expect((await db.contacts.get('+12125550123'))?.timezone).toBeUndefined();
		});

		it('never replaces the zone an existing contact has', async () => {
			const db = freshDb();
			const first = await queueJob(db, 'phone,tz\n+1 212 555 0123,Europe/Paris', [
				'phone',
				'timezone'
			]);
			await runJob(db, first.id);
			const job = await queueJob(db, ZONES, ['phone', 'first_name'], { fillTimezones: true });
			await runJob(db, job.id);
			expect(await db.contacts.get('+12125550123')).toMatchObject({
				firstName: 'NY',
				timezone: 'Europe/Paris'
			});
		});
	});
});

function editOf(c: Contact, phone: string): ContactEdit {
	return {
		phone,
		firstName: c.firstName ?? '',
		lastName: '',
		email: '',
		company: '',
		tags: '',
		timezone: '',
		custom: {}
	};
}
