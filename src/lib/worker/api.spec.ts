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

	it('answers a list page at once when no search is waiting', async () => {
		const db = freshDb();
		await putContacts(db, people(20));
		const api = createAppApi(db);
		const page = await api.listContacts({ kind: 'all' }, 'name', 0, 5);
		expect(page.total).toBe(20);
		expect(page.contacts).toHaveLength(5);
	});
});
