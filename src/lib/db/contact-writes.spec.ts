import 'fake-indexeddb/auto';
import { describe, expect, it } from 'vitest';
import { newContact } from '$lib/domain/contact';
import { CallaroDb } from './database';
import { changeTime, contactTables, writeContactChange } from './contact-writes';
import { readKeyEpoch } from './contact-keys';
import { readClock } from './outbox-repo';
import { latestIndexSeq } from './contact-index-repo';

const db = () => new CallaroDb(`writes-${crypto.randomUUID()}`);
const contact = (phone: string, at: number) => newContact(phone, { tags: [], custom: {} }, at);

describe('writeContactChange', () => {
	it('writes every part of a local change in one go: contacts, tombstones, index, epoch, clock, outbox', async () => {
		const d = db();
		await d.transaction('rw', contactTables(d), async () => {
			const at = await changeTime(d, 1000);
			const epochs = await writeContactChange(d, {
				puts: [contact('+14155550001', at), contact('+14155550002', at)],
				deletes: ['+14155550009'],
				newKeys: true,
				at,
				sync: { id: 'edit:1', jobId: 'edit' }
			});
			expect(epochs).toEqual({ keys: 1, tombstones: 1 });
		});
		expect(await d.contacts.count()).toBe(2);
		expect(await d.tombstones.get('+14155550009')).toEqual({ phone: '+14155550009', at: 1000 });
		expect(await latestIndexSeq(d)).toBe(1);
		expect(await readKeyEpoch(d)).toBe(1);
		expect(await readClock(d)).toBe(1000);
		const queued = await d.outbox.toArray();
		expect(queued).toHaveLength(1);
		expect(queued[0]).toMatchObject({
			id: 'edit:1',
			jobId: 'edit',
			phones: ['+14155550001', '+14155550002'],
			deleted: ['+14155550009']
		});
		// The next change's time is later than this one, whatever the wall clock says.
		expect(await d.transaction('r', d.settings, () => changeTime(d, 5))).toBe(1001);
	});

	it('a pulled change queues nothing, keeps its own tombstones, clears moot ones, and only moves the clock forward', async () => {
		const d = db();
		await d.tombstones.put({ phone: '+14155550001', at: 10 });
		await d.settings.put({ key: 'clock', value: 5000 });
		await d.transaction('rw', contactTables(d), () =>
			writeContactChange(d, {
				puts: [contact('+14155550001', 20)],
				deletes: ['+14155550002'],
				tombstones: [{ phone: '+14155550002', at: 30, device: 'other' }],
				clearTombstones: ['+14155550001'],
				newKeys: false,
				at: 30
			})
		);
		expect(await d.outbox.count()).toBe(0);
		expect(await d.tombstones.toArray()).toEqual([
			{ phone: '+14155550002', at: 30, device: 'other' }
		]);
		expect(await readClock(d)).toBe(5000);
		expect(await readKeyEpoch(d)).toBe(0);
		expect(await latestIndexSeq(d)).toBe(1);
	});

	it('is all or nothing with the transaction around it', async () => {
		const d = db();
		await expect(
			d.transaction('rw', contactTables(d), async () => {
				await writeContactChange(d, {
					puts: [contact('+14155550001', 1)],
					deletes: [],
					newKeys: true,
					at: 1,
					sync: { id: 'x', jobId: 'edit' }
				});
				throw new Error('the caller fails after writing');
			})
		).rejects.toThrow('the caller fails');
		expect(await d.contacts.count()).toBe(0);
		expect(await d.outbox.count()).toBe(0);
		expect(await latestIndexSeq(d)).toBe(0);
		expect(await readKeyEpoch(d)).toBe(0);
	});
});
