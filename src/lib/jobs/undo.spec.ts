import { describe, expect, it } from 'vitest';
import { transitionJob } from '$lib/db/jobs-repo';
import { runJob } from './runner';
import { freshDb, numberedCsv, queueJob } from '$support/test-db';
import { planUndo, undoJob } from './undo';
import { IndexReader } from '$lib/db/contact-index-repo';

/** The index as the worker holds it: brought up to date before each use. */
const readers = new WeakMap<object, IndexReader>();
const indexOf = (db: ReturnType<typeof freshDb>) => {
	if (!readers.has(db)) readers.set(db, new IndexReader(db));
	return readers.get(db)!.current();
};

/** Every contact as stored, but for the time of its last write (a restore is a new write). */
const snapshot = async (db: ReturnType<typeof freshDb>) =>
	(await db.contacts.toArray()).map((c) => ({ ...c, updatedAt: 0 }));

describe('undoJob', () => {
	it('leaves a created contact that another device has written since (pulled), deleting the rest', async () => {
		const db = freshDb();
		const job = await queueJob(db, numberedCsv(5), ['phone', 'first_name']);
		await runJob(db, job.id);
		const [kept] = await db.contacts.toArray();
		// As a pull writes another device's newer version: the import's job ids stay on it.
		await db.contacts.put({
			...kept,
			firstName: 'From B',
			updatedAt: kept.updatedAt + 10,
			updatedBy: 'device-b'
		});
		// The confirmation counts exactly what the undo then deletes.
		expect(await planUndo(db, await indexOf(db), job.id)).toEqual({ created: 4, restored: 0 });
		expect(await undoJob(db, await indexOf(db), job.id)).toEqual({ deleted: 4, restored: 0 });
		expect((await db.contacts.toArray()).map((c) => c.firstName)).toEqual(['From B']);
	});

	it('restores the database to its state before the import', async () => {
		const db = freshDb();
		const first = await queueJob(db, numberedCsv(30), ['phone', 'first_name']);
		await runJob(db, first.id);
		const before = await snapshot(db);

		// Updates 10 existing contacts (new names, tags) and creates 20.
		const csv = [
			'phone,first_name,tags',
			...Array.from({ length: 30 }, (_, i) => `+1415555${String(1020 + i)},Changed ${i},vip`)
		].join('\n');
		const second = await queueJob(db, csv, ['phone', 'first_name', 'tags']);
		await runJob(db, second.id, { batchSize: 7 });
		expect((await db.jobs.get(second.id))!.counts).toMatchObject({ created: 20, updated: 10 });

		expect(await planUndo(db, await indexOf(db), second.id)).toEqual({ created: 20, restored: 10 });
		const undoneAt = Date.now();
		const queuedBefore = await db.outbox.count();
		expect(await undoJob(db, await indexOf(db), second.id)).toEqual({ deleted: 20, restored: 10 });
		expect(await snapshot(db)).toEqual(before);
		// Synced like any change: the deletes and the restored versions, newer than the import's.
		const queued = (await db.outbox.toArray()).slice(queuedBefore);
		expect(queued.flatMap((r) => r.deleted ?? []).length).toBe(20);
		expect(queued.flatMap((r) => r.phones).length).toBe(10);
		for (const c of await db.contacts.bulkGet(queued.flatMap((r) => r.phones)))
			expect(c!.updatedAt).toBeGreaterThanOrEqual(undoneAt);
		// The index followed every page: the same contacts, and the restored names searchable.
		const index = await indexOf(db);
		expect(index.size).toBe(before.length);
		expect(index.count({ groups: [[{ field: 'tags', operator: 'has_tag', value: 'vip' }]] })).toBe(
			0
		);
		expect((await new IndexReader(db).current()).size).toBe(before.length);
		expect((await db.jobs.get(second.id))!.undo).toMatchObject({ deleted: 20, restored: 10 });
		await expect(undoJob(db, await indexOf(db), second.id)).rejects.toThrow(/already undone/);
	});

	it('two undos at once (two tabs) restore once and record what the first one undid', async () => {
		const db = freshDb();
		const first = await queueJob(db, numberedCsv(12), ['phone', 'first_name']);
		await runJob(db, first.id);
		const before = await snapshot(db);
		const csv = [
			'phone,first_name',
			...Array.from({ length: 12 }, (_, i) => `+1415555${String(1006 + i)},Changed ${i}`)
		].join('\n');
		const second = await queueJob(db, csv, ['phone', 'first_name']);
		await runJob(db, second.id, { batchSize: 5 });
		const index = await indexOf(db);
		const [a, b] = await Promise.all([
			undoJob(db, index, second.id),
			undoJob(db, index, second.id)
		]);
		// One of them did the work; the later one found it done.
		expect(a.deleted + b.deleted).toBe(6);
		expect(await snapshot(db)).toEqual(before);
		expect((await db.jobs.get(second.id))!.undo).toMatchObject({ deleted: 6, restored: 6 });
	});

	it('refuses a job that is still running or paused', async () => {
		const db = freshDb();
		const job = await queueJob(db, numberedCsv(3), ['phone', 'first_name']);
		await transitionJob(db, job.id, 'running');
		await expect(undoJob(db, await indexOf(db), job.id)).rejects.toThrow(/finished or cancelled/);
	});

	it('undoes a cancelled job: what it imported goes away', async () => {
		const db = freshDb();
		const job = await queueJob(db, numberedCsv(50), ['phone', 'first_name']);
		let n = 0;
		await runJob(db, job.id, {
			batchSize: 10,
			afterBatch: async () => {
				if (++n === 2) await transitionJob(db, job.id, 'cancelled');
			}
		});
		expect(await db.contacts.count()).toBe(20);
		await undoJob(db, await indexOf(db), job.id);
		expect(await db.contacts.count()).toBe(0);
	});
});
