import { describe, expect, it } from 'vitest';
import { createApp } from '../../../server/app';
import { openSqliteStore } from '../../../server/sqlite-store';
import { newContact } from '$lib/domain/contact';
import { freshDb } from '$support/test-db';
import { getSyncState, setSyncConfig } from '$lib/db/sync-config-repo';
import { SyncEngine } from './engine';
import { retryFailed } from '$lib/db/outbox-repo';
import { syncSummary } from '$lib/db/outbox-repo';
import type { Transport } from './transport';

/** Queues a change for `phones` as the app does (pending, no attempt yet). */
const queue = (
	db: ReturnType<typeof freshDb>,
	id: string,
	jobId: string,
	phones: string[],
	createdAt: number
) => db.outbox.add({ id, jobId, phones, status: 'pending', attempts: 0, createdAt });

async function setup(token = 'good') {
	const store = openSqliteStore(':memory:');
	const app = createApp({ store, token: 'good' });
	const transport: Transport = async ({ method, url, headers, body }) =>
		app.request(new URL(url).pathname + new URL(url).search, { method, headers, body });
	const db = freshDb();
	await setSyncConfig(db, { url: 'https://x.test', token, enabled: true });
	await db.contacts.put(newContact('+14155550101', { firstName: 'Ada' }, 1, 'j'));
	await queue(db, 'j:2', 'j', ['+14155550101'], 1);
	return { store, db, engine: new SyncEngine({ db, transport }) };
}

describe('SyncEngine', () => {
	it('is off until enabled with a URL and a token', async () => {
		const { db, engine } = await setup();
		await setSyncConfig(db, { url: 'https://x.test', token: 'good', enabled: false });
		expect(await engine.drain()).toEqual({ kind: 'off' });
	});

	it('says "Check the API token" on 401 and loses nothing; the right token resumes', async () => {
		const { db, engine, store } = await setup('wrong');
		expect(await engine.drain()).toMatchObject({
			kind: 'error',
			message: expect.stringMatching(/Check the API token/)
		});
		expect((await getSyncState(db)).lastError).toMatch(/Check the API token/);
		expect(await db.outbox.where('status').equals('pending').count()).toBe(1);
		await setSyncConfig(db, { url: 'https://x.test', token: 'good', enabled: true });
		expect(await engine.drain()).toMatchObject({ kind: 'done', pushed: 1 });
		expect(await store.stats()).toEqual({ contacts: 1, batches: 1 });
		expect((await getSyncState(db)).lastError).toBeUndefined();
	});

	it('reports a contact the server refuses while the rest of its batch syncs', async () => {
		const { db, engine, store } = await setup();
		await db.contacts.bulkPut([
			{ ...newContact('+14155550101', {}, 1, 'j'), custom: { Bad: 'x' } },
			newContact('+14155550102', { firstName: 'Bo' }, 1, 'j')
		]);
		await db.outbox.update(1, { phones: ['+14155550101', '+14155550102'] });
		expect(await engine.drain()).toMatchObject({ kind: 'done', pushed: 1 });
		expect(await store.stats()).toEqual({ contacts: 1, batches: 1 });
		const summary = await syncSummary(db, 'j');
		expect(summary).toMatchObject({ synced: 1, failed: 0, refusedCount: 1 });
		expect(summary.refused[0]).toMatchObject({
			phone: '+14155550101',
			reason: expect.stringMatching(/^custom: custom keys must match/)
		});
		// Synced for good: the frozen body is dropped.
		expect((await db.outbox.toArray())[0].parts).toBeUndefined();
		// Fixed and saved: the server accepts it, and it is no longer listed as refused.
		await db.contacts.put(newContact('+14155550101', { firstName: 'Fixed' }, 2, 'j'));
		await queue(db, 'edit:1', 'edit', ['+14155550101'], 2);
		expect(await engine.drain()).toMatchObject({ kind: 'done', pushed: 1 });
		expect(await store.stats()).toEqual({ contacts: 2, batches: 2 });
		expect(await syncSummary(db)).toMatchObject({ refusedCount: 0, refused: [] });
	});

	it('marks a batch whose envelope the server refuses as failed, and Retry sends it again', async () => {
		const { db } = await setup();
		let refuse = true;
		const store = openSqliteStore(':memory:');
		const app = createApp({ store, token: 'good' });
		const keys: string[] = [];
		const transport: Transport = async ({ method, url, headers, body }) => {
			if (url.endsWith('/batches')) keys.push(headers['Idempotency-Key']);
			if (refuse && url.endsWith('/batches'))
				return new Response(JSON.stringify({ error: 'Invalid batch: importId: too long' }), {
					status: 400
				});
			return app.request(new URL(url).pathname, { method, headers, body });
		};
		const engine = new SyncEngine({ db, transport });
		expect(await engine.drain()).toMatchObject({ kind: 'done', pushed: 1 });
		expect((await db.outbox.toArray())[0]).toMatchObject({
			status: 'failed',
			error: 'Invalid batch: importId: too long'
		});
		refuse = false;
		expect(await retryFailed(db, 'j')).toBe(1);
		expect(await engine.drain()).toMatchObject({ kind: 'done', pushed: 1 });
		expect((await db.outbox.toArray())[0].status).toBe('synced');
		// The rebuilt body went under a new key (the first answer stays the first key's).
		expect(keys).toEqual(['j:2', 'j:2~1']);
		expect((await store.stats()).contacts).toBe(1);
	});

	it('sizes bodies in bytes, and splits them further when the server answers 413', async () => {
		const db = freshDb();
		await setSyncConfig(db, { url: 'https://x.test', token: 'good', enabled: true });
		const store = openSqliteStore(':memory:');
		// A server with a 200 KB limit; 2,000 contacts of about 1 KB each make about 2 MB.
		const app = createApp({ store, token: 'good', maxBodyBytes: 200 * 1024 });
		const sent: [number, number][] = [];
		const transport: Transport = async ({ method, url, headers, body }) => {
			const u = new URL(url);
			const res = await app.request(u.pathname + u.search, { method, headers, body });
			if (url.endsWith('/batches')) sent.push([body!.length, res.status]);
			return res;
		};
		const contacts = Array.from({ length: 2000 }, (_, i) =>
			newContact(
				`+1212200${String(i).padStart(4, '0')}`,
				{ custom: { note: 'x'.repeat(1000) } },
				1,
				'j'
			)
		);
		await db.contacts.bulkPut(contacts);
		await queue(
			db,
			'j:2000',
			'j',
			contacts.map((c) => c.phone),
			1
		);
		const engine = new SyncEngine({ db, transport, random: () => 0 });
		let result = await engine.drain();
		for (let i = 0; i < 5 && result.kind === 'retry'; i++) result = await engine.drain();
		expect(result).toMatchObject({ kind: 'done' });
		expect(await store.stats()).toEqual({ contacts: 2000, batches: expect.any(Number) });
		// Parts of about 1 MB, then 256 KB, were refused; a quarter each time, until they fit.
		const refused = sent.filter(([, status]) => status === 413).map(([n]) => n);
		expect(refused).toHaveLength(2);
		expect(refused[0]).toBeGreaterThan(900 * 1024);
		expect(refused[0]).toBeLessThanOrEqual(1024 * 1024 + 2048);
		expect(refused[1]).toBeLessThanOrEqual(256 * 1024 + 2048);
		const accepted = sent.filter(([, status]) => status === 200).map(([n]) => n);
		expect(accepted.every((n) => n <= 64 * 1024 + 2048)).toBe(true);
		expect(accepted.length).toBeGreaterThan(30);
		expect((await db.outbox.toArray())[0]).toMatchObject({ status: 'synced' });
		expect((await syncSummary(db)).refusedCount).toBe(0);
	}, 60_000);

	it('retries later on 429 honouring Retry-After', async () => {
		const db = freshDb();
		await setSyncConfig(db, { url: 'https://x.test', token: 't', enabled: true });
		const transport: Transport = async () =>
			new Response('', { status: 429, headers: { 'Retry-After': '30' } });
		expect(await new SyncEngine({ db, transport }).drain()).toMatchObject({
			kind: 'retry',
			inMs: 30_000
		});
	});

	it('pulls the backend custom fields and keeps local ones not yet pushed', async () => {
		const { db, engine, store } = await setup();
		await store.putField({ key: 'team', label: 'Team', type: 'text' });
		await db.customFields.put({ key: 'region', label: 'Region', type: 'text', createdAt: 1 });
		await engine.drain();
		expect((await db.customFields.toArray()).map((f) => f.key).sort()).toEqual(['region', 'team']);
		expect((await store.listFields()).map((f) => f.key)).toEqual(['region', 'team']);
	});
});
