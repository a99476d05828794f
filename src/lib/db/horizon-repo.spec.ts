/**
 * The horizon on the device's storage: a resend's beyond-horizon refusals delete exactly the
 * unchanged contacts that are not the person's unsent or refused changes, in one transaction with
 * the record's progress, with no tombstone and nothing queued; tombstones older than the horizon
 * go chunk by chunk, except those whose delete waits in the outbox.
 */
import { describe, expect, it } from 'vitest';
import { newContact, type Contact } from '$lib/domain/contact';
import { BEYOND_HORIZON, type RefusedContact } from '$lib/protocol/sync';
import { freshDb } from '$support/test-db';
import { putContacts } from './contact-index-repo';
import { compactTombstones, settleResyncPart } from './horizon-repo';
import { noteSyncResult, syncSummary } from './outbox-repo';

const phone = (n: number) => `+1415555${String(1000 + n)}`;
const beyond = (index: number, n: number): RefusedContact => ({
	index,
	phone: phone(n),
	reason: 'older than the history',
	code: BEYOND_HORIZON
});

describe('settleResyncPart', () => {
	it('deletes the unchanged, not-kept contacts refused beyond the horizon, with the record’s progress', async () => {
		const db = freshDb();
		const contacts: Contact[] = [1, 2, 3, 4, 5].map((n) => newContact(phone(n), {}, 10, 'job'));
		await putContacts(db, contacts);
		// 3: the person's own change, refused before for its import; 4: in an unsent edit.
		await noteSyncResult(db, 'job-x', [beyond(0, 3)], () => []);
		await db.outbox.add({
			id: 'edit:1',
			jobId: 'edit',
			phones: [phone(4)],
			status: 'pending',
			attempts: 0,
			createdAt: 10
		});
		const seq = await db.outbox.add({
			id: 'resync:1',
			jobId: 'resync',
			phones: contacts.map((c) => c.phone),
			status: 'pending',
			attempts: 0,
			createdAt: 10,
			resync: true,
			partsDone: 0
		});
		const invalid: RefusedContact = { index: 4, phone: phone(5), reason: 'bad' };
		const deleted = await settleResyncPart(
			db,
			{ seq: seq!, jobId: 'resync', partsDone: 1 },
			[beyond(0, 1), beyond(1, 2), beyond(2, 3), beyond(3, 4), invalid],
			() => [],
			// 2 was changed here since the part was built.
			(c) => c.phone !== phone(2)
		);
		expect(deleted).toEqual([phone(1)]);
		expect(((await db.contacts.orderBy(':id').primaryKeys()) as string[]).sort()).toEqual(
			[2, 3, 4, 5].map(phone)
		);
		// No tombstone, nothing queued, the progress saved, the refusals kept noted.
		expect(await db.tombstones.count()).toBe(0);
		expect(await db.outbox.count()).toBe(2);
		expect((await db.outbox.get(seq!))?.partsDone).toBe(1);
		const noted = await syncSummary(db, 'resync');
		expect(noted.refused.map((r) => r.phone).sort()).toEqual([2, 3, 4, 5].map(phone));
		await db.delete();
	});
});

describe('compactTombstones', () => {
	it('removes the tombstones older than the horizon, chunk by chunk, but not a waiting delete', async () => {
		const db = freshDb();
		const n = 1200;
		await db.tombstones.bulkPut(
			Array.from({ length: n }, (_, i) => ({ phone: phone(i), at: i < 1000 ? 5 : 50 }))
		);
		// Deletes still waiting: one in a plain record, one in a resend's `deletes`, one failed.
		const waiting = { attempts: 0, createdAt: 5, phones: [] };
		await db.outbox.bulkAdd([
			{ ...waiting, id: 'e1', jobId: 'edit', status: 'pending', deleted: [phone(1)] },
			{
				...waiting,
				id: 'r1',
				jobId: 'resync',
				status: 'pending',
				resync: true,
				deletes: [{ phone: phone(600), deletedAt: 5 }]
			},
			{ ...waiting, id: 'e2', jobId: 'edit', status: 'failed', deleted: [phone(999)] },
			{ ...waiting, id: 'e3', jobId: 'edit', status: 'synced', deleted: [phone(2)] }
		]);
		expect(await compactTombstones(db, 0)).toBe(0);
		expect(await compactTombstones(db, 10)).toBe(997);
		expect(((await db.tombstones.toCollection().primaryKeys()) as string[]).length).toBe(203);
		for (const kept of [1, 600, 999, 1000, 1199])
			expect(await db.tombstones.get(phone(kept))).toBeDefined();
		expect(await db.tombstones.get(phone(2))).toBeUndefined();
		await db.delete();
	});
});
