/**
 * After an import, in every engine: the contacts list and its count, search, a segment's live
 * count, and its export.
 */
import { describe, expect, it } from 'vitest';
import { enginesToTest } from './browsers';
import { useDevice } from './fixture';
import { waitFor } from './driver';
import {
	captureDownloads,
	importEnds,
	importUploaded,
	numberedCsv,
	savedText,
	upload
} from './app';

describe.each(enginesToTest())('%s', (engine) => {
	const ctx = useDevice(engine);

	it('lists, searches, counts a segment live and exports it', async () => {
		const { page } = ctx.device;
		await upload(page, numberedCsv(200));
		await importUploaded(page);
		await importEnds(page);

		await page.navigate('Contacts');
		await page.testId('contacts-count').waitForText('200');
		await page.role('link', 'First0 Last0').first();
		await page.label('Search contacts').fill('first17');
		await page.role('link', 'First17 Last17').first();
		await waitFor(
			async () => (await page.role('link', 'First2 Last2').count()) === 0,
			'the search to hide other contacts'
		);
		// A phone in another format finds its contact.
		await page.label('Search contacts').fill('(212) 200-0042');
		await page.role('link', 'First42 Last42').first();
		await page.testId('contacts-count').waitForText('200');

		await page.navigate('Segments');
		await page.role('button', 'New segment').click();
		await page.label('Segment name').fill('First1…');
		await page.label('Field').select('first_name');
		await page.label('Operator').select('starts_with');
		await page.label('Value').fill('First1');
		// First1, First10–19 and First100–199.
		await page.testId('segment-count').waitForText('111');
		await page.role('button', 'Save segment').click();
		await waitFor(async () => /^\/segments\/[\w-]+$/.test(await page.path()), "the segment's page");
		await captureDownloads(page);
		await page.role('button', 'Export CSV').click();
		const csv = (await savedText(page)).trim().split(/\r?\n/);
		expect(csv).toHaveLength(112);
		expect(csv[0]).toMatch(/^phone,first_name,last_name/);
		expect(csv.slice(1).every((line) => /,First1\d*,/.test(line))).toBe(true);
	});
});
