/**
 * A change this device cannot read (a newer server, a damaged row) is skipped and listed in
 * Settings with its phone and reason, and the rest of the pull arrives.
 */
import { expect, test } from '@playwright/test';
import { createServer, request } from 'node:http';
import { BASE, importWithDefaults, writeNumberedCsv } from './helpers';
import { configureSync, startSyncServer } from './sync-server';

/** A proxy to `target` that garbles the version (`at`) of `phone`'s change in feed pages. */
function garblingProxy(port: number, target: number, phone: string) {
	const server = createServer((req, res) => {
		const upstream = request(
			{ host: '127.0.0.1', port: target, path: req.url, method: req.method, headers: req.headers },
			(up) => {
				const chunks: Buffer[] = [];
				up.on('data', (c: Buffer) => chunks.push(c));
				up.on('end', () => {
					let body = Buffer.concat(chunks);
					if (req.url?.startsWith('/v1/changes') && up.statusCode === 200) {
						const page = JSON.parse(body.toString()) as {
							changes: { phone: string; at: unknown }[];
						};
						for (const c of page.changes) if (c.phone === phone) c.at = 'yesterday';
						body = Buffer.from(JSON.stringify(page));
					}
					const headers = { ...up.headers, 'content-length': String(body.length) };
					delete headers['transfer-encoding'];
					res.writeHead(up.statusCode ?? 502, headers).end(body);
				});
			}
		);
		upstream.on('error', () => res.destroy());
		req.pipe(upstream);
	});
	return new Promise<typeof server>((resolve) =>
		server.listen(port, '127.0.0.1', () => resolve(server))
	);
}

test('an unreadable change is skipped and listed with its phone and reason; the rest arrives', async ({
	browser
}) => {
	const server = await startSyncServer(8841);
	const proxy = await garblingProxy(8842, 8841, '+12122000002');
	try {
		const a = await (await browser.newContext({ baseURL: BASE })).newPage();
		await configureSync(a, server.url);
		await importWithDefaults(a, writeNumberedCsv(5, 'skipped.csv'));
		await expect(a.getByTestId('import-status')).toHaveText('Completed');
		await expect.poll(async () => (await server.stats()).contacts, { timeout: 60_000 }).toBe(5);

		const b = await (await browser.newContext({ baseURL: BASE })).newPage();
		await configureSync(b, 'http://localhost:8842');
		await expect(b.getByTestId('sync-skipped')).toContainText('+12122000002', { timeout: 60_000 });
		await expect(b.getByTestId('sync-skipped')).toContainText('could not be read');
		await expect(b.getByTestId('sync-status')).toHaveText('Synced');
		await b.goto('/contacts');
		await expect(b.getByTestId('contacts-count')).toHaveText('4', { timeout: 30_000 });
	} finally {
		proxy.close();
		await server.stop();
	}
});
