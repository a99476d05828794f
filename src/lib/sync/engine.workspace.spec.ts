import { describe, expect, it } from 'vitest';
import { createApp } from '../../../server/app';
import { openSqliteStore } from '../../../server/sqlite-store';
import { newContact } from '$lib/domain/contact';
import { freshDb } from '$support/test-db';
import { serverTransport } from '$support/test-transports';
import { getSyncState, setSyncConfig } from '$lib/db/sync-config-repo';
import { addCustomField } from '$lib/db/custom-fields-repo';
import { getBoundWorkspace } from '$lib/db/workspace-repo';
import { SyncEngine } from './engine';

const ADMIN = 'admin-token';

/** A server with its default workspace (owner token `owner`), and a device's engine on it. */
async function setup() {
	const store = openSqliteStore(':memory:');
	const app = createApp({ store, token: 'owner', adminToken: ADMIN });
	const transport = serverTransport(app);
	const call = async (method: string, path: string, token: string, body?: unknown) => {
		const res = await app.request(path, {
			method,
			headers: { Authorization: `Bearer ${token}`, 'Content-Type': 'application/json' },
			body: body === undefined ? undefined : JSON.stringify(body)
		});
		return { status: res.status, json: (await res.json()) as Record<string, unknown> };
	};
	const device = async (token: string) => {
		const db = freshDb();
		await setSyncConfig(db, { url: 'https://x.test', token, enabled: true });
		return { db, engine: new SyncEngine({ db, transport }) };
	};
	return { store, call, device };
}

describe('SyncEngine and workspaces', () => {
	it('binds the device to the token’s workspace and keeps who it is for Settings', async () => {
		const { device } = await setup();
		const { db, engine } = await device('owner');
		expect(await engine.drain()).toMatchObject({ kind: 'done' });
		expect((await getSyncState(db)).identity).toMatchObject({
			workspaceId: 'default',
			role: 'owner'
		});
		expect((await getBoundWorkspace(db))?.workspaceId).toBe('default');
	});

	it('never sends or pulls with a token of another workspace: it stops and names both', async () => {
		const { call, device } = await setup();
		const other = await call('POST', '/v1/workspaces', ADMIN, { name: 'Bolt' });
		const { db, engine } = await device('owner');
		await db.contacts.put(newContact('+14155550101', { firstName: 'Ada' }, 1, 'j'));
		await db.outbox.add({
			id: 'j:1',
			jobId: 'j',
			phones: ['+14155550101'],
			status: 'pending',
			attempts: 0,
			createdAt: 1
		});
		expect(await engine.drain()).toMatchObject({ kind: 'done', pushed: 1 });
		await setSyncConfig(db, {
			url: 'https://x.test',
			token: other.json.ownerToken as string,
			enabled: true
		});
		const stopped = await engine.drain();
		expect(stopped).toMatchObject({
			kind: 'error',
			message: expect.stringMatching(/belongs to workspace “Bolt”.*contacts of “Default workspace”/)
		});
		expect((await getSyncState(db)).otherWorkspace?.workspaceName).toBe('Bolt');
		const bolt = await call('GET', '/v1/stats', other.json.ownerToken as string);
		expect(bolt.json).toEqual({ contacts: 0, batches: 0 });
		expect((await getBoundWorkspace(db))?.workspaceName).toBe('Default workspace');
	});

	it('a member’s custom field is kept on the device and listed, and its contacts still sync', async () => {
		const { call, device } = await setup();
		const added = await call('POST', '/v1/members', 'owner', { name: 'Tablet', role: 'member' });
		const { db, engine } = await device(added.json.token as string);
		await addCustomField(db, 'visit_notes', 'Visit notes');
		await db.contacts.put(
			newContact('+14155550102', { firstName: 'Bo', custom: { visit_notes: 'x' } }, 1, 'j')
		);
		await db.outbox.add({
			id: 'j:1',
			jobId: 'j',
			phones: ['+14155550102'],
			status: 'pending',
			attempts: 0,
			createdAt: 1
		});
		expect(await engine.drain()).toMatchObject({ kind: 'done', pushed: 1 });
		const state = await getSyncState(db);
		expect(state.identity?.role).toBe('member');
		expect(state.refusedFields).toEqual([
			{ key: 'visit_notes', message: expect.stringMatching(/owners/) }
		]);
		expect((await call('GET', '/v1/stats', 'owner')).json).toMatchObject({ contacts: 1 });
	});

	it('a revoked token says the access ended and keeps the unsent change', async () => {
		const { call, device } = await setup();
		const added = await call('POST', '/v1/members', 'owner', { name: 'Tablet', role: 'member' });
		const { db, engine } = await device(added.json.token as string);
		expect(await engine.drain()).toMatchObject({ kind: 'done' });
		await call('DELETE', `/v1/members/${added.json.memberId as string}`, 'owner');
		await db.contacts.put(newContact('+14155550103', { firstName: 'Cy' }, 1, 'j'));
		await db.outbox.add({
			id: 'j:1',
			jobId: 'j',
			phones: ['+14155550103'],
			status: 'pending',
			attempts: 0,
			createdAt: 1
		});
		expect(await engine.drain()).toMatchObject({
			kind: 'error',
			message: expect.stringMatching(/access to workspace “Default workspace” has ended/)
		});
		expect(await db.outbox.get({ id: 'j:1' })).toMatchObject({ status: 'pending' });
	});
});
