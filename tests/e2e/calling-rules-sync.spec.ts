/**
 * The workspace's calling rules on a team: two browser profiles (two devices) on one real server.
 * The calling hours an owner sets and the do-not-call numbers added on any device reach every
 * device; a member's device shows the hours read-only and cannot clear the list; an owner's
 * clear empties every copy.
 */
import { expect, test, type Page } from '@playwright/test';
import { device, next, reopenUntil, upload, writeCsv } from './helpers';
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

test('an owner column’s names are suggested as the team’s members, on a member’s device too', async ({
	browser
}) => {
	const server = await startSyncServer(8872);
	try {
		const headers = {
			Authorization: `Bearer ${SYNC_TOKEN}`,
			'Content-Type': 'application/json'
		};
		const add = async (name: string) =>
			(
				(await (
					await fetch(`${server.url}/v1/members`, {
						method: 'POST',
						headers,
						body: JSON.stringify({ name, role: 'member' })
					})
				).json()) as { token: string }
			).token;
		const token = await add('ana.ruiz@acme.com');
		await add('Ben Okafor');
		const member = await device(browser);
		await configureSync(member, server.url, token);
		await expect(member.getByTestId('sync-status')).toHaveText('Synced');

		const path = writeCsv('owners.csv', [
			'Phone,First Name,Owner',
			'+1 212 555 0100,Cy,Ana Ruiz',
			'+1 212 555 0101,Dee,ana ruiz',
			'+1 212 555 0102,Eli,ben okafor',
			'+1 212 555 0103,Fay,Zoe'
		]);
		await upload(member, path);
		await next(member, 'Map columns');
		await expect(member.getByLabel('Owner', { exact: true })).toHaveValue('owner');
		await next(member, 'Review');
		await member.getByText('Map values of Owner').click();
		const value = (v: string) => member.getByLabel(`Value ${v} of Owner`, { exact: true });
		await expect(value('Ana Ruiz')).toHaveValue('ana.ruiz@acme.com');
		await expect(value('ana ruiz')).toHaveValue('ana.ruiz@acme.com');
		await expect(value('ben okafor')).toHaveValue('Ben Okafor');
		// Nobody of the team is called Zoe: the value stays as written.
		await expect(value('Zoe')).toHaveValue('Zoe');
		await member.getByRole('button', { name: 'Apply value mapping' }).click();
		await expect(member.getByText('Values of “Owner” mapped:')).toBeVisible();
		await next(member, 'Import');
		await member.getByRole('button', { name: 'Start import' }).click();
		await expect(member.getByTestId('import-status')).toHaveText('Completed');
		await member.goto('/contacts');
		await member.getByLabel('Search contacts').fill('Dee');
		await member.getByRole('link', { name: 'Dee' }).click();
		await expect(member.locator('dt:text-is("Owner") + dd')).toHaveText('ana.ruiz@acme.com');
	} finally {
		await server.stop();
	}
});
