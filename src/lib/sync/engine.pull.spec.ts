/**
 * Two devices and one reference server (in process): what one device changes reaches the other
 * through the change feed, merged by last writer wins, through the same local storage path as an
 * import (contacts, index chunks, key epoch), and never pushed back.
 */
import { describe, expect, it } from 'vitest';
import { createApp } from '../../../server/app';
import { openSqliteStore } from '../../../server/sqlite-store';
import { newContact, type Contact } from '$lib/domain/contact';
import { appendIndexChunk, IndexReader } from '$lib/db/contact-index-repo';
import { deleteContact, saveContact } from '$lib/db/contacts-repo';
import { queueChange, tick } from '$lib/db/outbox-repo';
import { readKeyEpoch } from '$lib/db/contact-keys';
import { freshDb } from '$support/test-db';
import type { CallaroDb } from '$lib/db/database';
import { getSyncState, setSyncConfig } from '$lib/db/sync-config-repo';
import { readSkippedChanges } from '$lib/db/pull-repo';
import { SyncEngine, toSyncContact } from './engine';
import { serverTransport } from '$support/test-transports';
import type { Transport } from './transport';

const TOKEN = 'pull-token';
const URL_ = 'https://sync.test';

/** A device on a fresh database, or on `db` (an engine started again on the same data). */
async function device(transport: Transport, db?: CallaroDb) {
	if (!db) {
		db = freshDb();
		await setSyncConfig(db, { url: URL_, token: TOKEN, enabled: true });
	}
	return { db, engine: new SyncEngine({ db, transport }) };
}

function world() {
	const store = openSqliteStore(':memory:');
	const app = createApp({ store, token: TOKEN });
	return { store, transport: serverTransport(app) };
}

/** An import batch as the runner writes it: contacts, index chunk and outbox in one transaction. */
async function importContacts(db: CallaroDb, id: string, people: [string, string][], at?: number) {
	await db.transaction('rw', [db.contacts, db.contactIndex, db.outbox, db.settings], async () => {
		const t = await tick(db, at ?? Date.now());
		const contacts = people.map(([phone, firstName]) => newContact(phone, { firstName }, t, id));
		await db.contacts.bulkPut(contacts);
		await appendIndexChunk(db, contacts);
		await queueChange(db, { id: `${id}:1`, jobId: id, phones: people.map(([p]) => p), at: t });
	});
}

const edit = (c: Contact, firstName: string) => ({
	phone: c.phone,
	firstName,
	lastName: c.lastName ?? '',
	email: '',
	company: '',
	tags: '',
	timezone: '',
	custom: {}
});

const view = async (db: CallaroDb) =>
	(await db.contacts.orderBy(':id').toArray()).map((c) => `${c.phone} ${c.firstName ?? ''}`);

const P1 = '+14155550101';
const P2 = '+14155550102';
const P3 = '+14155550103';

describe('pull: every device converges', () => {
	it('brings one device’s import to the other, indexed, and never pushes it back', async () => {
		const { store, transport } = world();
		const a = await device(transport);
		const b = await device(transport);
		await importContacts(a.db, 'job-a', [
			[P1, 'Ada'],
			[P2, 'Bob'],
			[P3, 'Cy']
		]);
		expect(await a.engine.drain()).toMatchObject({ kind: 'done', pushed: 1, pulled: 3 });
		const epoch = await readKeyEpoch(b.db);
		expect(await b.engine.drain()).toEqual({ kind: 'done', pushed: 0, pulled: 3 });
		expect(await view(b.db)).toEqual([`${P1} Ada`, `${P2} Bob`, `${P3} Cy`]);
		expect((await b.db.contacts.toArray()).map(toSyncContact)).toEqual(
			(await a.db.contacts.toArray()).map(toSyncContact)
		);
		// Through the index: search and counts see the pulled contacts at once.
		const index = await new IndexReader(b.db).current();
		expect(index.size).toBe(3);
		expect([...index.search('bob', 10, () => [])].map((r) => index.phoneOf(r))).toEqual([P2]);
		// New keys: a running import on B must stop trusting its key snapshot.
		expect(await readKeyEpoch(b.db)).toBeGreaterThan(epoch);
		// No echo: B queued nothing, and the server holds one batch.
		expect(await b.db.outbox.count()).toBe(0);
		expect(await store.stats()).toEqual({ contacts: 3, batches: 1 });
		expect(await b.engine.drain()).toEqual({ kind: 'done', pushed: 0, pulled: 0 });
	});

	it('takes an edit on B to A and a delete on A to B; an older write arriving late stays out', async () => {
		const { store, transport } = world();
		const a = await device(transport);
		const b = await device(transport);
		await importContacts(a.db, 'job-a', [
			[P1, 'Ada'],
			[P2, 'Bob']
		]);
		await a.engine.drain();
		await b.engine.drain();
		await saveContact(
			b.db,
			(await b.db.contacts.get(P1))!,
			edit((await b.db.contacts.get(P1))!, 'Adele'),
			'US'
		);
		await b.engine.drain();
		await a.engine.drain();
		expect(await view(a.db)).toEqual([`${P1} Adele`, `${P2} Bob`]);
		expect((await a.db.contacts.get(P1))?.updatedBy).toBeDefined();

		await deleteContact(a.db, P2);
		await a.engine.drain();
		await b.engine.drain();
		expect(await view(b.db)).toEqual([`${P1} Adele`]);
		expect((await new IndexReader(b.db).current()).size).toBe(1);
		expect(await b.db.tombstones.get(P2)).toMatchObject({ phone: P2 });

		// An older write of the deleted contact, pushed late by a third device, is stale everywhere.
		const c = await device(transport);
		await importContacts(c.db, 'job-c', [[P2, 'Old Bob']], 1);
		await c.engine.drain();
		await a.engine.drain();
		await b.engine.drain();
		expect(await store.listContacts(10, '')).toMatchObject([{ phone: P1, firstName: 'Adele' }]);
		for (const d of [a, b, c]) expect(await view(d.db)).toEqual([`${P1} Adele`]);
	});

	it('ends concurrent edits of one contact the same on both devices: the later one wins', async () => {
		const { store, transport } = world();
		const a = await device(transport);
		const b = await device(transport);
		await importContacts(a.db, 'job-a', [[P1, 'Ada']]);
		await a.engine.drain();
		await b.engine.drain();
		const onA = (await a.db.contacts.get(P1))!;
		const onB = (await b.db.contacts.get(P1))!;
		// Both edit before either syncs; B edits later.
		await saveContact(a.db, onA, edit(onA, 'From A'), 'US');
		await new Promise((r) => setTimeout(r, 5));
		await saveContact(b.db, onB, edit(onB, 'From B'), 'US');
		await a.engine.drain();
		await b.engine.drain();
		await a.engine.drain();
		expect(await view(a.db)).toEqual([`${P1} From B`]);
		expect(await view(b.db)).toEqual([`${P1} From B`]);
		expect(await store.listContacts(10, '')).toMatchObject([{ firstName: 'From B' }]);
	});

	it('makes a change after pulling a write from a clock running ahead win everywhere', async () => {
		const { store, transport } = world();
		const a = await device(transport);
		const b = await device(transport);
		// A's clock is a day ahead of B's.
		await importContacts(a.db, 'job-a', [[P1, 'Ada']], Date.now() + 86_400_000);
		await a.engine.drain();
		await b.engine.drain();
		const pulled = (await b.db.contacts.get(P1))!;
		await saveContact(b.db, pulled, edit(pulled, 'Edited on B'), 'US');
		expect((await b.db.contacts.get(P1))!.updatedAt).toBeGreaterThan(pulled.updatedAt);
		await b.engine.drain();
		await a.engine.drain();
		expect(await store.listContacts(10, '')).toMatchObject([{ firstName: 'Edited on B' }]);
		expect(await view(a.db)).toEqual([`${P1} Edited on B`]);
	});

	it('pulls a large workspace in pages with progress, and resumes from its cursor', async () => {
		const { transport } = world();
		const a = await device(transport);
		const people = Array.from({ length: 2500 }, (_, i): [string, string] => [
			`+1212200${String(i).padStart(4, '0')}`,
			`P${i}`
		]);
		await importContacts(a.db, 'job-a', people);
		await a.engine.drain();
		// B's connection drops on its second page of changes.
		let pages = 0;
		const dropping: Transport = async (req) => {
			if (req.url.includes('/v1/changes') && ++pages === 2) throw new TypeError('Failed to fetch');
			return transport(req);
		};
		const b = await device(dropping);
		expect(await b.engine.drain()).toMatchObject({ kind: 'retry' });
		expect(await b.db.contacts.count()).toBe(1000);
		expect((await getSyncState(b.db)).pull).toEqual({ received: 1000, total: 2500 });
		// As after a reload: a new engine on the same database goes on from the cursor.
		const again = new SyncEngine({ db: b.db, transport });
		expect(await again.drain()).toEqual({ kind: 'done', pushed: 0, pulled: 1500 });
		expect(await b.db.contacts.count()).toBe(2500);
		expect((await getSyncState(b.db)).pull).toBeUndefined();
		expect((await new IndexReader(b.db).current()).size).toBe(2500);
	}, 60_000);

	it('starts again from the start for another backend', async () => {
		const first = world();
		const a = await device(first.transport);
		await importContacts(a.db, 'job-a', [[P1, 'Ada']]);
		await a.engine.drain();
		const second = world();
		await second.store.applyBatch(
			'k',
			'h',
			{ batchId: 'k', importId: 'i', deviceId: 'other', contacts: [], deletes: [] },
			[{ contact: { phone: P2, firstName: 'Bob', tags: [], custom: {}, updatedAt: 5 } }],
			[]
		);
		await setSyncConfig(a.db, { url: 'https://other.test', token: TOKEN, enabled: true });
		const moved = new SyncEngine({ db: a.db, transport: second.transport });
		expect(await moved.drain()).toMatchObject({ kind: 'done', pulled: 1 });
		expect(await view(a.db)).toEqual([`${P1} Ada`, `${P2} Bob`]);
	});

	it('stops with a message when the server’s feed does not move, rather than read forever', async () => {
		const { transport } = world();
		const a = await device(transport);
		await importContacts(
			a.db,
			'job-a',
			Array.from({ length: 1200 }, (_, i): [string, string] => [
				`+1212200${String(i).padStart(4, '0')}`,
				`P${i}`
			])
		);
		await a.engine.drain();
		// A broken server that ignores the cursor and sends the first page every time.
		const stuck: Transport = (req) =>
			transport({ ...req, url: req.url.replace(/since=\d+/, 'since=0') });
		const b = await device(stuck);
		expect(await b.engine.drain()).toEqual({
			kind: 'error',
			message: "Sync stopped: the server's change feed did not move past 1000"
		});
		expect(await b.db.contacts.count()).toBe(1000);
		// The stopped pull's progress is not shown, nor carried into the next pull's count.
		expect((await getSyncState(b.db)).pull).toBeUndefined();
	}, 60_000);

	it('skips a change it cannot read, lists it with its phone and reason, and a fixed version replaces it', async () => {
		const { transport } = world();
		const a = await device(transport);
		await importContacts(a.db, 'job-a', [
			[P1, 'Ada'],
			[P2, 'Bob'],
			[P3, 'Cy']
		]);
		await a.engine.drain();
		// A server that sends P2's change in a shape this app cannot read (a newer server, a bug).
		let broken = true;
		const garbling: Transport = async (req) => {
			const res = await transport(req);
			if (!broken || !req.url.includes('/v1/changes')) return res;
			const page = JSON.parse(await res.text()) as { changes: { phone: string; at: unknown }[] };
			for (const c of page.changes) if (c.phone === P2) c.at = 'yesterday';
			const text = JSON.stringify(page);
			return { status: res.status, headers: res.headers, text: () => Promise.resolve(text) };
		};
		const b = await device(garbling);
		expect(await b.engine.drain()).toMatchObject({ kind: 'done', pulled: 3 });
		expect(await view(b.db)).toEqual([`${P1} Ada`, `${P3} Cy`]);
		const skipped = await readSkippedChanges(b.db);
		expect(skipped.count).toBe(1);
		expect(skipped.changes).toEqual([
			{ phone: P2, seq: expect.any(Number), reason: expect.stringMatching(/at/) }
		]);
		// Bob is edited on A: the server sends a readable version, which replaces the skipped one.
		broken = false;
		await saveContact(
			a.db,
			(await a.db.contacts.get(P2))!,
			edit((await a.db.contacts.get(P2))!, 'Bobby'),
			'US'
		);
		await a.engine.drain();
		await b.engine.drain();
		expect(await view(b.db)).toEqual([`${P1} Ada`, `${P2} Bobby`, `${P3} Cy`]);
		expect(await readSkippedChanges(b.db)).toEqual({ count: 0, changes: [] });
	});

	it('a backend without the change feed pushes, and says once that it cannot send changes', async () => {
		const { transport, store } = world();
		const older: Transport = async (req) =>
			req.url.includes('/v1/changes') || req.url.includes('/v1/me')
				? { status: 404, headers: new Headers(), text: () => Promise.resolve('Not Found') }
				: transport(req);
		const a = await device(older);
		await importContacts(a.db, 'job-a', [[P1, 'Ada']]);
		expect(await a.engine.drain()).toEqual({ kind: 'done', pushed: 1, pulled: 0 });
		expect((await getSyncState(a.db)).noFeed).toBe(true);
		expect((await getSyncState(a.db)).lastError).toBeUndefined();
		expect(await a.engine.drain()).toEqual({ kind: 'done', pushed: 0, pulled: 0 });
		expect(await store.stats()).toMatchObject({ contacts: 1 });
	});

	it('a backend restored to an empty database: each device starts over, sends back what it lost, and all converge', async () => {
		const first = world();
		let current = first.transport;
		const via: Transport = (req) => current(req);
		const a = await device(via);
		const b = await device(via);
		await importContacts(a.db, 'job-a', [
			[P1, 'Ada'],
			[P2, 'Bob']
		]);
		await a.engine.drain();
		await b.engine.drain();
		expect(await view(b.db)).toEqual([`${P1} Ada`, `${P2} Bob`]);

		// The server comes back on an empty database at the same address: a new feed.
		const restored = world();
		current = restored.transport;
		await importContacts(a.db, 'job-a2', [[P3, 'Cy']]);
		expect(await a.engine.drain()).toMatchObject({ kind: 'done' });
		expect(await b.engine.drain()).toMatchObject({ kind: 'done' });
		expect(await a.engine.drain()).toMatchObject({ kind: 'done' });
		const all = [`${P1} Ada`, `${P2} Bob`, `${P3} Cy`];
		expect(await view(a.db)).toEqual(all);
		expect(await view(b.db)).toEqual(all);
		expect(await restored.store.stats()).toMatchObject({ contacts: 3 });
		expect((await getSyncState(a.db)).feedRestarted).toMatchObject({ contacts: 3, deletes: 0 });
		expect((await getSyncState(b.db)).feedRestarted).toMatchObject({ contacts: 2 });
		// Nothing is left to send, and a further drain changes nothing.
		expect(await a.engine.drain()).toEqual({ kind: 'done', pushed: 0, pulled: 0 });
	});

	it('a restored backend is told even when the drain that found it stops before its end', async () => {
		const first = world();
		let current = first.transport;
		const a = await device((req) => current(req));
		await importContacts(a.db, 'job-a', [[P1, 'Ada']]);
		await a.engine.drain();
		// The new feed is found by /v1/me; every request after it fails, as when the page reloads
		// or the network drops in the middle of that drain.
		const restored = world();
		current = (req) =>
			req.url.includes('/v1/me')
				? restored.transport(req)
				: Promise.reject(new TypeError('offline'));
		expect(await a.engine.drain()).toMatchObject({ kind: 'retry' });
		expect((await getSyncState(a.db)).feedRestarted).toMatchObject({ contacts: 1, deletes: 0 });
		// A later drain, on a new engine (the worker started again), sends it back and still says so.
		current = restored.transport;
		const again = await device((req) => current(req), a.db);
		expect(await again.engine.drain()).toMatchObject({ kind: 'done' });
		expect((await getSyncState(a.db)).feedRestarted).toMatchObject({ contacts: 1 });
		expect(await restored.store.stats()).toMatchObject({ contacts: 1 });
	});
});
