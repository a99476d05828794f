import { describe, expect, it } from 'vitest';
import { newer, phonesOf, planBatch, type PhoneVersions } from './batch-rules';
import type { ContactBatch, SyncContact } from '../src/lib/sync/protocol';

const contact = (phone: string, updatedAt: number, firstName = 'X'): { contact: SyncContact } => ({
	contact: { phone, firstName, tags: [], custom: {}, updatedAt }
});

const batch = (deviceId: string, deletes: ContactBatch['deletes'] = []): ContactBatch => ({
	batchId: 'b',
	importId: 'i',
	deviceId,
	contacts: [],
	deletes
});

describe('newer', () => {
	it('orders by time, then by device id; anything beats nothing', () => {
		expect(newer({ at: 2, device: 'a' }, { at: 1, device: 'z' })).toBe(true);
		expect(newer({ at: 1, device: 'b' }, { at: 1, device: 'a' })).toBe(true);
		expect(newer({ at: 1, device: 'a' }, { at: 1, device: 'a' })).toBe(false);
		expect(newer({ at: 1, device: 'a' }, { at: 2, device: 'a' })).toBe(false);
		expect(newer({ at: 0, device: '' }, undefined)).toBe(true);
	});
});

describe('planBatch', () => {
	it('applies newer writes, counts older ones as stale, and keeps tombstones', () => {
		const held = new Map<string, PhoneVersions>([
			['+1', { contact: { at: 5, device: 'd' } }],
			['+2', { tombstone: { at: 9, device: 'd' } }],
			['+3', { contact: { at: 1, device: 'd' } }]
		]);
		const plan = planBatch(
			batch('e', [
				{ phone: '+3', deletedAt: 2 },
				{ phone: '+4', deletedAt: 2 }
			]),
			[contact('+1', 6), contact('+2', 8), contact('+5', 1)],
			[{ index: 9, phone: 'x', reason: 'bad' }],
			held
		);
		expect(
			plan.writes.map((w) => [w.kind, w.kind === 'upsert' ? w.contact.phone : w.phone])
		).toEqual([
			['upsert', '+1'],
			['upsert', '+5'],
			['delete', '+3'],
			['delete', '+4']
		]);
		// +2 is older than its tombstone; +4 was never held, so only +3 counts as deleted.
		expect(plan.ack).toEqual({
			batchId: 'b',
			importId: 'i',
			accepted: 2,
			refused: [{ index: 9, phone: 'x', reason: 'bad' }],
			stale: 1,
			deleted: 1
		});
	});

	it('plans each write against what the earlier writes of the batch left', () => {
		const plan = planBatch(
			batch('d', [{ phone: '+1', deletedAt: 3 }]),
			[contact('+1', 2), contact('+1', 1)],
			[],
			new Map()
		);
		// The second upsert is older than the first; the delete is newer and deletes it.
		expect(plan.writes.map((w) => w.kind)).toEqual(['upsert', 'delete']);
		expect(plan.ack).toMatchObject({ accepted: 1, stale: 1, deleted: 1 });
		expect(
			phonesOf(batch('d', [{ phone: '+2', deletedAt: 1 }]), [contact('+1', 1), contact('+1', 2)])
		).toEqual(['+1', '+2']);
	});
});
