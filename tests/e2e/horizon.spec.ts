/**
 * A device away longer than the backend keeps deletes: while B was offline, A deleted a contact
 * and the server compacted that delete away (`npm run server -- compact`, with a retention of a
 * few seconds). Back online, B is told its cursor is behind the horizon, starts over and sends
 * everything again; the server refuses the deleted contact's old copy, B removes it instead of
 * bringing it back, and Settings says what happened.
 */
import { expect, test } from '@playwright/test';
import { execFile } from 'node:child_process';
import { promisify } from 'node:util';
import { device, importWithDefaults, writeNumberedCsv } from './helpers';
import { configureSync, startSyncServer } from './sync-server';

/** About 2.6 s: a delete older than that is compacted. */
const TOMBSTONE_DAYS = '0.00003';

test('a device back after the horizon does not bring back a contact deleted meanwhile', async ({
	browser
}) => {
	const server = await startSyncServer(8861, undefined, { TOMBSTONE_DAYS });
	try {
		const a = await device(browser);
		const b = await device(browser);
		await configureSync(a, server.url);
		await importWithDefaults(a, writeNumberedCsv(3, 'horizon-a.csv'));
		await expect(a.getByTestId('import-status')).toHaveText('Completed');
		await expect.poll(async () => (await server.stats()).contacts, { timeout: 60_000 }).toBe(3);
		await configureSync(b, server.url);
		await b.getByRole('link', { name: 'Contacts' }).click();
		await expect(b.getByTestId('contacts-count')).toHaveText('3', { timeout: 30_000 });

		await b.context().setOffline(true);
		await a.goto('/contacts');
		await a.getByLabel('Search contacts').fill('First1 Last1');
		await a.getByRole('link', { name: 'First1 Last1' }).click();
		a.once('dialog', (d) => d.accept());
		await a.getByRole('button', { name: 'Delete' }).click();
		await expect(a).toHaveURL(/\/contacts$/);
		await expect.poll(async () => (await server.stats()).contacts, { timeout: 60_000 }).toBe(2);

		// The delete outlives the retention, and is compacted away.
		await new Promise((done) => setTimeout(done, 3500));
		const { stdout } = await promisify(execFile)(
			process.execPath,
			['--import', 'tsx', 'server/index.ts', 'compact'],
			{ env: { ...process.env, DATABASE_PATH: server.dbPath, TOMBSTONE_DAYS } }
		);
		expect(stdout).toMatch(/: 1 tombstones older than/);

		await b.context().setOffline(false);
		await expect(b.getByTestId('contacts-count')).toHaveText('2', { timeout: 60_000 });
		await expect(b.getByRole('link', { name: 'First1 Last1' })).toHaveCount(0);
		await b.getByRole('link', { name: 'Settings' }).click();
		await expect(b.getByTestId('sync-feed-restarted')).toContainText(
			'this device had been away longer than the backend keeps deleted contacts'
		);
		await expect(b.getByTestId('sync-status')).toHaveText('Synced', { timeout: 60_000 });
		expect((await server.stats()).contacts).toBe(2);
	} finally {
		await server.stop();
	}
});
