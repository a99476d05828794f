import { describe, expect, it } from 'vitest';
import { finalWrites, phonesOf, planBatch, type PhoneVersions } from './batch-rules';
import type { ContactBatch, SyncContact } from '../src/lib/protocol/sync';

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

describe('finalWrites', () => {
	it('keeps the last write of each phone, in the order of those last writes', () => {
		const v = (at: number) => ({ at, device: 'd' });
		const writes = finalWrites([
			{ kind: 'upsert', contact: contact('+1', 1).contact, version: v(1) },
			{ kind: 'upsert', contact: contact('+2', 2).contact, version: v(2) },
			{ kind: 'delete', phone: '+1', version: v(3) }
		]);
		expect(
			writes.map((w) => (w.kind === 'upsert' ? `u${w.contact.phone}` : `d${w.phone}`))
		).toEqual(['u+2', 'd+1']);
	});
});
