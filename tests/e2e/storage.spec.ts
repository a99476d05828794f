import { expect, test } from '@playwright/test';
import { importWithDefaults, writeNumberedCsv } from './helpers';

test('Settings shows whether storage is persistent, what Chromium does otherwise, and asks when told', async ({
	page
}) => {
	await page.goto('/settings');
	const section = page.locator('section').filter({
		has: page.getByRole('heading', { name: 'Storage on this device' })
	});
	await expect(section.getByTestId('storage-persisted')).toHaveText(
		/^(Persistent|Not persistent \(best effort\))$/
	);
	await expect(section).toContainText(
		'Chrome, Edge and other Chromium browsers decide by themselves'
	);
	const ask = section.getByRole('button', { name: 'Keep data on this device' });
	// The control is there exactly when the storage is not persistent yet.
	const persistent =
		(await section.getByTestId('storage-persisted').textContent()) === 'Persistent';
	await expect(ask).toHaveCount(persistent ? 0 : 1);
	if (!persistent) {
		await ask.click();
		// Whatever the browser answers, the page says it and goes on.
		await expect(section.getByRole('status')).toHaveText(
			/keeps the app’s data until you delete it|did not make the storage persistent/
		);
	}
});

test('a database the browser deleted is reported on the next start, not shown as an empty history', async ({
	page
}) => {
	await importWithDefaults(page, writeNumberedCsv(12, 'evicted.csv'));
	await expect(page.getByTestId('import-status')).toHaveText('Completed');
	// What an eviction does: the database goes, the page's localStorage stays.
	const deleted = await page.evaluate(
		() =>
			new Promise<string>((resolve) => {
				const request = indexedDB.deleteDatabase('callaro-import');
				request.onsuccess = () => resolve('deleted');
				request.onerror = () => resolve(`error: ${request.error}`);
			})
	);
	expect(deleted).toBe('deleted');
	await page.goto('/imports');
	await expect(
		page.getByRole('alert').filter({ hasText: 'Stored data was deleted by the browser' })
	).toContainText(
		'This browser deleted the data this app kept on this device since your last visit'
	);
	await expect(page.getByRole('table', { name: 'Import history' })).toContainText(
		'No imports yet.'
	);
	// Said once: the next start has a database of its own again.
	await page.reload();
	await expect(page.getByRole('table', { name: 'Import history' })).toBeVisible();
	await page.waitForTimeout(1000);
	await expect(page.getByRole('alert').filter({ hasText: 'Stored data was deleted' })).toHaveCount(
		0
	);
});

test('storage that never answers is said on the next start, and the app answers again once it does', async ({
	context,
	page
}) => {
	test.setTimeout(90_000);
	await page.goto('/contacts');
	await expect(page.getByTestId('contacts-count')).toHaveText('0');
	// Another tab holds the settings store with a transaction that never ends, as WebKit leaves
	// the transaction of a worker ended mid-write.
	const holder = await context.newPage();
	await holder.goto('/imports');
	await holder.evaluate(
		() =>
			new Promise<void>((resolve) => {
				const open = indexedDB.open('callaro-import');
				open.onsuccess = () => {
					const store = open.result.transaction('settings', 'readwrite').objectStore('settings');
					const spin = () => {
						if ((window as { holding?: boolean }).holding === false) return;
						store.get('nothing').onsuccess = spin;
					};
					spin();
					resolve();
				};
			})
	);
	await page.reload();
	await expect(
		page.getByRole('alert').filter({ hasText: 'Checking the data stored on this device' })
	).toContainText("The browser's storage for this app is not answering", { timeout: 40_000 });
	// The lock ends (here the tab lets go; in WebKit, quitting the browser): the next start reads.
	await holder.evaluate(() => ((window as { holding?: boolean }).holding = false));
	await page.reload();
	await expect(page.getByTestId('contacts-count')).toHaveText('0');
	await page.waitForTimeout(1000);
	await expect(page.getByRole('alert').filter({ hasText: 'not answering' })).toHaveCount(0);
});
