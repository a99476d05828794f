/**
 * Seeded simulation of a team: three devices and one reference server (in process, SQLite in
 * memory), each device behind its own transport that fails at random (network errors, 503, 429,
 * answers lost after the server applied the request). The devices import, edit and delete
 * overlapping contacts while they sync at random moments, so their writes of one contact cross.
 * In some schedules the server is restored to an empty database mid-way (a new change feed): the
 * devices must notice, send back what they hold, and converge all the same. Once the faults stop
 * and every device has synced until nothing moves, every device must hold exactly the server's
 * contacts, nothing left pending.
 */
import { describe, expect, it } from 'vitest';
import { createApp } from '../../../server/app';
import { openSqliteStore } from '../../../server/sqlite-store';
import { freshDb } from '$support/test-db';
import { seededRandom } from '$support/seeded-random';
import { newContact, nextVersion } from '$lib/domain/contact';
import { appendIndexChunk, IndexReader } from '$lib/db/contact-index-repo';
import { deleteContact, saveContact } from '$lib/db/contacts-repo';
import { queueChange, tick } from '$lib/db/outbox-repo';
import type { CallaroDb } from '$lib/db/database';
import { setSyncConfig } from '$lib/db/sync-config-repo';
import { SyncEngine, toSyncContact, type DrainResult } from './engine';
import { faulty, serverTransport } from '$support/test-transports';
import type { Transport } from './transport';

const SCHEDULES = 1000;
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

describe('three devices under random faults', () => {
	it(`converge on the server's contacts for ${SCHEDULES} seeded schedules`, async () => {
		const totals: Record<string, number> = {};
		let crossed = 0;
		let restores = 0;
		for (let seed = 1; seed <= SCHEDULES; seed++) {
			const random = seededRandom(seed);
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
				const flaky = faulty(current, random, 0.05 + random() * 0.3, totals);
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
			for (let s = 0; s < steps; s++) {
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
				if (random() < 0.6) await engine.drain();
			}
			// The faults stop (they only ever delay); sync until a round in which nothing moves.
			faults = false;
			for (let round = 0; ; round++) {
				expect(round, `seed ${seed}: still moving after 5 rounds`).toBeLessThan(5);
				let moved = 0;
				for (const { engine } of devices) {
					const result = await drainUntilDone(engine, seed);
					if (result.kind === 'done') moved += result.pushed + result.pulled;
				}
				if (moved === 0) break;
			}

			const remote = await store.listContacts(1000, '');
			// Every change applied once: one stored answer per change queued on any device (a
			// restored server holds only the answers given since, so the count is checked without).
			if (restoredAt < 0) {
				let queued = 0;
				for (const { db } of devices) queued += await db.outbox.count();
				expect((await store.stats()).batches, `seed ${seed}`).toBe(queued);
			}
			for (const [d, { db }] of devices.entries()) {
				const local = (await db.contacts.orderBy(':id').toArray()).map(toSyncContact);
				expect(
					local.map((c) => JSON.parse(JSON.stringify(c)) as unknown),
					`seed ${seed}, device ${d}`
				).toEqual(remote);
				expect(await db.outbox.where('status').equals('pending').count()).toBe(0);
				// Nothing the devices send is refused (a resend's keys never collide, say).
				expect(
					await db.outbox.where('status').equals('failed').count(),
					`seed ${seed}, device ${d}`
				).toBe(0);
				// The index agrees with the table: what search and segments see is what is stored.
				expect((await new IndexReader(db).current()).size, `seed ${seed}, device ${d}`).toBe(
					local.length
				);
			}
			await store.close();
			for (const { db } of devices) await db.delete();
		}
		console.info(
			`${SCHEDULES} three-device schedules converged; writes of a phone another device wrote: ${crossed}; servers restored to an empty database: ${restores}; faults injected: ${JSON.stringify(totals)}`
		);
		expect(restores).toBeGreaterThan(50);
		expect(totals['answer lost after the server applied it']).toBeGreaterThan(100);
		expect(crossed).toBeGreaterThan(1000);
	}, 300_000);
});
