/**
 * Seeded simulation of the sync engine against the real reference server (in process, SQLite in
 * memory) behind a transport that fails at random: network errors before the request, 503, 429
 * with Retry-After, and — the hard case — the server applies the batch but the answer is lost.
 * The device imports, edits and deletes contacts while it syncs. Every schedule must converge to
 * exactly the device's contacts on the server, each change applied once, nothing left pending.
 */
import { describe, expect, it } from 'vitest';
import { createApp } from '../../../server/app';
import { openSqliteStore } from '../../../server/sqlite-store';
import { freshDb } from '$support/test-db';
import { seededRandom } from '$support/seeded-random';
import { newContact, nextVersion } from '$lib/domain/contact';
import { deleteContact, saveContact } from '$lib/db/contacts-repo';
import { queueChange, tick } from '$lib/db/outbox-repo';
import { setSyncConfig } from '$lib/db/sync-config-repo';
import { SyncEngine, toSyncContact } from './engine';
import { faulty, serverTransport } from '$support/test-transports';

/**
 * 400 schedules (about 1,500 answers lost after the server applied them): the three-device
 * simulation (engine.devices.sim.spec.ts) runs 1,000 schedules of the same faults with devices
 * that also pull, so this one keeps only the single device's heavier mix of imports, edits and
 * deletes, at a size that keeps the whole suite within CI's time.
 */
export const SYNC_SCHEDULES = 400;
const TOKEN = 'sim-token';

describe('sync engine under random faults', () => {
	it(`converges exactly for ${SYNC_SCHEDULES} seeded schedules`, async () => {
		const totals: Record<string, number> = {};
		for (let seed = 1; seed <= SYNC_SCHEDULES; seed++) {
			const random = seededRandom(seed);
			const store = openSqliteStore(':memory:');
			const app = createApp({ store, token: TOKEN });
			const db = freshDb();
			await setSyncConfig(db, { url: 'https://sync.test/', token: TOKEN, enabled: true });
			await db.customFields.put({ key: 'region', label: 'Region', type: 'text', createdAt: 0 });
			const engine = new SyncEngine({
				db,
				transport: faulty(serverTransport(app), random, 0.1 + random() * 0.5, totals),
				random,
				online: () => true
			});
			// 3–8 import batches of up to 6 contacts (some phones repeat: updates), with edits,
			// deletes and partial drains in between, so that changes land while others sync.
			const batches = 3 + Math.floor(random() * 6);
			for (let b = 0; b < batches; b++) {
				const phones = Array.from(
					{ length: 1 + Math.floor(random() * 6) },
					() => `+1415555${1000 + Math.floor(random() * 40)}`
				);
				const unique = [...new Set(phones)];
				await db.transaction('rw', [db.contacts, db.outbox, db.settings], async () => {
					const existing = await db.contacts.bulkGet(unique);
					const t = await tick(db, Date.now());
					await db.contacts.bulkPut(
						unique.map((phone, i) => ({
							...newContact(
								phone,
								{ firstName: `S${seed}B${b}`, custom: { region: 'West' } },
								t,
								`job-${seed}`
							),
							updatedAt: nextVersion(existing[i], t)
						}))
					);
					await queueChange(db, {
						id: `job-${seed}:${b}`,
						jobId: `job-${seed}`,
						phones: unique,
						at: t
					});
				});
				for (let k = Math.floor(random() * 3); k > 0; k--) {
					const all = await db.contacts.toArray();
					if (all.length === 0) break;
					const c = all[Math.floor(random() * all.length)];
					if (random() < 0.5) await deleteContact(db, c.phone);
					else
						await saveContact(
							db,
							c,
							{
								phone: c.phone,
								firstName: `Edited ${seed} ${b} ${k}`,
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
				if (random() < 0.5) await engine.drain();
			}
			let result;
			for (let i = 0; i < 500; i++) {
				result = await engine.drain();
				if (result.kind === 'done') break;
				expect(result.kind, `seed ${seed}`).toBe('retry');
			}
			expect(result?.kind, `seed ${seed}`).toBe('done');

			const local = (await db.contacts.orderBy(':id').toArray()).map(toSyncContact);
			const remote = await store.listContacts(1000, '');
			expect(remote, `seed ${seed}`).toEqual(local.map((c) => JSON.parse(JSON.stringify(c))));
			// Every change applied once: one stored answer per queued change.
			expect(await store.stats(), `seed ${seed}`).toEqual({
				contacts: local.length,
				batches: await db.outbox.count()
			});
			expect(await db.outbox.where('status').equals('pending').count()).toBe(0);
			expect(await store.listFields()).toEqual([{ key: 'region', label: 'Region', type: 'text' }]);
			await store.close();
			await db.delete();
		}
		console.info(
			`${SYNC_SCHEDULES} sync schedules converged; faults injected: ${JSON.stringify(totals)}`
		);
		expect(totals['answer lost after the server applied it']).toBeGreaterThan(100);
	}, 300_000);
});
