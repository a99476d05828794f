/**
 * A member's device in every engine: it joins a workspace by the link an owner hands over, syncs
 * as a member, and when the owner revokes its token it says that its access ended and keeps the
 * change it could not send.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { enginesToTest } from './browsers';
import { waitFor } from './driver';
import { openDevice, serveApp, startSyncServer, SYNC_TOKEN, type Served } from './app';

let app: Served;
beforeAll(async () => {
	app = await serveApp();
});
afterAll(async () => {
	await app?.stop();
});

/** Calls the backend as its owner (the SYNC_TOKEN). */
async function asOwner(url: string, method: string, path: string, body?: unknown) {
	const res = await fetch(`${url}${path}`, {
		method,
		headers: {
			Authorization: `Bearer ${SYNC_TOKEN}`,
			'Content-Type': 'application/json',
			'Idempotency-Key': `${method} ${path}`
		},
		body: body === undefined ? undefined : JSON.stringify(body)
	});
	return (await res.json()) as Record<string, unknown>;
}

describe.each(enginesToTest())('%s', (engine) => {
	it('joins by link as a member, syncs, and a revoke ends its access without losing its change', async () => {
		const server = await startSyncServer();
		const device = await openDevice(engine, app.origin);
		try {
			const seeded = await asOwner(server.url, 'POST', '/v1/contacts/batches', {
				batchId: 'seed',
				importId: 'seed',
				contacts: [
					{
						phone: '+12125550101',
						firstName: 'Ada',
						lastName: 'King',
						tags: [],
						custom: {},
						updatedAt: 1
					}
				]
			});
			expect(seeded).toMatchObject({ accepted: 1 });
			const added = await asOwner(server.url, 'POST', '/v1/members', {
				name: 'Phone',
				role: 'member'
			});
			const token = added.token as string;
			// The link Settings' members page shows: the backend and token in the fragment.
			const fragment = encodeURIComponent(
				Buffer.from(JSON.stringify({ url: server.url, token })).toString('base64')
			);
			const { page } = device;
			await page.goto(`/settings#join=${fragment}`);
			await page.text('The link filled in the backend and token', { prefix: true }).first(10_000);
			await page.role('button', 'Save sync settings').click();
			await page.testId('sync-role').waitForText('member', 60_000);
			await page.testId('sync-workspace').waitForText(/Default workspace/);
			await page.navigate('Contacts');
			await page.testId('contacts-count').waitForText('1', 60_000);

			await asOwner(server.url, 'DELETE', `/v1/members/${added.memberId as string}`);
			await page.label('Search contacts').fill('Ada');
			await page.role('link', 'Ada King').click();
			await page.role('button', 'Edit').click();
			await page.label('Company').fill('Edited while revoked');
			await page.role('button', 'Save contact').click();
			await page.text('Edited while revoked').first();
			await page.navigate('Settings');
			await page
				.testId('sync-status')
				.waitForText(/access to workspace “Default workspace” has ended/, 60_000);
			const remote = await fetch(`${server.url}/v1/contacts?limit=10`, {
				headers: { Authorization: `Bearer ${SYNC_TOKEN}` }
			});
			const held = (await remote.json()) as { contacts: { company?: string }[] };
			expect(held.contacts.map((c) => c.company ?? '')).toEqual(['']);
			await page.navigate('Contacts');
			await page.label('Search contacts').fill('Ada');
			await page.role('link', 'Ada King').click();
			await waitFor(() => page.text('Edited while revoked').isVisible(), 'the kept edit');
		} finally {
			await device.close();
			await server.stop();
		}
	});
});
