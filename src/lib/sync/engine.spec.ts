import { describe, expect, it } from 'vitest';
import { createApp } from '../../../server/app';
import { openStore } from '../../../server/store';
import { newContact } from '$lib/domain/contact';
import { freshDb } from '$lib/jobs/test-support';
import { getSyncState, setSyncConfig } from './config';
import { retryFailed, SyncEngine } from './engine';
import type { Transport } from './transport';

async function setup(token = 'good') {
	const store = openStore(':memory:');
	const app = createApp({ store, token: 'good' });
	const transport: Transport = async ({ method, url, headers, body }) =>
		app.request(new URL(url).pathname, { method, headers, body });
	const db = freshDb();
	await setSyncConfig(db, { url: 'https://x.test', token, enabled: true });
	await db.contacts.put(newContact('+14155550101', { firstName: 'Ada' }, 1, 'j'));
	await db.outbox.add({
		id: 'j:2',
		jobId: 'j',
		phones: ['+14155550101'],
		status: 'pending',
		attempts: 0,
		createdAt: 1
	});
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
		expect(await engine.drain()).toEqual({ kind: 'done', pushed: 1 });
		expect(store.stats()).toEqual({ contacts: 1, batches: 1 });
		expect((await getSyncState(db)).lastError).toBeUndefined();
	});

	it('marks a batch the server refuses as failed with its message, and Retry requeues it', async () => {
		const { db, engine } = await setup();
		await db.contacts.put({ ...newContact('+14155550101', {}, 1), custom: { Bad: 'x' } });
		expect(await engine.drain()).toEqual({ kind: 'done', pushed: 1 });
		const failed = await db.outbox.toArray();
		expect(failed[0]).toMatchObject({
			status: 'failed',
			error: expect.stringMatching(/^Invalid batch: contacts\.0\.custom/)
		});
		await db.contacts.put(newContact('+14155550101', { firstName: 'Fixed' }, 2));
		expect(await retryFailed(db, 'j')).toBe(1);
		expect(await engine.drain()).toEqual({ kind: 'done', pushed: 1 });
		expect((await db.outbox.toArray())[0].status).toBe('synced');
	});

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
		store.putField({ key: 'team', label: 'Team', type: 'text' });
		await db.customFields.put({ key: 'region', label: 'Region', type: 'text', createdAt: 1 });
		await engine.drain();
		expect((await db.customFields.toArray()).map((f) => f.key).sort()).toEqual(['region', 'team']);
		expect(store.listFields().map((f) => f.key)).toEqual(['region', 'team']);
	});
});
