/**
 * A backend restored to an empty database at the same address: its change feed is new, so each
 * device starts its pull over, sends back everything it holds, and both devices converge with
 * the server; Settings says what happened.
 */
import { expect, test, type Page } from '@playwright/test';
import { device, importWithDefaults, reopenUntil, writeNumberedCsv } from './helpers';
import { configureSync, startSyncServer } from './sync-server';

async function expectContacts(page: Page, n: string) {
	await reopenUntil(
		page,
		'/contacts',
		() => expect(page.getByTestId('contacts-count')).toHaveText(n, { timeout: 5000 }),
		90_000
	);
}

test('the server restored to an empty database: both devices send back what it lost and converge', async ({
	browser
}) => {
	let server = await startSyncServer(8831);
	try {
		const a = await device(browser);
		const b = await device(browser);
		await configureSync(a, server.url);
		await importWithDefaults(a, writeNumberedCsv(30, 'restore-a.csv'));
		await expect(a.getByTestId('import-status')).toHaveText('Completed');
		await expect.poll(async () => (await server.stats()).contacts, { timeout: 60_000 }).toBe(30);
		await configureSync(b, server.url);
		await expectContacts(b, '30');

		// The backend comes back on a new, empty database at the same address.
		await server.stop();
		server = await startSyncServer(8831);
		expect((await server.stats()).contacts).toBe(0);

		await importWithDefaults(a, writeNumberedCsv(5, 'restore-a2.csv', 30));
		await expect(a.getByTestId('import-status')).toHaveText('Completed');
		await expect.poll(async () => (await server.stats()).contacts, { timeout: 90_000 }).toBe(35);
		await expectContacts(b, '35');
		await expectContacts(a, '35');
		await a.goto('/settings');
		await expect(a.getByTestId('sync-feed-restarted')).toContainText('found replaced');
		await expect(a.getByTestId('sync-status')).toHaveText('Synced', { timeout: 60_000 });
		// B sent back what it held too, and the server refused none of it.
		await b.goto('/settings');
		await expect(b.getByTestId('sync-feed-restarted')).toContainText('found replaced');
		await expect(b.getByTestId('sync-status')).toHaveText('Synced', { timeout: 60_000 });
	} finally {
		await server.stop();
	}
});
