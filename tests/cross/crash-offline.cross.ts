/**
 * Reliability in every engine: an import survives the browser being killed mid-write and ends
 * with exactly the file's contacts; after one visit the app works with the server gone.
 */
import { describe, expect, it } from 'vitest';
import { enginesToTest } from './browsers';
import { useDevice } from './fixture';
import { waitFor } from './driver';
import { importEnds, importUploaded, numberedCsv, upload } from './app';

describe.each(enginesToTest())('%s', (engine) => {
	const ctx = useDevice(engine);

	it('a job resumes after the browser is killed (WebKit: its tab closed) mid-import, with the exact contact count', async () => {
		const rows = 60_000;
		const { page } = ctx.device;
		await upload(page, numberedCsv(rows, 0, 'crash.csv'));
		const jobPath = await importUploaded(page);
		await waitFor(
			async () => (await page.testId('import-imported').number()) >= 4000,
			'the first batches to commit',
			60_000
		);
		await ctx.device.crashAndReopen();
		await page.goto(jobPath);
		await importEnds(page, 240_000);
		expect(await page.testId('import-imported').number()).toBe(rows);
		await page.goto('/contacts');
		await page.testId('contacts-count').waitForText(rows.toLocaleString('en-US'), 60_000);
	});

	it('after one visit, the app opens and imports with the server gone', async () => {
		const { page } = ctx.device;
		await page.goto('/');
		await waitFor(
			() => page.run<boolean>('return !!navigator.serviceWorker?.controller'),
			'the service worker to control the page',
			60_000
		);
		await ctx.app.stop();
		try {
			await page.goto('/import');
			await page.heading('Upload');
			await upload(page, numberedCsv(25, 900_000, 'offline.csv'));
			await importUploaded(page);
			await importEnds(page);
			expect(await page.testId('import-imported').number()).toBe(25);
		} finally {
			await ctx.app.start();
		}
	});
});
