import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import type { Change } from '$lib/protocol/sync';
import type { Contact } from './contact';
import { planPull, type HeldLocally, type Tombstone } from './pull-merge';
import { newer } from '../protocol/last-writer';

const ME = 'device-me';
const A = '+14155550101';

const upsert = (phone: string, at: number, deviceId: string, firstName = 'X', seq = 1): Change => ({
	seq,
	op: 'upsert',
	phone,
	at,
	deviceId,
	contact: { phone, firstName, tags: ['t'], custom: { k: 'v' }, updatedAt: at }
});
const del = (phone: string, at: number, deviceId: string, seq = 1): Change => ({
	seq,
	op: 'delete',
	phone,
	at,
	deviceId
});
const local = (phone: string, updatedAt: number, extra: Partial<Contact> = {}): Contact => ({
	phone,
	tags: [],
	custom: {},
	createdAt: 1,
	updatedAt,
	...extra
});

describe('planPull', () => {
	it("writes another device's newer contact, keeping what only this device knows", () => {
		const held = new Map<string, HeldLocally>([
			[A, { contact: local(A, 5, { createdByJob: 'job-1', lastJobId: 'job-1', createdAt: 3 }) }]
		]);
		const plan = planPull([upsert(A, 9, 'device-b', 'Bea')], held, ME);
		expect(plan.puts).toEqual([
			{
				phone: A,
				firstName: 'Bea',
				tags: ['t'],
				custom: { k: 'v' },
				createdAt: 3,
				updatedAt: 9,
				updatedBy: 'device-b',
				createdByJob: 'job-1',
				lastJobId: 'job-1'
			}
		]);
		expect(plan).toMatchObject({ applied: 1, stale: 0, newKeys: false, latestAt: 9 });
	});

	it('never overwrites a newer local change, and ignores its own writes echoed back', () => {
		const held = new Map<string, HeldLocally>([[A, { contact: local(A, 10) }]]);
		expect(planPull([upsert(A, 9, 'device-b')], held, ME)).toMatchObject({
			puts: [],
			applied: 0,
			stale: 1,
			latestAt: 9
		});
		expect(planPull([upsert(A, 10, ME)], held, ME)).toMatchObject({ puts: [], stale: 1 });
		// The same time: the greater device id wins, as on the server.
		expect(planPull([upsert(A, 10, 'device-z')], held, ME).puts).toHaveLength(1);
		expect(planPull([upsert(A, 10, 'device-a')], held, ME).puts).toHaveLength(0);
	});

	it('deletes with a tombstone, and a tombstone keeps an older upsert out', () => {
		const held = new Map<string, HeldLocally>([[A, { contact: local(A, 5) }]]);
		const plan = planPull([del(A, 6, 'device-b')], held, ME);
		expect(plan).toMatchObject({
			puts: [],
			deletes: [A],
			tombstones: [{ phone: A, at: 6, device: 'device-b' }]
		});
		const tomb: Tombstone = { phone: A, at: 6, device: 'device-b' };
		const after = new Map<string, HeldLocally>([[A, { tombstone: tomb }]]);
		expect(planPull([upsert(A, 4, 'device-c')], after, ME)).toMatchObject({ puts: [], stale: 1 });
		const back = planPull([upsert(A, 7, 'device-c')], after, ME);
		expect(back).toMatchObject({ clearTombstones: [A], newKeys: true, applied: 1 });
		expect(back.puts[0]).toMatchObject({ phone: A, updatedAt: 7, updatedBy: 'device-c' });
	});

	it('records a delete of a phone it never had, so a late older upsert stays out', () => {
		const plan = planPull([del(A, 6, 'device-b')], new Map(), ME);
		expect(plan).toMatchObject({ deletes: [], tombstones: [{ phone: A, at: 6 }] });
	});

	it('applies changes of one phone in order within a page', () => {
		const plan = planPull(
			[
				upsert(A, 5, 'device-b', 'One', 1),
				del(A, 6, 'device-b', 2),
				upsert(A, 7, 'device-c', 'Two', 3)
			],
			new Map(),
			ME
		);
		expect(plan.puts.map((c) => c.firstName)).toEqual(['Two']);
		expect(plan.tombstones).toEqual([]);
		expect(plan.deletes).toEqual([]);
	});

	it('ends in the newest version whatever order the changes come in (a property)', () => {
		const change = fc.record({
			op: fc.constantFrom('upsert', 'delete'),
			at: fc.integer({ min: 1, max: 6 }),
			deviceId: fc.constantFrom('a', 'b', ME)
		});
		fc.assert(
			// A device never writes twice at one time (its clock ticks), so versions are unique.
			fc.property(
				fc.uniqueArray(change, {
					minLength: 1,
					maxLength: 8,
					selector: (c) => `${c.at}/${c.deviceId}`
				}),
				fc.integer(),
				(raw, seed) => {
					const changes = raw.map((c, i) =>
						c.op === 'upsert'
							? upsert(A, c.at, c.deviceId, `v${i}`, i + 1)
							: del(A, c.at, c.deviceId, i + 1)
					);
					const shuffled = [...changes].sort(
						(x, y) => ((x.seq * 7919 + seed) % 13) - ((y.seq * 7919 + seed) % 13)
					);
					// Applied one page at a time, as pulls over time would.
					const end = (list: Change[]) => {
						let held: HeldLocally = {};
						for (const c of list) {
							const plan = planPull([c], new Map([[A, held]]), ME);
							if (plan.puts.length) held = { contact: plan.puts[0] };
							else if (plan.tombstones.length) held = { tombstone: plan.tombstones[0] };
						}
						return held.contact
							? `c${held.contact.updatedAt}${held.contact.updatedBy ?? ME}`
							: held.tombstone
								? `d${held.tombstone.at}${held.tombstone.device ?? ME}`
								: '';
					};
					const newest = changes.reduce((best, c) =>
						newer({ at: c.at, device: c.deviceId }, { at: best.at, device: best.deviceId })
							? c
							: best
					);
					const want = changes.filter(
						(c) => c.at === newest.at && c.deviceId === newest.deviceId
					)[0];
					const expected =
						want.op === 'upsert' ? `c${want.at}${want.deviceId}` : `d${want.at}${want.deviceId}`;
					expect(end(changes)).toBe(expected);
					expect(end(shuffled)).toBe(expected);
				}
			)
		);
	});
});
