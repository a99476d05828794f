import { afterEach, expect, it, vi } from 'vitest';
import { freshDb } from '$support/test-db';

afterEach(() => vi.restoreAllMocks());

it('never commits a transaction explicitly: each one commits by itself when its requests are done', async () => {
	const commit = vi.spyOn(IDBTransaction.prototype, 'commit');
	const db = freshDb();
	// Single-table writes outside a transaction block: the ones Dexie would commit explicitly.
	await db.settings.put({ key: 'a', value: 1 });
	await db.settings.update('a', { value: 2 });
	await db.settings.bulkPut([{ key: 'b', value: 3 }]);
	await db.settings.delete('b');
	await db.transaction('rw', db.settings, async () => {
		await db.settings.put({ key: 'c', value: 4 });
	});
	expect(commit).not.toHaveBeenCalled();
	// Committed all the same.
	expect(await db.settings.toArray()).toEqual([
		{ key: 'a', value: 2 },
		{ key: 'c', value: 4 }
	]);
	await db.delete();
});
