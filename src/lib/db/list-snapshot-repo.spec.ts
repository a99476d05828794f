import { describe, expect, it } from 'vitest';
import { newContact } from '$lib/domain/contact';
import { freshDb } from '$support/test-db';
import { createAppApi } from '$lib/worker/api';
import { deleteContact } from './contacts-repo';
import { IndexReader, latestIndexSeq, putContacts } from './contact-index-repo';
import { readListSnapshot, saveListSnapshot, SNAPSHOT_ROWS } from './list-snapshot-repo';

const people = (n: number) =>
	Array.from({ length: n }, (_, i) =>
		newContact(
			`+1212${String(2_000_000 + i)}`,
			{ firstName: `P${String(n - i).padStart(4, '0')}` },
			0
		)
	);

/** The snapshot once the worker's fire-and-forget save has landed. */
async function saved(db: ReturnType<typeof freshDb>) {
	for (let i = 0; i < 50; i++) {
		const snapshot = await readListSnapshot(db);
		if (snapshot) return snapshot;
		await new Promise((r) => setTimeout(r, 10));
	}
	throw new Error('no snapshot was saved');
}

describe('the list snapshot', () => {
	it("keeps the worker's first page of the unfiltered list, exactly as answered", async () => {
		const db = freshDb();
		await putContacts(db, people(250));
		const api = createAppApi(db);
		// A filtered view, another order, or a later page keep nothing.
		await api.listContacts({ kind: 'tag', tag: 'x' }, 'name', 0, SNAPSHOT_ROWS);
		await api.listContacts({ kind: 'all' }, 'phone', 0, SNAPSHOT_ROWS);
		await api.listContacts({ kind: 'all' }, 'name', SNAPSHOT_ROWS, SNAPSHOT_ROWS);
		await new Promise((r) => setTimeout(r, 50));
		expect(await readListSnapshot(db)).toBeNull();
		const page = await api.listContacts({ kind: 'all' }, 'name', 0, SNAPSHOT_ROWS);
		const snapshot = await saved(db);
		expect(snapshot.total).toBe(250);
		expect(snapshot.contacts.map((c) => c.phone)).toEqual(page.contacts.map((c) => c!.phone));
		expect(snapshot.contacts[0].firstName).toBe('P0001');
		expect(snapshot.seq).toBe(await latestIndexSeq(db));
	});

	it('is ignored after any change to contacts, and after a compaction', async () => {
		const db = freshDb();
		await putContacts(db, people(20));
		const api = createAppApi(db);
		await api.listContacts({ kind: 'all' }, 'name', 0, SNAPSHOT_ROWS);
		expect((await saved(db)).total).toBe(20);
		await deleteContact(db, '+12122000003');
		expect(await readListSnapshot(db)).toBeNull();
		// The next first page keeps a new one; a compaction (new chunks, same contacts) voids it.
		await api.listContacts({ kind: 'all' }, 'name', 0, SNAPSHOT_ROWS);
		expect((await saved(db)).total).toBe(19);
		await new IndexReader(db).compact();
		expect(await readListSnapshot(db)).toBeNull();
	});

	it('is kept on request (after an import), without the list being asked for', async () => {
		const db = freshDb();
		await putContacts(db, people(120));
		const api = createAppApi(db);
		await api.keepListSnapshot();
		// Written by the time the call resolves: the page asks once an import's run has ended.
		const snapshot = await readListSnapshot(db);
		expect(snapshot?.total).toBe(120);
		expect(snapshot?.contacts).toHaveLength(SNAPSHOT_ROWS);
		expect(snapshot?.contacts[0].firstName).toBe('P0001');
		await putContacts(db, people(130));
		expect(await readListSnapshot(db)).toBeNull();
		await api.keepListSnapshot();
		expect((await readListSnapshot(db))?.total).toBe(130);
	});

	it('is not written for a page answered before the last change', async () => {
		const db = freshDb();
		await putContacts(db, people(3));
		const seq = await latestIndexSeq(db);
		await putContacts(db, people(4));
		await saveListSnapshot(db, seq, 3, people(3));
		expect(await readListSnapshot(db)).toBeNull();
		await saveListSnapshot(db, await latestIndexSeq(db), 4, people(4));
		expect((await readListSnapshot(db))?.total).toBe(4);
	});
});
