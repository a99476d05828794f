/**
 * The workspace's calling rules on a team: two browser profiles (two devices) on one real server.
 * The calling hours an owner sets and the do-not-call numbers added on any device reach every
 * device; a member's device shows the hours read-only and cannot clear the list; an owner's
 * clear empties every copy.
 */
import { expect, test, type Page } from '@playwright/test';
import { device, reopenUntil, writeCsv } from './helpers';
import { configureSync, startSyncServer, SYNC_TOKEN } from './sync-server';

/** Reopens Settings (a start of the app: it syncs) until `check` passes. */
const onSettings = (page: Page, check: () => Promise<void>) =>
	reopenUntil(page, '/settings', check, 60_000);

test('calling hours and do-not-call numbers reach every device; only owners change the hours or clear the list', async ({
	browser
}) => {
	const server = await startSyncServer(8871);
	try {
		const owner = await device(browser);
		await configureSync(owner, server.url);
		await owner.goto('/settings');
		await owner.getByLabel('Calling hours from').fill('09:30');
		await owner.getByLabel('Calling hours from').blur();
		await expect(
			owner.getByRole('status').filter({ hasText: 'Calling hours saved' })
		).toContainText('09:30–21:00');
		await owner
			.getByLabel('Do-not-call file')
			.setInputFiles(writeCsv('dnc.txt', ['+1 415-555-0100', '(212) 555-0101']));
		await expect(owner.getByTestId('dnc-count')).toHaveText('2');
		// On the server: the hours and both numbers, sent by the drain the change started.
		const headers = { Authorization: `Bearer ${SYNC_TOKEN}` };
		await expect
			.poll(
				async () => (await (await fetch(`${server.url}/v1/do-not-call`, { headers })).json()).count
			)
			.toBe(2);
		expect(await (await fetch(`${server.url}/v1/calling-hours`, { headers })).json()).toMatchObject(
			{
				from: '09:30',
				to: '21:00'
			}
		);

		// A member of the workspace, on another device.
		const made = await fetch(`${server.url}/v1/members`, {
			method: 'POST',
			headers: { ...headers, 'Content-Type': 'application/json' },
			body: JSON.stringify({ name: 'Agent', role: 'member' })
		});
		const { token } = (await made.json()) as { token: string };
		const member = await device(browser);
		await configureSync(member, server.url, token);
		await onSettings(member, async () => {
			await expect(member.getByTestId('dnc-count')).toHaveText('2', { timeout: 3000 });
			await expect(member.getByLabel('Calling hours from')).toHaveValue('09:30');
		});
		await expect(member.getByLabel('Calling hours from')).toBeDisabled();
		await expect(member.getByText("The workspace's owners set the calling hours.")).toBeVisible();
		await expect(member.getByRole('button', { name: 'Clear do-not-call list' })).toHaveCount(0);
		// The member adds a number: it reaches the owner's device.
		await member
			.getByLabel('Do-not-call file')
			.setInputFiles(writeCsv('more.csv', ['phone', '+1 646 555 0102']));
		await expect(member.getByTestId('dnc-count')).toHaveText('3');
		await onSettings(owner, async () => {
			await expect(owner.getByTestId('dnc-count')).toHaveText('3', { timeout: 3000 });
		});

		// The owner clears the list: every copy empties.
		owner.once('dialog', (d) => d.accept());
		await owner.getByRole('button', { name: 'Clear do-not-call list' }).click();
		await expect(owner.getByTestId('dnc-count')).toHaveText('0');
		await onSettings(member, async () => {
			await expect(member.getByTestId('dnc-count')).toHaveText('0', { timeout: 3000 });
		});
	} finally {
		await server.stop();
	}
});
