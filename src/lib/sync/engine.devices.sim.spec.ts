/**
 * Seeded simulation of a team: three devices and one reference server (in process, SQLite in
 * memory), each device behind its own transport that fails at random (network errors, 503, 429,
 * answers lost after the server applied the request). The devices import, edit and delete
 * overlapping contacts while they sync at random moments, so their writes of one contact cross.
 * In some schedules the server is restored to an empty database mid-way (a new change feed): the
 * devices must notice, send back what they hold, and converge all the same. In some schedules the
 * server compacts its tombstones at random steps, with the clock (every device's and the server's)
 * jumping past TOMBSTONE_DAYS first, so a device may come back behind the horizon (410, a resend).
 * While faults are on, a pulled page may carry a change the device cannot read (garbled, as
 * tests/e2e/skipped-change.spec.ts does through a proxy), which it skips and lists.
 *
 * Convergence, precisely. Once the faults stop and every device has synced until nothing moves:
 * 1. every device holds exactly the server's contacts, except (a) a contact the server refused as
 *    beyond its horizon that is the device's own unsent change (kept, listed refused: the person
 *    edits it again to send it anew) and (b) a phone listed as skipped on that device (it holds
 *    what it had before the change it could not read). Nothing else may differ: in particular a
 *    device away past the horizon holds no contact deleted elsewhere meanwhile, as the server
 *    does not.
 * 2. once the person edits each refused contact again, and each skipped phone is written again
 *    (a later readable version replaces a skipped change; a phone the server no longer holds is
 *    deleted where it is still held), and all sync until nothing moves, every device holds
 *    exactly the server's contacts, with nothing pending or failed; a refusal or a skipped change
 *    is left listed only for a phone neither the device nor the server holds.
 */
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { createApp } from '../../../server/app';
import { openSqliteStore } from '../../../server/sqlite-store';
import { freshDb } from '$support/test-db';
import { seededRandom } from '$support/seeded-random';
import { newContact, nextVersion } from '$lib/domain/contact';
import { appendIndexChunk, IndexReader } from '$lib/db/contact-index-repo';
import { deleteContact, saveContact } from '$lib/db/contacts-repo';
import { queueChange, syncSummary, tick } from '$lib/db/outbox-repo';
import { readSkippedChanges } from '$lib/db/pull-repo';
import { DAY_MS, DEFAULT_TOMBSTONE_DAYS } from '../../../server/store';
import type { Contact } from '$lib/domain/contact';
import type { CallaroDb } from '$lib/db/database';
import { getSyncState, setSyncConfig } from '$lib/db/sync-config-repo';
import { BEYOND_HORIZON } from '$lib/protocol/sync';
import { SyncEngine, toSyncContact, type DrainResult } from './engine';
import { faulty, serverTransport } from '$support/test-transports';
import type { Transport } from './transport';

const SCHEDULES = Number(process.env.SIM_SCHEDULES ?? 1000);
/** The clock's jump before a compaction: past the retention, so every older tombstone goes. */
const JUMP_MS = (DEFAULT_TOMBSTONE_DAYS + 1) * DAY_MS;
const DEVICES = 3;
const TOKEN = 'team-token';

/** Drains until the engine is done (faults only delay it); fails the schedule otherwise. */
async function drainUntilDone(engine: SyncEngine, seed: number): Promise<DrainResult> {
	for (let i = 0; i < 500; i++) {
		const result = await engine.drain();
		if (result.kind === 'done') return result;
		expect(result.kind, `seed ${seed}`).toBe('retry');
	}
	throw new Error(`seed ${seed}: the drain never finished`);
}

async function importBatch(db: CallaroDb, id: string, phones: string[], name: string) {
	await db.transaction('rw', [db.contacts, db.contactIndex, db.outbox, db.settings], async () => {
		const existing = await db.contacts.bulkGet(phones);
		const t = await tick(db, Date.now());
		const contacts = phones.map((phone, i) => ({
			...newContact(phone, { firstName: name, custom: { region: 'West' } }, t, id),
			updatedAt: nextVersion(existing[i], t)
		}));
		await db.contacts.bulkPut(contacts);
		await appendIndexChunk(db, contacts);
		await queueChange(db, { id: `${id}:${t}`, jobId: id, phones, at: t });
	});
}

/** The person saves a contact again as it is: a new version, sent anew. */
function rewrite(db: CallaroDb, c: Contact) {
	return saveContact(
		db,
		c,
		{
			phone: c.phone,
			firstName: c.firstName ?? '',
			lastName: c.lastName ?? '',
			email: c.email ?? '',
			company: c.company ?? '',
			tags: c.tags.join(', '),
			timezone: c.timezone ?? '',
			custom: c.custom
		},
		'US'
	);
}

/**
 * Garbles one change of a pulled page (an upsert's email becomes a number, a delete's time
 * negative), keeping its phone: a change the device cannot read, for its skipped list.
 */
function garbling(
	inner: Transport,
	random: () => number,
	on: () => boolean,
	counts: Record<string, number>
): Transport {
	return async (req) => {
		const res = await inner(req);
		if (!on() || !req.url.includes('/v1/changes') || res.status !== 200 || random() >= 0.1)
			return res;
		const page = JSON.parse(await res.text()) as { changes: Record<string, unknown>[] };
		if (page.changes.length > 0) {
			const change = page.changes[Math.floor(random() * page.changes.length)];
			if (change.op === 'upsert') change.contact = { ...(change.contact as object), email: 7 };
			else change.at = -1;
			counts['change garbled'] = (counts['change garbled'] ?? 0) + 1;
		}
		return new Response(JSON.stringify(page), { status: 200 });
	};
}

/** The local contacts as the server would list them. */
async function listed(db: CallaroDb) {
	return (await db.contacts.orderBy(':id').toArray()).map(
		(c) => JSON.parse(JSON.stringify(toSyncContact(c))) as { phone: string }
	);
}

// One clock for the devices and the server, moved by the schedule (a compaction jumps it).
beforeAll(() => void vi.useFakeTimers({ toFake: ['Date'] }));
afterAll(() => void vi.useRealTimers());

describe('three devices under random faults', () => {
	it(`converge on the server's contacts for ${SCHEDULES} seeded schedules`, async () => {
		const totals: Record<string, number> = {};
		let crossed = 0;
		let restores = 0;
		let compactions = 0;
		let awayPastHorizon = 0;
		let keptRefused = 0;
		let leftSkipped = 0;
		let clock = Date.UTC(2030, 0, 1);
		for (let seed = 1; seed <= SCHEDULES; seed++) {
			const random = seededRandom(seed);
			vi.setSystemTime((clock += DAY_MS));
			let store = openSqliteStore(':memory:');
			let app = createApp({ store, token: TOKEN });
			// Every device reaches whichever server is current (a restore replaces it).
			const current: Transport = (req) => serverTransport(app)(req);
			let restoredAt = -1;
			let faults = true;
			const devices = [];
			for (let d = 0; d < DEVICES; d++) {
				const db = freshDb();
				await setSyncConfig(db, { url: 'https://sync.test/', token: TOKEN, enabled: true });
				await db.customFields.put({ key: 'region', label: 'Region', type: 'text', createdAt: 0 });
				const flaky = garbling(
					faulty(current, random, 0.05 + random() * 0.3, totals),
					random,
					() => faults,
					totals
				);
				const engine = new SyncEngine({
					db,
					transport: (req) => (faults ? flaky(req) : current(req)),
					random,
					online: () => true
				});
				devices.push({ db, engine });
			}
			// 4–9 steps; each picks a device and an action on a pool of 12 phones, so that the
			// devices' writes of one contact cross; a device syncs (or half-syncs) at random.
			const steps = 4 + Math.floor(random() * 6);
			// Which devices wrote each phone: a write of a phone another device wrote is a crossing.
			const writers = new Map<string, Set<number>>();
			const wrote = (phone: string, d: number) => {
				const set = writers.get(phone) ?? new Set<number>();
				if ([...set].some((other) => other !== d)) crossed++;
				writers.set(phone, set.add(d));
			};
			// One schedule in eight restores the server to an empty database at a random step.
			const restoreAt = random() < 0.125 ? Math.floor(random() * steps) : -1;
			// One schedule in three compacts the server at one or two random steps.
			const compactAt = new Set(
				random() < 0.33
					? Array.from({ length: 1 + Math.floor(random() * 2) }, () => Math.floor(random() * steps))
					: []
			);
			// In those, one device is away (it syncs, then works offline) from two steps before the
			// first compaction to the last one, so it may come back behind the horizon.
			const awayDevice = compactAt.size > 0 ? Math.floor(random() * DEVICES) : -1;
			const awayFrom = Math.min(steps, ...compactAt) - 2;
			const awayUntil = Math.max(-1, ...compactAt);
			const isAway = (d: number, s: number) => d === awayDevice && s >= awayFrom && s <= awayUntil;
			for (let s = 0; s < steps; s++) {
				vi.setSystemTime((clock += 1000));
				if (s === awayFrom && awayDevice >= 0) await devices[awayDevice].engine.drain();
				if (compactAt.has(s)) {
					// While one is away, another deletes a contact and syncs: a delete the away
					// device has not seen, whose tombstone this compaction removes.
					const other = devices[(awayDevice + 1) % DEVICES];
					const held = (await other.db.contacts.orderBy(':id').primaryKeys()) as string[];
					if (held.length > 0) {
						await deleteContact(other.db, held[Math.floor(random() * held.length)]);
						await other.engine.drain();
					}
					vi.setSystemTime((clock += JUMP_MS));
					await store.compact();
					compactions++;
				}
				if (s === restoreAt) {
					await store.close();
					store = openSqliteStore(':memory:');
					app = createApp({ store, token: TOKEN });
					restoredAt = s;
					restores++;
				}
				const d = Math.floor(random() * DEVICES);
				const { db, engine } = devices[d];
				const action = random();
				if (action < 0.5) {
					const phones = [
						...new Set(
							Array.from(
								{ length: 1 + Math.floor(random() * 4) },
								() => `+1415555${1000 + Math.floor(random() * 12)}`
							)
						)
					];
					await importBatch(db, `job-${seed}-${s}`, phones, `S${seed}.${s}`);
					for (const phone of phones) wrote(phone, d);
				} else {
					const all = await db.contacts.toArray();
					if (all.length > 0) {
						const c = all[Math.floor(random() * all.length)];
						wrote(c.phone, d);
						if (action < 0.7) await deleteContact(db, c.phone);
						else
							await saveContact(
								db,
								c,
								{
									phone: c.phone,
									firstName: `Edited ${seed}.${s}`,
									lastName: '',
									email: '',
									company: '',
									tags: 'edited',
									timezone: '',
									custom: { region: 'East' }
								},
								'US'
							);
					}
				}
				if (random() < 0.6 && !isAway(d, s)) await engine.drain();
			}
			// The faults stop (they only ever delay); sync until a round in which nothing moves.
			faults = false;
			for (let round = 0; ; round++) {
				expect(round, `seed ${seed}: still moving after 8 rounds`).toBeLessThan(8);
				let moved = 0;
				for (const { engine } of devices) {
					const result = await drainUntilDone(engine, seed);
					if (result.kind === 'done') moved += result.pushed + result.pulled;
				}
				if (moved === 0) break;
			}

			// Rule 1: each device holds the server's contacts but for its kept refusals and skips.
			let remote = (await store.listContacts(1000, '')) as { phone: string }[];
			const refusedOn: Set<string>[] = [];
			const skippedOn: Set<string>[] = [];
			for (const [d, { db }] of devices.entries()) {
				if ((await getSyncState(db)).feedRestarted?.reason === 'horizon') awayPastHorizon++;
				const refused = (await syncSummary(db)).refused;
				for (const r of refused)
					expect(r.code, `seed ${seed}, device ${d}: ${r.reason}`).toBe(BEYOND_HORIZON);
				refusedOn.push(new Set(refused.map((r) => r.phone)));
				skippedOn.push(new Set((await readSkippedChanges(db)).changes.map((c) => c.phone)));
				const excepted = (p: string) => refusedOn[d].has(p) || skippedOn[d].has(p);
				expect(
					(await listed(db)).filter((c) => !excepted(c.phone)),
					`seed ${seed}, device ${d}`
				).toEqual(remote.filter((c) => !excepted(c.phone)));
				keptRefused += refusedOn[d].size;
				leftSkipped += skippedOn[d].size;
			}
			// Rule 2: the person edits each refused contact again; each skipped phone is written
			// again (on a device holding the server's version, or deleted where the server has none).
			for (const [d, { db }] of devices.entries()) {
				for (const phone of refusedOn[d]) {
					const c = await db.contacts.get(phone);
					if (c) await rewrite(db, c);
				}
			}
			const serverHas = new Map(remote.map((c) => [c.phone, c as { updatedAt?: number }]));
			for (const [d, { db }] of devices.entries()) {
				for (const phone of skippedOn[d]) {
					const held = serverHas.get(phone);
					if (!held) {
						if (await db.contacts.get(phone)) await deleteContact(db, phone);
						continue;
					}
					// Written again where the server's version is held (its writer, say), else by the
					// first device that holds the phone.
					const copies = await Promise.all(devices.map((other) => other.db.contacts.get(phone)));
					const at = copies.findIndex((c) => c?.updatedAt === held.updatedAt);
					const by = at >= 0 ? at : copies.findIndex((c) => c !== undefined);
					if (by >= 0) await rewrite(devices[by].db, copies[by]!);
				}
			}
			for (let round = 0; ; round++) {
				expect(round, `seed ${seed}: still moving after 8 rounds`).toBeLessThan(8);
				let moved = 0;
				for (const { engine } of devices) {
					const result = await drainUntilDone(engine, seed);
					if (result.kind === 'done') moved += result.pushed + result.pulled;
				}
				if (moved === 0) break;
			}
			remote = (await store.listContacts(1000, '')) as { phone: string }[];
			// Every change applied once: one stored answer per change queued on any device (a
			// restored server holds only the answers given since, so the count is checked without).
			if (restoredAt < 0) {
				let queued = 0;
				for (const { db } of devices) queued += await db.outbox.count();
				expect((await store.stats()).batches, `seed ${seed}`).toBe(queued);
			}
			for (const [d, { db }] of devices.entries()) {
				const local = await listed(db);
				expect(local, `seed ${seed}, device ${d}`).toEqual(remote);
				expect(await db.outbox.where('status').equals('pending').count()).toBe(0);
				// Nothing the devices send is refused (a resend's keys never collide, say).
				expect(
					await db.outbox.where('status').equals('failed').count(),
					`seed ${seed}, device ${d}`
				).toBe(0);
				// A refusal still listed is of a contact the server does not hold, deleted since on
				// this device (a refusal is forgotten when its phone is accepted, not when deleted).
				const left = (await syncSummary(db)).refused;
				expect(
					left.filter((r) => remote.some((c) => c.phone === r.phone)),
					`seed ${seed}, device ${d}`
				).toEqual([]);
				for (const r of left) expect(await db.contacts.get(r.phone)).toBeUndefined();
				// A skipped change still listed is of a phone neither holds (a delete this device
				// never had the contact for): nothing left to write again.
				const onServer = new Set(remote.map((c) => c.phone));
				for (const c of (await readSkippedChanges(db)).changes)
					expect(onServer.has(c.phone), `seed ${seed}, device ${d}, ${c.phone}`).toBe(false);
				// The index agrees with the table: what search and segments see is what is stored.
				expect((await new IndexReader(db).current()).size, `seed ${seed}, device ${d}`).toBe(
					local.length
				);
			}
			await store.close();
			for (const { db } of devices) await db.delete();
		}
		console.info(
			`${SCHEDULES} three-device schedules converged; writes of a phone another device wrote: ${crossed}; servers restored to an empty database: ${restores}; compactions past the retention: ${compactions}; devices that came back behind the horizon: ${awayPastHorizon}; own old changes kept refused until edited again: ${keptRefused}; skipped phones written again: ${leftSkipped}; faults injected: ${JSON.stringify(totals)}`
		);
		expect(compactions).toBeGreaterThan(200);
		expect(awayPastHorizon).toBeGreaterThan(20);
		expect(totals['change garbled']).toBeGreaterThan(50);
		expect(restores).toBeGreaterThan(50);
		expect(totals['answer lost after the server applied it']).toBeGreaterThan(100);
		expect(crossed).toBeGreaterThan(1000);
	}, 300_000);
});
