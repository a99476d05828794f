import 'fake-indexeddb/auto';
import { describe, expect, it } from 'vitest';
import type { Change, ChangesPage } from '$lib/protocol/sync';
import { CallaroDb } from './database';
import { deleteContact } from './contacts-repo';
import { applyPulledPage, snapshotPullKeys } from './pull-repo';

const URL = 'http://backend.test';
const db = () => new CallaroDb(`pull-repo-${crypto.randomUUID()}`);

function upsert(seq: number, phone: string, at: number, firstName = 'Pulled'): Change {
	return {
		seq,
		phone,
		at,
		deviceId: 'other',
		op: 'upsert',
		contact: { phone, firstName, tags: [], custom: {}, updatedAt: at }
	};
}

function page(changes: Change[], more = true): ChangesPage {
	return { changes, next: changes[changes.length - 1].seq, more };
}

describe('applyPulledPage with a snapshot of held phones', () => {
	it('distrusts the snapshot once another writer leaves a tombstone, so an older pulled write does not bring a deleted contact back', async () => {
		const d = db();
		await applyPulledPage(d, URL, 0, page([upsert(1, '+14155550001', 100)]), 'me');
		const keys = await snapshotPullKeys(d);
		expect(keys.tombstones?.phones.size).toBe(0);
		// Deleted here, after the snapshot: its tombstone is newer than the write pulled next.
		await deleteContact(d, '+14155550001');
		const at = (await d.tombstones.get('+14155550001'))?.at ?? 0;
		await applyPulledPage(d, URL, 1, page([upsert(2, '+14155550001', at - 1)]), 'me', [], keys);
		expect(await d.contacts.get('+14155550001')).toBeUndefined();
		expect(keys.tombstones).toBeNull();
	});

	it('learns the tombstones and contacts its own pages write', async () => {
		const d = db();
		const keys = await snapshotPullKeys(d);
		const gone: Change = {
			seq: 1,
			phone: '+14155550002',
			at: 500,
			deviceId: 'other',
			op: 'delete'
		};
		await applyPulledPage(d, URL, 0, page([gone, upsert(2, '+14155550003', 10)]), 'me', [], keys);
		expect(keys.tombstones?.phones.has('+14155550002')).toBe(true);
		expect(keys.contacts?.phones.has('+14155550003')).toBe(true);
		// A later page's older write of the deleted phone stays deleted; a newer one of the
		// held contact merges with it.
		await applyPulledPage(
			d,
			URL,
			2,
			page([upsert(3, '+14155550002', 400), upsert(4, '+14155550003', 20, 'Newer')], false),
			'me',
			[],
			keys
		);
		expect(await d.contacts.get('+14155550002')).toBeUndefined();
		expect((await d.contacts.get('+14155550003'))?.firstName).toBe('Newer');
		// Still trusted: only this pull wrote.
		expect(keys.contacts).not.toBeNull();
		expect(keys.tombstones).not.toBeNull();
	});
});
