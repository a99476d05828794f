import { describe, expect, it } from 'vitest';
import { newContact } from '$lib/domain/contact';
import { freshDb } from '$support/test-db';
import { deleteContact } from './contacts-repo';
import { IndexReader, latestIndexSeq, needsCompaction, putContacts } from './contact-index-repo';

const people = (n: number, name: string) =>
	Array.from({ length: n }, (_, i) =>
		newContact(`+1212${String(2_000_000 + i)}`, { firstName: `${name}${i}`, tags: ['t'] }, 0)
	);

describe('IndexReader', () => {
	it('derives phone kinds for chunks written without them (the phone metadata loads then)', async () => {
		const db = freshDb();
		// putContacts writes its chunk without kinds, as an edit or an undo does.
		await putContacts(db, [
			newContact('+447400123456', {}, 0),
			newContact('+12125550123', {}, 0),
			newContact('+18005550123', {}, 0)
		]);
		const index = await new IndexReader(db).current();
		const kind = (value: string) =>
			index.count({ groups: [[{ field: 'phone_type', operator: 'equals', value }]] });
		expect([kind('mobile'), kind('toll_free'), kind('landline')]).toEqual([1, 1, 0]);
	});

	it('follows every committed change, from any reader', async () => {
		const db = freshDb();
		const a = new IndexReader(db);
		expect((await a.current()).size).toBe(0);
		await putContacts(db, people(10, 'A'));
		expect((await a.current()).size).toBe(10);
		await deleteContact(db, '+12122000003');
		const index = await a.current();
		expect(index.size).toBe(9);
		expect(index.has('+12122000003')).toBe(false);
		expect(await latestIndexSeq(db)).toBe(2);
	});

	it('a compaction keeps exactly the live rows, and a reader behind it starts over', async () => {
		const db = freshDb();
		await putContacts(db, people(5, 'A'));
		const behind = new IndexReader(db);
		expect((await behind.current()).size).toBe(5);
		// A delete the reader behind has not seen, then a compaction that removes its chunk.
		await deleteContact(db, '+12122000001');
		await putContacts(
			db,
			people(5, 'B').filter((c) => c.phone !== '+12122000001')
		);
		const compactor = new IndexReader(db);
		const compacted = await compactor.compact();
		expect(compacted.size).toBe(4);
		expect(compacted.rows).toBe(4);
		expect(await db.contactIndex.count()).toBe(1);
		const index = await behind.current();
		expect(index.size).toBe(4);
		expect(index.has('+12122000001')).toBe(false);
		const names = index.count({
			groups: [[{ field: 'first_name', operator: 'starts_with', value: 'b' }]]
		});
		expect(names).toBe(4);
		expect((await new IndexReader(db).current()).size).toBe(4);
	});

	// It checks an outcome, not a time: writing its contacts through fake IndexedDB takes a few
	// seconds on a quiet machine and more on a busy one, past vitest's 5 s default.
	it('compacts by itself once dead rows outnumber live ones', async () => {
		const db = freshDb();
		for (const name of ['A', 'B', 'C']) await putContacts(db, people(25_000, name));
		const reader = new IndexReader(db);
		const before = await reader.current();
		expect(before.rows).toBe(75_000);
		expect(needsCompaction(before)).toBe(true);
		// The compaction queued behind the first answer runs before the next one.
		const after = await reader.current();
		expect(after.rows).toBe(25_000);
		expect(needsCompaction(after)).toBe(false);
		expect(await db.contactIndex.count()).toBe(5);
		expect(
			after.count({ groups: [[{ field: 'first_name', operator: 'starts_with', value: 'c' }]] })
		).toBe(25_000);
		expect(after.count({ groups: [[{ field: 'tags', operator: 'has_tag', value: 'T' }]] })).toBe(
			25_000
		);
	}, 60_000);
});
