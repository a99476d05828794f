/**
 * Devices and a server that compacts its tombstones (server/store.ts, bounded history): a device
 * whose cursor falls behind the horizon gets 410, starts its pull over and resends what it holds;
 * the server refuses, as beyond its horizon, the contacts deleted meanwhile, which the device
 * then deletes (only for its resend, and only when unchanged), so a device that comes back late
 * brings no deleted contact back; the person's own old change is refused and kept, shown; and the
 * device drops its own tombstones older than the horizon once their deletes are sent.
 */
import { describe, expect, it } from 'vitest';
import { createApp } from '../../../server/app';
import { openSqliteStore } from '../../../server/sqlite-store';
import { DAY_MS } from '../../../server/store';
import { newContact } from '$lib/domain/contact';
import { appendIndexChunk, IndexReader } from '$lib/db/contact-index-repo';
import { deleteContact } from '$lib/db/contacts-repo';
import { queueChange, syncSummary, tick } from '$lib/db/outbox-repo';
import { freshDb } from '$support/test-db';
import type { CallaroDb } from '$lib/db/database';
import { getSyncState, setSyncConfig } from '$lib/db/sync-config-repo';
import { BEYOND_HORIZON } from '$lib/protocol/sync';
import { SyncEngine } from './engine';
import { serverTransport } from '$support/test-transports';
import type { Transport } from './transport';

const TOKEN = 'horizon-token';
const URL_ = 'https://sync.test';
const DAYS = 90;
const P1 = '+14155550101';
const P2 = '+14155550102';
const P3 = '+14155550103';
const P9 = '+14155550109';

function world() {
	const store = openSqliteStore(':memory:', { tombstoneDays: DAYS });
	const app = createApp({ store, token: TOKEN });
	const requests: { url: string; status: number }[] = [];
	const inner = serverTransport(app);
	const transport: Transport = async (req) => {
		const res = await inner(req);
		requests.push({ url: req.url, status: res.status });
		return res;
	};
	/** The server's compaction, run as if `TOMBSTONE_DAYS` and a day more had passed. */
	const compactPastRetention = () => store.compact(Date.now() + (DAYS + 1) * DAY_MS);
	return { store, transport, requests, compactPastRetention };
}

async function device(transport: Transport) {
	const db = freshDb();
	await setSyncConfig(db, { url: URL_, token: TOKEN, enabled: true });
	return { db, engine: new SyncEngine({ db, transport }) };
}

async function importContacts(db: CallaroDb, id: string, people: [string, string][], at?: number) {
	await db.transaction('rw', [db.contacts, db.contactIndex, db.outbox, db.settings], async () => {
		const t = await tick(db, at ?? Date.now());
		const contacts = people.map(([phone, firstName]) => newContact(phone, { firstName }, t, id));
		await db.contacts.bulkPut(contacts);
		await appendIndexChunk(db, contacts);
		await queueChange(db, { id: `${id}:1`, jobId: id, phones: people.map(([p]) => p), at: t });
	});
}

const phones = async (db: CallaroDb) =>
	(await db.contacts.orderBy(':id').primaryKeys()) as string[];

/** Drains until nothing moves. */
async function settle(...engines: SyncEngine[]) {
	for (let round = 0; round < 5; round++) {
		let moved = 0;
		for (const engine of engines) {
			const result = await engine.drain();
			expect(result.kind).toBe('done');
			if (result.kind === 'done') moved += result.pushed + result.pulled;
		}
		if (moved === 0) return;
	}
	throw new Error('still moving after 5 rounds');
}

describe('a device away longer than the server keeps deletes', () => {
	it('gets 410, starts over, and deletes (not resurrects) what was deleted meanwhile', async () => {
		const { store, transport, requests, compactPastRetention } = world();
		const a = await device(transport);
		const b = await device(transport);
		await importContacts(a.db, 'job-a', [
			[P1, 'Ada'],
			[P2, 'Bob'],
			[P3, 'Cy']
		]);
		await settle(a.engine, b.engine);
		// B goes away; A deletes P1; the server compacts past the retention.
		await deleteContact(a.db, P1);
		await a.engine.drain();
		expect((await compactPastRetention()).removed).toBe(1);
		requests.length = 0;
		expect(await b.engine.drain()).toMatchObject({ kind: 'done' });
		expect(requests.filter((r) => r.url.includes('/v1/changes')).map((r) => r.status)).toEqual([
			410, 200
		]);
		const state = await getSyncState(b.db);
		expect(state.feedRestarted).toMatchObject({ reason: 'horizon', contacts: 3, deletes: 0 });
		expect(state.feedRestarted?.message).toContain(`${DAYS} days`);
		expect(state.lastError).toBeUndefined();
		// The resend goes on the next drain: P1 is refused as beyond the horizon and deleted here,
		// with nothing pushed for it; P2 and P3 are the server's already.
		await settle(a.engine, b.engine);
		expect(await phones(b.db)).toEqual([P2, P3]);
		expect((await new IndexReader(b.db).current()).size).toBe(2);
		expect(await b.db.tombstones.get(P1)).toBeUndefined();
		expect((await store.listContacts(10, '')).map((c) => (c as { phone: string }).phone)).toEqual([
			P2,
			P3
		]);
		const summary = await syncSummary(b.db);
		expect([summary.pending, summary.failed, summary.refusedCount]).toEqual([0, 0, 0]);
		// A third device starting now gets the same.
		const c = await device(transport);
		await settle(c.engine);
		expect(await phones(c.db)).toEqual([P2, P3]);
	});

	it('keeps, and shows refused, the person’s own change older than the horizon', async () => {
		const { transport, compactPastRetention } = world();
		const a = await device(transport);
		const b = await device(transport);
		await importContacts(a.db, 'job-a', [
			[P1, 'Ada'],
			[P2, 'Bob']
		]);
		await settle(a.engine, b.engine);
		// B, offline, made a new contact long ago (its clock's time): an unsent change.
		await importContacts(b.db, 'job-b', [[P9, 'Old new']], 1_000);
		await deleteContact(a.db, P1);
		await a.engine.drain();
		await compactPastRetention();
		await settle(a.engine, b.engine);
		// P1 (deleted elsewhere, in B's resend only) is gone; P9 (B's own change, never on the
		// server) stays, listed as refused with the reason, until it is edited again.
		expect(await phones(b.db)).toEqual([P2, P9]);
		const refused = await syncSummary(b.db, 'job-b');
		expect(refused.refused).toMatchObject([{ phone: P9, code: BEYOND_HORIZON }]);
		expect(refused.refused[0].reason).toContain('Edit it again');
		expect((await getSyncState(b.db)).feedRestarted).toMatchObject({ reason: 'horizon' });
	});

	it('resends from a pull from 0 too, when its first pull never finished before the horizon', async () => {
		const { store, transport, compactPastRetention } = world();
		const a = await device(transport);
		// B pushes, but its pulls fail: its cursor stays 0, where no 410 can come.
		let pulls = false;
		const b = {
			db: freshDb(),
			engine: undefined as unknown as SyncEngine
		};
		await setSyncConfig(b.db, { url: URL_, token: TOKEN, enabled: true });
		b.engine = new SyncEngine({
			db: b.db,
			transport: (req) =>
				!pulls && req.url.includes('/v1/changes')
					? Promise.resolve(new Response('{"error":"busy"}', { status: 503 }))
					: transport(req)
		});
		await importContacts(b.db, 'job-b', [
			[P1, 'Ada'],
			[P2, 'Bob']
		]);
		expect(await b.engine.drain()).toMatchObject({ kind: 'retry' });
		await settle(a.engine);
		await deleteContact(a.db, P1);
		await a.engine.drain();
		await compactPastRetention();
		pulls = true;
		await settle(a.engine, b.engine);
		expect((await getSyncState(b.db)).feedRestarted).toMatchObject({ reason: 'horizon' });
		expect(await phones(b.db)).toEqual([P2]);
		expect((await store.listContacts(10, '')).map((c) => (c as { phone: string }).phone)).toEqual([
			P2
		]);
	});

	it('drops its tombstones older than the horizon once their deletes are sent', async () => {
		const { transport, compactPastRetention } = world();
		const a = await device(transport);
		const b = await device(transport);
		await importContacts(a.db, 'job-a', [
			[P1, 'Ada'],
			[P2, 'Bob'],
			[P3, 'Cy']
		]);
		await settle(a.engine, b.engine);
		await deleteContact(a.db, P1);
		await deleteContact(a.db, P2);
		await settle(a.engine, b.engine);
		expect((await b.db.tombstones.toArray()).map((t) => t.phone)).toEqual([P1, P2]);
		// P3 deleted on A after the compaction's cutoff: its tombstone is newer than the horizon.
		await deleteContact(a.db, P3);
		await compactPastRetention();
		// A's pull drops P1 and P2's tombstones (their deletes sent); B's pull does the same with
		// the ones it pulled. P3's stays on both.
		await settle(a.engine, b.engine);
		expect((await a.db.tombstones.toArray()).map((t) => t.phone)).toEqual([P3]);
		expect((await b.db.tombstones.toArray()).map((t) => t.phone)).toEqual([P3]);
		expect(await phones(a.db)).toEqual([]);
		expect(await phones(b.db)).toEqual([]);
	});
});
