import { expect, test } from '@playwright/test';
import { importWithDefaults, writeNumberedCsv } from './helpers';
import {
	configureSync,
	startFaultProxy,
	startSyncServer,
	SYNC_TOKEN,
	type SyncServer
} from './sync-server';

test.describe.configure({ mode: 'serial' });

async function converges(server: SyncServer, contacts: number) {
	await expect
		.poll(async () => (await server.stats()).contacts, { timeout: 120_000 })
		.toBe(contacts);
}

test('10,000 rows imported with sync on reach the server exactly once', async ({ page }) => {
	const server = await startSyncServer(8801);
	try {
		await configureSync(page, server.url);
		await page.getByRole('button', { name: 'Test connection' }).click();
		await expect(page.getByRole('status').filter({ hasText: 'Connected' })).toContainText(
			'0 contacts'
		);
		await importWithDefaults(page, writeNumberedCsv(10_000, 'sync.csv'));
		await expect(page.getByTestId('import-status')).toHaveText('Completed');
		await converges(server, 10_000);
		await expect(page.getByTestId('import-sync')).toHaveText('Synced 5 of 5 batches');
		await page.goto('/settings');
		await expect(page.getByTestId('sync-status')).toHaveText('Synced');
		expect(await server.stats()).toEqual({ contacts: 10_000, batches: 5 });
	} finally {
		await server.stop();
	}
});

test('the server killed mid-sync and restarted: the device catches up exactly', async ({
	page
}) => {
	let server = await startSyncServer(8802);
	const dbPath = server.dbPath;
	try {
		await configureSync(page, server.url);
		await importWithDefaults(page, writeNumberedCsv(20_000, 'kill.csv'));
		await expect
			.poll(async () => (await server.stats()).contacts, { timeout: 60_000 })
			.toBeGreaterThan(0);
		await server.stop();
		await expect(page.getByTestId('import-status')).toHaveText('Completed');
		await page.goto('/settings');
		await expect(page.getByTestId('sync-status')).toHaveText(/Pending \d+/);
		server = await startSyncServer(8802, dbPath);
		await converges(server, 20_000);
		await expect(page.getByTestId('sync-status')).toHaveText('Synced', { timeout: 60_000 });
		expect((await server.stats()).batches).toBe(10);
	} finally {
		await server.stop();
	}
});

test('offline mid-sync, then back online: it converges', async ({ page, context }) => {
	const server = await startSyncServer(8803);
	try {
		await configureSync(page, server.url);
		await importWithDefaults(page, writeNumberedCsv(20_000, 'offline.csv', 100_000));
		await context.setOffline(true);
		await expect(page.getByTestId('import-status')).toHaveText('Completed', { timeout: 60_000 });
		await page.getByRole('link', { name: 'Settings', exact: true }).click();
		await expect(page.getByTestId('sync-status')).toHaveText('Offline');
		await expect(page.getByRole('status').filter({ hasText: 'Offline' }).first()).toBeVisible();
		const whileOffline = (await server.stats()).contacts;
		expect(whileOffline).toBeLessThan(20_000);
		await context.setOffline(false);
		await converges(server, 20_000);
		await expect(page.getByTestId('sync-status')).toHaveText('Synced', { timeout: 60_000 });
	} finally {
		await server.stop();
	}
});

test('503, 429, and connections dropped before and after the server: no loss, no duplicate', async ({
	page
}) => {
	const server = await startSyncServer(8804);
	const { server: proxy, counts } = await startFaultProxy(8805, 8804);
	try {
		await configureSync(page, 'http://localhost:8805');
		await importWithDefaults(page, writeNumberedCsv(12_000, 'faults.csv'));
		await expect(page.getByTestId('import-status')).toHaveText('Completed');
		await converges(server, 12_000);
		await expect(page.getByTestId('import-sync')).toHaveText('Synced 6 of 6 batches', {
			timeout: 60_000
		});
		expect(await server.stats()).toEqual({ contacts: 12_000, batches: 6 });
		expect(counts['503']).toBeGreaterThan(0);
		expect(counts['429']).toBeGreaterThan(0);
		expect(counts['dropped before']).toBeGreaterThan(0);
		expect(counts['dropped after']).toBeGreaterThan(0);
	} finally {
		proxy.close();
		await server.stop();
	}
});

test('a wrong token says so and loses nothing; the right token resumes', async ({ page }) => {
	const server = await startSyncServer(8806);
	try {
		await configureSync(page, server.url, 'not-the-token');
		await importWithDefaults(page, writeNumberedCsv(4_000, 'token.csv'));
		await expect(page.getByTestId('import-status')).toHaveText('Completed');
		await page.goto('/settings');
		await expect(page.getByTestId('sync-status')).toContainText('Error: Check the API token');
		expect((await server.stats()).contacts).toBe(0);
		await page.getByLabel('API token').fill(SYNC_TOKEN);
		await page.getByRole('button', { name: 'Save sync settings' }).click();
		await converges(server, 4_000);
		await expect(page.getByTestId('sync-status')).toHaveText('Synced');
	} finally {
		await server.stop();
	}
});

test('edits, deletes and undo reach the server in order, and a too-long value never leaves', async ({
	page
}) => {
	const server = await startSyncServer(8806);
	const remote = async () => {
		const res = await fetch(`${server.url}/v1/contacts?limit=100`, {
			headers: { Authorization: `Bearer ${SYNC_TOKEN}` }
		});
		return ((await res.json()) as { contacts: { phone: string; firstName?: string }[] }).contacts
			.map((c) => `${c.phone} ${c.firstName ?? ''}`)
			.sort();
	};
	try {
		await configureSync(page, server.url);
		await importWithDefaults(page, writeNumberedCsv(3, 'edits.csv'));
		await expect(page.getByTestId('import-status')).toHaveText('Completed');
		const importUrl = page.url();
		await expect
			.poll(remote, { timeout: 30_000 })
			.toEqual(['+12122000000 First0', '+12122000001 First1', '+12122000002 First2']);

		// An edit: validated like an import (a name the backend would refuse is refused here).
		await page.goto('/contacts');
		await page.getByRole('link', { name: 'First1 Last1' }).click();
		await page.getByRole('button', { name: 'Edit' }).click();
		await page.getByLabel('First name').fill('x'.repeat(501));
		await page.getByRole('button', { name: 'Save contact' }).click();
		await expect(page.getByRole('alert')).toContainText('First name: 501 characters');
		await page.getByLabel('First name').fill('Edited');
		await page.getByRole('button', { name: 'Save contact' }).click();
		await expect(page.getByRole('status')).toHaveText('Contact saved.');
		await expect.poll(remote, { timeout: 30_000 }).toContain('+12122000001 Edited');

		// A delete.
		await page.goto('/contacts');
		await page.getByRole('link', { name: 'First2 Last2' }).click();
		page.once('dialog', (d) => d.accept());
		await page.getByRole('button', { name: 'Delete' }).click();
		await expect(page).toHaveURL(/\/contacts$/);
		await expect
			.poll(remote, { timeout: 30_000 })
			.toEqual(['+12122000000 First0', '+12122000001 Edited']);

		// Undoing the import deletes what it created, on the server too.
		await page.goto(importUrl);
		page.once('dialog', (d) => d.accept());
		await page.getByRole('button', { name: 'Undo import' }).click();
		await expect(page.getByTestId('import-undone')).toBeVisible();
		await expect.poll(remote, { timeout: 30_000 }).toEqual([]);
		await page.goto('/settings');
		await expect(page.getByTestId('sync-status')).toHaveText('Synced', { timeout: 30_000 });
		await expect(page.getByTestId('sync-refused')).toHaveCount(0);
	} finally {
		await server.stop();
	}
});

test('a contact the server refuses is listed with its reason, and the rest of its batch syncs', async ({
	page
}) => {
	const server = await startSyncServer(8807);
	try {
		// Contacts stored by an earlier release, before the import applied the backend's limits:
		// one has a 600-character first name. They wait in the outbox as one batch.
		await page.goto('/settings');
		await page.evaluate(
			() =>
				new Promise<void>((resolve, reject) => {
					let tries = 0;
					const attempt = () => {
						const open = indexedDB.open('callaro-import');
						let retrying = false;
						open.onerror = () => {
							if (!retrying) reject(open.error);
						};
						// The app has not created its database yet: leave it to the app, and try again.
						open.onupgradeneeded = () => {
							retrying = true;
							open.transaction?.abort();
							if (++tries > 100) reject(new Error('the app never created its database'));
							else setTimeout(attempt, 100);
						};
						open.onsuccess = () => write(open.result);
					};
					const write = (db: IDBDatabase) => {
						const tx = db.transaction(['contacts', 'outbox'], 'readwrite');
						tx.onabort = () => reject(tx.error ?? new Error('aborted'));
						const contact = (phone: string, firstName: string) => ({
							phone,
							firstName,
							tags: [],
							custom: {},
							createdAt: 1,
							updatedAt: 1,
							createdByJob: 'legacy',
							lastJobId: 'legacy'
						});
						tx.objectStore('contacts').put(contact('+14155550901', 'x'.repeat(600)));
						tx.objectStore('contacts').put(contact('+14155550902', 'Fine'));
						tx.objectStore('outbox').add({
							id: 'legacy:1',
							jobId: 'legacy',
							phones: ['+14155550901', '+14155550902'],
							status: 'pending',
							attempts: 0,
							createdAt: 1
						});
						tx.oncomplete = () => {
							db.close();
							resolve();
						};
						tx.onerror = () => reject(tx.error);
					};
					attempt();
				})
		);
		await configureSync(page, server.url);
		await expect(page.getByTestId('sync-status')).toHaveText('Synced', { timeout: 30_000 });
		expect(await server.stats()).toEqual({ contacts: 1, batches: 1 });
		const refused = page.getByTestId('sync-refused');
		await expect(refused).toContainText('The server refused 1 contact; the others were synced.');
		await expect(refused.getByRole('list', { name: 'Refused contacts' })).toContainText(
			'+14155550901: firstName: Too big'
		);
		await refused.getByRole('link', { name: '+14155550901' }).click();
		await expect(page).toHaveURL(/\/contacts\/(%2B|\+)14155550901$/);
		await expect(page.getByRole('button', { name: 'Edit' })).toBeVisible();
	} finally {
		await server.stop();
	}
});
