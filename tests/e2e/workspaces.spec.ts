/**
 * Workspaces and access, driven as people do it: an owner adds a member in Settings and hands
 * over the join link; the member's device (a browser profile of its own) joins and syncs; the
 * owner revokes it, and the member's device says its access ended and keeps its unsent change.
 * A token of another workspace never merges its contacts with this device's.
 */
import { expect, test, type Page } from '@playwright/test';
import { axeProblems, device, importWithDefaults, reopenUntil, writeNumberedCsv } from './helpers';
import {
	ADMIN_TOKEN,
	configureSync,
	startSyncServer,
	SYNC_TOKEN,
	type SyncServer
} from './sync-server';

test.describe.configure({ mode: 'serial' });

async function remoteNames(server: SyncServer, token = SYNC_TOKEN): Promise<string[]> {
	const res = await fetch(`${server.url}/v1/contacts?limit=100`, {
		headers: { Authorization: `Bearer ${token}` }
	});
	return ((await res.json()) as { contacts: { firstName?: string }[] }).contacts.map(
		(c) => c.firstName ?? ''
	);
}

/** Opens the contacts page afresh (a start of the app: it syncs) until it counts `n`. */
async function expectContacts(page: Page, n: string) {
	await reopenUntil(
		page,
		'/contacts',
		() => expect(page.getByTestId('contacts-count')).toHaveText(n, { timeout: 5000 }),
		60_000
	);
}

test('an owner adds a member, the member joins by link and syncs, and a revoke ends its access without losing its change', async ({
	browser
}) => {
	const server = await startSyncServer(8821);
	try {
		const owner = await device(browser);
		await configureSync(owner, server.url);
		await importWithDefaults(owner, writeNumberedCsv(30, 'team-owner.csv'));
		await expect(owner.getByTestId('import-status')).toHaveText('Completed');
		await expect.poll(async () => (await server.stats()).contacts, { timeout: 60_000 }).toBe(30);

		await owner.goto('/settings');
		await expect(owner.getByTestId('sync-role')).toHaveText('owner', { timeout: 30_000 });
		await owner.getByLabel('Member name').fill('Field tablet');
		await owner.getByRole('button', { name: 'Add member' }).click();
		const token = await owner.getByLabel('New member’s token').inputValue();
		const link = await owner.getByLabel('Join link').inputValue();
		expect(token.length).toBeGreaterThanOrEqual(20);
		expect(link).not.toContain(token);
		await expect(owner.getByRole('table', { name: 'Members' })).toContainText('Field tablet');
		// The members page holds up for people on a phone and with assistive technology.
		await owner.setViewportSize({ width: 360, height: 640 });
		expect(await axeProblems(owner)).toEqual([]);
		expect(await owner.evaluate(() => document.documentElement.scrollWidth <= innerWidth)).toBe(
			true
		);
		await owner.setViewportSize({ width: 1280, height: 800 });

		// The member's device opens the link: the form is filled in, the token leaves the address.
		const member = await device(browser);
		await member.goto(link);
		await expect(member.getByLabel('API token')).toHaveValue(token);
		await expect(member.getByLabel('Backend URL')).toHaveValue(server.url);
		expect(new URL(member.url()).hash).toBe('');
		await member.getByRole('button', { name: 'Save sync settings' }).click();
		await expect(member.getByTestId('sync-status')).toHaveText('Synced', { timeout: 60_000 });
		await expect(member.getByTestId('sync-role')).toHaveText('member');
		await expectContacts(member, '30');

		// A member cannot define the workspace's schema: Settings says whose it is.
		await member.goto('/settings');
		await member.getByLabel('Key').fill('visit_notes');
		await member.getByLabel('Label', { exact: true }).fill('Visit notes');
		await member.getByRole('button', { name: 'Add field' }).click();
		await expect(
			member.getByText(/custom field schema belongs to the workspace’s owners/)
		).toBeVisible({ timeout: 60_000 });
		await expect(member.getByText('visit_notes:')).toBeVisible();

		// The owner revokes the member's token.
		await owner.goto('/settings');
		await owner.getByRole('button', { name: 'Revoke Field tablet' }).click();
		await expect(
			owner.getByRole('table', { name: 'Members' }).getByRole('row', { name: /Field tablet/ })
		).toContainText('Revoked');

		// The member's edit is refused by the server and kept on the device.
		await member.goto('/contacts');
		await member.getByLabel('Search contacts').fill('First3 Last3');
		await member.getByRole('link', { name: 'First3 Last3' }).click();
		await member.getByRole('button', { name: 'Edit' }).click();
		await member.getByLabel('First name').fill('Edited');
		await member.getByRole('button', { name: 'Save contact' }).click();
		await expect(member.getByRole('status').filter({ hasText: 'Contact saved.' })).toBeVisible();
		await member.goto('/settings');
		await expect(member.getByTestId('sync-status')).toContainText(
			'access to workspace “Default workspace” has ended',
			{ timeout: 60_000 }
		);
		await expect(member.getByTestId('sync-status')).toContainText('Nothing on this device is lost');
		expect(await remoteNames(server)).not.toContain('Edited');
		await member.goto('/contacts');
		await member.getByLabel('Search contacts').fill('Edited');
		await expect(member.getByRole('link', { name: 'Edited Last3' })).toBeVisible();
	} finally {
		await server.stop();
	}
});

test('a token of another workspace never merges: sync stops and asks, and starting afresh switches', async ({
	browser
}) => {
	const server = await startSyncServer(8822);
	try {
		const created = await fetch(`${server.url}/v1/workspaces`, {
			method: 'POST',
			headers: { Authorization: `Bearer ${ADMIN_TOKEN}`, 'Content-Type': 'application/json' },
			body: JSON.stringify({ name: 'Bolt' })
		});
		expect(created.status).toBe(201);
		const { ownerToken } = (await created.json()) as { ownerToken: string };

		const page = await device(browser);
		await configureSync(page, server.url);
		await importWithDefaults(page, writeNumberedCsv(12, 'team-default.csv'));
		await expect(page.getByTestId('import-status')).toHaveText('Completed');
		await expect.poll(async () => (await server.stats()).contacts, { timeout: 60_000 }).toBe(12);

		await page.goto('/settings');
		await page.getByLabel('API token').fill(ownerToken);
		await page.getByRole('button', { name: 'Save sync settings' }).click();
		await expect(page.getByTestId('sync-status')).toContainText(
			'This token belongs to workspace “Bolt”',
			{ timeout: 60_000 }
		);
		// Nothing of this device reached the other workspace.
		expect(await remoteNames(server, ownerToken)).toEqual([]);
		await page.getByRole('button', { name: 'Start afresh with Bolt' }).click();
		await page.getByRole('button', { name: 'Remove and start afresh' }).click();
		await expect(page.getByTestId('sync-status')).toHaveText('Synced', { timeout: 60_000 });
		await expect(page.getByTestId('sync-workspace')).toContainText('Bolt');
		await expectContacts(page, '0');
		expect(await remoteNames(server, ownerToken)).toEqual([]);
		expect((await server.stats()).contacts).toBe(12);
	} finally {
		await server.stop();
	}
});
