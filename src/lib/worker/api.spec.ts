import { describe, expect, it, vi } from 'vitest';
import { newContact } from '$lib/domain/contact';
import { freshDb } from '$support/test-db';
import { putContacts } from '$lib/db/contact-index-repo';
import { createAppApi } from './api';

const people = (n: number) =>
	Array.from({ length: n }, (_, i) =>
		newContact(
			`+1212${String(2_000_000 + i)}`,
			{ firstName: i % 2 ? 'Zoë' : 'Ada', lastName: `L${String(i).padStart(4, '0')}` },
			0
		)
	);

describe('the worker API, when a search and a list page wait on the same cold index', () => {
	it('answers the search first, and the list page after it, both exact', async () => {
		const db = freshDb();
		await putContacts(db, people(300));
		const api = createAppApi(db);
		const order: string[] = [];
		// The list asks first, as the contacts page does on opening; the search comes while the
		// index is still being read.
		const list = api.listContacts({ kind: 'all' }, 'name', 0, 50).then((page) => {
			order.push('list');
			return page;
		});
		const search = api.searchContacts('zoë', 100).then((found) => {
			order.push('search');
			return found;
		});
		const [page, found] = await Promise.all([list, search]);
		expect(order).toEqual(['search', 'list']);
		expect(found).toHaveLength(100);
		expect(found.every((c) => c.firstName === 'Zoë')).toBe(true);
		expect(page.total).toBe(300);
		expect(page.contacts[0]?.lastName).toBe('L0000');
	});

	it('does not keep a list page waiting after a search that failed', async () => {
		const db = freshDb();
		await putContacts(db, people(10));
		const api = createAppApi(db);
		// The search's read of its contacts fails; the list page, waiting behind it, reads after.
		vi.spyOn(db.contacts, 'bulkGet').mockRejectedValueOnce(new Error('read failed'));
		const list = api.listContacts({ kind: 'all' }, 'name', 0, 50);
		const search = api.searchContacts('ada', 100);
		await expect(search).rejects.toThrow('read failed');
		expect((await list).total).toBe(10);
	});

	it('gives a search early matches from the chunks read so far, then the full answer', async () => {
		const db = freshDb();
		// 120 chunks: the cold read takes three pages of 40.
		for (let k = 0; k < 120; k++) {
			await putContacts(
				db,
				Array.from({ length: 5 }, (_, i) =>
					newContact(
						`+1212${String(3_000_000 + k * 5 + i)}`,
						{ firstName: k >= 100 && i === 0 ? 'Zoë' : 'Ada', lastName: `L${k}` },
						0
					)
				)
			);
		}
		// An early contact renamed in the last chunk: what the first pages hold of it is stale.
		await putContacts(db, [newContact('+12123000000', { firstName: 'Zoë', lastName: 'Late' }, 0)]);
		const api = createAppApi(db);
		const early: string[][] = [];
		const found = await api.searchContacts('ada l1', 200, undefined, (c) =>
			early.push(c.map((x) => `${x.firstName} ${x.lastName}`))
		);
		// One early answer, from the first page (the Adas of L1 and L10–L19), each as stored.
		expect(early).toHaveLength(1);
		expect(early[0].length).toBeGreaterThan(0);
		expect(early[0].every((name) => /^Ada L1\d?$/.test(name))).toBe(true);
		// Every match: L1 and L10–L19 (5 Adas each), L100–L119 (4 each).
		expect(found).toHaveLength(5 + 50 + 80);
		expect(found.map((c) => `${c.firstName} ${c.lastName}`)).toEqual(
			expect.arrayContaining(['Ada L1', 'Ada L100', 'Ada L119'])
		);
		// The renamed contact (Ada L0 in the first chunk) is found by neither.
		expect((await api.searchContacts('ada l0', 100)).map((c) => c.phone)).not.toContain(
			'+12123000000'
		);
		// Once the index is read, a search has nothing early to give.
		const later: unknown[] = [];
		await api.searchContacts('zoë', 100, undefined, (c) => later.push(c));
		expect(later).toEqual([]);
	});

	it('answers a list page at once when no search is waiting', async () => {
		const db = freshDb();
		await putContacts(db, people(20));
		const api = createAppApi(db);
		const page = await api.listContacts({ kind: 'all' }, 'name', 0, 5);
		expect(page.total).toBe(20);
		expect(page.contacts).toHaveLength(5);
	});
});
