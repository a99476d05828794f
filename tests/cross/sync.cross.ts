/**
 * Settings and sync in every engine against the real backend, and two devices in different
 * engines (Firefox and WebKit) converging on one server.
 */
import { afterAll, beforeAll, describe, it } from 'vitest';
import { enginesToTest, type Engine } from './browsers';
import { waitFor } from './driver';
import {
	configureSync,
	importEnds,
	importUploaded,
	numberedCsv,
	openDevice,
	serveApp,
	startSyncServer,
	upload,
	type Served,
	type SyncServer
} from './app';

let app: Served;
let server: SyncServer;
beforeAll(async () => {
	app = await serveApp();
	server = await startSyncServer();
});
afterAll(async () => {
	await server?.stop();
	await app?.stop();
});

describe.each(enginesToTest())('%s', (engine) => {
	it('settings: the storage, a default country, and sync pushing an import', async () => {
		const device = await openDevice(engine, app.origin);
		try {
			const { page } = device;
			await page.goto('/settings');
			await page.testId('storage-persisted').waitForText(/Persistent|Not persistent|Unknown/);
			await page.label('Default country').select('GB');
			await page.text('Numbers without a country code are now read as GB numbers.').first();
			await configureSync(page, server.url);
			const before = (await server.stats()).contacts;
			await upload(
				page,
				numberedCsv(300, 10_000 * ['chromium', 'firefox', 'webkit'].indexOf(engine))
			);
			await importUploaded(page);
			await importEnds(page);
			await waitFor(
				async () => (await server.stats()).contacts === before + 300,
				'the import to reach the server',
				60_000
			);
		} finally {
			await device.close();
		}
	});
});

const pair = (['firefox', 'webkit'] as Engine[]).filter((e) => enginesToTest().includes(e));
describe.runIf(pair.length === 2)('firefox and webkit on one server', () => {
	it('an import on one shows on the other, an edit and a delete come back', async () => {
		const own = await startSyncServer();
		const a = await openDevice('firefox', app.origin);
		const b = await openDevice('webkit', app.origin);
		try {
			await configureSync(a.page, own.url);
			await configureSync(b.page, own.url);
			await upload(a.page, numberedCsv(500, 50_000, 'team.csv'));
			await importUploaded(a.page);
			await importEnds(a.page);
			await waitFor(async () => (await own.stats()).contacts === 500, 'the push', 60_000);

			// B pulls it (the live channel tells it), and its list shows it.
			await b.page.navigate('Contacts');
			await b.page.testId('contacts-count').waitForText('500', 90_000);
			await b.page.label('Search contacts').fill('first50007');
			await b.page.role('link', 'First50007 Last50007').click();
			await b.page.role('button', 'Edit').click();
			await b.page.label('Company').fill('Edited on WebKit');
			await b.page.role('button', 'Save contact').click();
			await b.page.text('Edited on WebKit').first();

			// A sees B's edit, then deletes the contact; B loses it.
			await waitFor(
				async () => {
					await a.page.goto('/contacts');
					await a.page.label('Search contacts').fill('first50007');
					await a.page.role('link', 'First50007 Last50007').click();
					return a.page.text('Edited on WebKit').isVisible();
				},
				"B's edit on Firefox",
				90_000
			);
			await a.page.role('button', 'Delete').click();
			await waitFor(
				async () => (await own.stats()).contacts === 499,
				'the delete to reach the server',
				60_000
			);
			await b.page.navigate('Contacts');
			await b.page.testId('contacts-count').waitForText('499', 90_000);
			await b.page.label('Search contacts').fill('first50007');
			await waitFor(
				async () => (await b.page.role('link', 'First50007 Last50007').count()) === 0,
				'the deleted contact to be gone on WebKit'
			);
		} finally {
			await a.close();
			await b.close();
			await own.stop();
		}
	});
});
