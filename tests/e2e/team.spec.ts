/**
 * A team: two browser profiles (separate storage, as two devices) syncing through one real
 * server. What one device changes reaches the other through the change feed.
 */
import { expect, test, type Page } from '@playwright/test';
import {
	device,
	editFirstName,
	importWithDefaults,
	reopenUntil,
	writeNumberedCsv
} from './helpers';
import { configureSync, startSyncServer, SYNC_TOKEN, type SyncServer } from './sync-server';

test.describe.configure({ mode: 'serial' });

/** What the server holds, as "phone firstName" lines. */
async function remote(server: SyncServer, limit = 100): Promise<string[]> {
	const res = await fetch(`${server.url}/v1/contacts?limit=${limit}`, {
		headers: { Authorization: `Bearer ${SYNC_TOKEN}` }
	});
	return ((await res.json()) as { contacts: { phone: string; firstName?: string }[] }).contacts.map(
		(c) => `${c.phone} ${c.firstName ?? ''}`
	);
}

/** Opens the contacts page afresh (a start of the app: it syncs) until `check` passes. */
const onContacts = (page: Page, check: () => Promise<void>) =>
	reopenUntil(page, '/contacts', check);

test('10,000 imported on A show on B; an edit on B shows on A; a delete on A is gone from B', async ({
	browser
}) => {
	const server = await startSyncServer(8811);
	try {
		const a = await device(browser);
		const b = await device(browser);
		await configureSync(a, server.url);
		await importWithDefaults(a, writeNumberedCsv(10_000, 'team.csv'));
		await expect(a.getByTestId('import-status')).toHaveText('Completed');
		await expect
			.poll(async () => (await server.stats()).contacts, { timeout: 120_000 })
			.toBe(10_000);

		await configureSync(b, server.url);
		await expect(b.getByTestId('sync-status')).toHaveText('Synced', { timeout: 90_000 });
		await b.goto('/contacts');
		await expect(b.getByTestId('contacts-count')).toHaveText('10,000');
		// Exactly those: the first, the last, and search finds them by name and phone.
		await b.getByLabel('Search contacts').fill('First9999');
		await expect(b.getByRole('link', { name: 'First9999 Last9999' })).toBeVisible();
		await b.getByLabel('Search contacts').fill('(212) 200-0000');
		await expect(b.getByRole('link', { name: 'First0 Last0' })).toBeVisible();
		// Nothing came back from B: the server still holds A's five batches only.
		expect(await server.stats()).toEqual({ contacts: 10_000, batches: 5 });

		await editFirstName(b, 'First9999 Last9999', 'Edited');
		await onContacts(a, async () => {
			await a.getByLabel('Search contacts').fill('Edited');
			await expect(a.getByRole('link', { name: 'Edited Last9999' })).toBeVisible({
				timeout: 3000
			});
		});

		await a.getByLabel('Search contacts').fill('First0 Last0');
		await a.getByRole('link', { name: 'First0 Last0' }).click();
		a.once('dialog', (d) => d.accept());
		await a.getByRole('button', { name: 'Delete' }).click();
		await expect(a).toHaveURL(/\/contacts$/);
		await expect(a.getByTestId('contacts-count')).toHaveText('9,999');
		await onContacts(b, async () => {
			await expect(b.getByTestId('contacts-count')).toHaveText('9,999', { timeout: 3000 });
		});
		await b.getByLabel('Search contacts').fill('First0 Last0');
		await expect(b.getByRole('link', { name: 'First0 Last0' })).toHaveCount(0);
		expect((await server.stats()).contacts).toBe(9_999);
	} finally {
		await server.stop();
	}
});

test('concurrent edits of one contact end the same on both devices: the later edit wins', async ({
	browser
}) => {
	const server = await startSyncServer(8812);
	try {
		const a = await device(browser);
		const b = await device(browser);
		await configureSync(a, server.url);
		await importWithDefaults(a, writeNumberedCsv(3, 'both.csv'));
		await expect(a.getByTestId('import-status')).toHaveText('Completed');
		await configureSync(b, server.url);
		await onContacts(b, async () => {
			await expect(b.getByTestId('contacts-count')).toHaveText('3', { timeout: 3000 });
		});
		// A edits offline; B edits the same contact later, online.
		await a.context().setOffline(true);
		await editFirstName(a, 'First1 Last1', 'From A');
		await editFirstName(b, 'First1 Last1', 'From B');
		await expect.poll(() => remote(server)).toContain('+12122000001 From B');
		await a.context().setOffline(false);
		// A's older edit reaches the server and loses there; A takes B's.
		await onContacts(a, async () => {
			await a.getByLabel('Search contacts').fill('Last1');
			await expect(a.getByRole('link', { name: 'From B Last1' })).toBeVisible({ timeout: 3000 });
		});
		await a.goto('/settings');
		await expect(a.getByTestId('sync-status')).toHaveText('Synced');
		await onContacts(b, async () => {
			await b.getByLabel('Search contacts').fill('Last1');
			await expect(b.getByRole('link', { name: 'From B Last1' })).toBeVisible({ timeout: 3000 });
		});
		expect(await remote(server)).toContain('+12122000001 From B');
	} finally {
		await server.stop();
	}
});

test('a first pull of 40,000 shows progress, survives a reload, the server killed and going offline, and converges', async ({
	browser
}) => {
	let server = await startSyncServer(8813);
	const dbPath = server.dbPath;
	try {
		const a = await device(browser);
		await configureSync(a, server.url);
		await importWithDefaults(a, writeNumberedCsv(40_000, 'first-pull.csv'));
		await expect(a.getByTestId('import-status')).toHaveText('Completed', { timeout: 120_000 });
		await expect
			.poll(async () => (await server.stats()).contacts, { timeout: 120_000 })
			.toBe(40_000);

		const b = await device(browser);
		await configureSync(b, server.url);
		const progress = b.getByTestId('sync-pull');
		const received = async () =>
			Number(((await progress.textContent()) ?? '').match(/: ([\d,]+) of/)?.[1].replace(/,/g, ''));
		await expect(progress).toContainText(/Receiving contacts from the backend: [\d,]+ of 40,000/);

		// A reload mid-pull resumes from the cursor, not from the start.
		const before = await received();
		await b.reload();
		await expect(progress).toBeVisible();
		expect(await received()).toBeGreaterThanOrEqual(before);

		// The server killed mid-pull, and started again on its database.
		await server.stop();
		const stalled = await received();
		await b.waitForTimeout(1500);
		expect(await received()).toBe(stalled);
		server = await startSyncServer(8813, dbPath);

		// Offline mid-pull, then back.
		await expect.poll(received, { timeout: 60_000 }).toBeGreaterThan(stalled);
		await b.context().setOffline(true);
		await expect(b.getByTestId('sync-status')).toHaveText('Offline');
		await b.context().setOffline(false);

		await expect(progress).toHaveCount(0, { timeout: 120_000 });
		await expect(b.getByTestId('sync-status')).toHaveText('Synced');
		await b.goto('/contacts');
		await expect(b.getByTestId('contacts-count')).toHaveText('40,000');
		await a.goto('/contacts');
		await expect(a.getByTestId('contacts-count')).toHaveText('40,000');
		expect(await server.stats()).toEqual({ contacts: 40_000, batches: 20 });
	} finally {
		await server.stop();
	}
});
