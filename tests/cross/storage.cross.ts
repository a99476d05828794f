/**
 * The device's storage in every engine: Settings says whether it is persistent and what the
 * engine does otherwise, and a database the browser deleted is reported on the next start
 * instead of an empty history shown as if nothing happened.
 */
import { describe, expect, it } from 'vitest';
import { enginesToTest } from './browsers';
import { useDevice } from './fixture';
import { waitFor } from './driver';
import { importEnds, importUploaded, numberedCsv, upload } from './app';

const RULE = { chromium: 'Chrome, Edge', firefox: 'Firefox asks', webkit: 'Safari deletes' };

describe.each(enginesToTest())('%s', (engine) => {
	const ctx = useDevice(engine);

	it("Settings shows the storage's persistence and the engine's rule", async () => {
		const { page } = ctx.device;
		await page.goto('/settings');
		await page.testId('storage-persisted').waitForText(/^(Persistent|Not persistent|Unknown)/);
		await page.text(RULE[engine], { prefix: true }).first();
		// WebKitGTK stalls this origin's IndexedDB for minutes when the page leaves Settings at
		// once (the next review or import makes no progress); a person reads the page first.
		// Open: the README's engine table says what is known of it.
		await new Promise((r) => setTimeout(r, 3000));
	});

	// The eviction is simulated by deleting the database from the page, which WebKitGTK's
	// automation session does not do while the app's workers hold it open: WebKit is left out of
	// this case until a way to evict its storage from outside is wired in.
	if (engine !== 'webkit')
		it('a database deleted by the browser is reported on the next start', async () => {
			const { page } = ctx.device;
			await upload(page, numberedCsv(10, 700_000, 'evicted.csv'));
			await importUploaded(page);
			await importEnds(page);
			// What an eviction does: the database goes while the page's localStorage stays.
			await page.goto('/imports');
			const deleted = await page.run<string>(`
			return await new Promise((resolve) => {
				const request = indexedDB.deleteDatabase('callaro-import');
				request.onsuccess = () => resolve('deleted');
				request.onerror = () => resolve('error: ' + request.error);
			});`);
			expect(deleted).toBe('deleted');
			await page.goto('/imports');
			await page.text('Stored data was deleted by the browser:').first(30_000);
			await waitFor(
				async () => (await page.role('link', 'evicted.csv', { prefix: true }).count()) === 0,
				'the history to be empty'
			);
			// Said once: the next start has a database of its own again.
			await page.goto('/imports');
			await page
				.role('table', 'Import history')
				.first()
				.catch(() => undefined);
			expect(await page.text('Stored data was deleted by the browser:').count()).toBe(0);
		});
});
