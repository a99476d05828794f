/**
 * The reference sync backend for end-to-end tests: a real process (`server/index.ts`), and a
 * fault-injecting HTTP proxy in front of it.
 */
import { expect, type Page } from '@playwright/test';
import { spawn, type ChildProcess } from 'node:child_process';
import { createServer, request, type Server } from 'node:http';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

export const SYNC_TOKEN = 'e2e-sync-token';
/** Lets a test create workspaces (`POST /v1/workspaces`). */
export const ADMIN_TOKEN = 'e2e-admin-token';

/** Turns sync on in Settings with the backend's URL and a token. */
export async function configureSync(page: Page, url: string, token = SYNC_TOKEN) {
	await page.goto('/settings');
	await page.getByLabel('Backend URL').fill(url);
	await page.getByLabel('API token').fill(token);
	await page.getByRole('button', { name: 'Save sync settings' }).click();
	const enabled = page.getByRole('checkbox', { name: 'Sync enabled' });
	if (!(await enabled.isChecked())) await enabled.check();
	await expect(page.getByTestId('sync-status')).not.toHaveText('Off');
}

export interface SyncServer {
	url: string;
	port: number;
	dbPath: string;
	stop(): Promise<void>;
	stats(): Promise<{ contacts: number; batches: number }>;
}

/** Starts the backend on `port` with a database at `dbPath` (a new one by default) and `env`. */
export async function startSyncServer(
	port: number,
	dbPath = join(mkdtempSync(join(tmpdir(), 'callaro-sync-')), 'sync.db'),
	env: Record<string, string> = {}
): Promise<SyncServer> {
	const child: ChildProcess = spawn(process.execPath, ['--import', 'tsx', 'server/index.ts'], {
		env: {
			...process.env,
			...env,
			PORT: String(port),
			SYNC_TOKEN,
			ADMIN_TOKEN,
			DATABASE_PATH: dbPath
		},
		stdio: ['ignore', 'pipe', 'inherit']
	});
	await new Promise<void>((resolve, reject) => {
		const timer = setTimeout(() => reject(new Error('sync server did not start')), 20_000);
		child.stdout!.on('data', (d: Buffer) => {
			if (d.toString().includes('listening')) {
				clearTimeout(timer);
				resolve();
			}
		});
		child.on('exit', (code) => reject(new Error(`sync server exited with ${code}`)));
	});
	const url = `http://localhost:${port}`;
	return {
		url,
		port,
		dbPath,
		async stop() {
			const exited = new Promise((r) => child.once('exit', r));
			child.kill('SIGKILL');
			await exited;
		},
		async stats() {
			const res = await fetch(`${url}/v1/stats`, {
				headers: { Authorization: `Bearer ${SYNC_TOKEN}` }
			});
			return (await res.json()) as { contacts: number; batches: number };
		}
	};
}

export interface FaultCounts {
	'503': number;
	'429': number;
	'dropped before': number;
	'dropped after': number;
	forwarded: number;
}

/**
 * A proxy to `target` that, for POST batches, answers 503, answers 429 with Retry-After, drops the
 * connection before forwarding, or forwards and then drops the connection (the batch is applied
 * but its answer is lost), in a fixed rotation so every case happens.
 */
export function startFaultProxy(
	port: number,
	target: number
): Promise<{ server: Server; counts: FaultCounts }> {
	const counts: FaultCounts = {
		'503': 0,
		'429': 0,
		'dropped before': 0,
		'dropped after': 0,
		forwarded: 0
	};
	let n = 0;
	const server = createServer((req, res) => {
		const chunks: Buffer[] = [];
		req.on('data', (c) => chunks.push(c));
		req.on('end', () => {
			const isBatch = req.method === 'POST' && req.url?.startsWith('/v1/contacts/batches');
			const turn = isBatch ? n++ % 6 : 5;
			const cors = {
				'Access-Control-Allow-Origin': '*',
				'Access-Control-Expose-Headers': 'Retry-After'
			};
			if (turn === 0) {
				counts['503']++;
				res.writeHead(503, { ...cors, 'Content-Type': 'application/json' }).end('{"error":"busy"}');
				return;
			}
			if (turn === 1) {
				counts['429']++;
				res
					.writeHead(429, { ...cors, 'Retry-After': '1', 'Content-Type': 'application/json' })
					.end('{"error":"slow down"}');
				return;
			}
			if (turn === 2) {
				counts['dropped before']++;
				req.socket.destroy();
				return;
			}
			const upstream = request(
				{
					host: '127.0.0.1',
					port: target,
					path: req.url,
					method: req.method,
					headers: req.headers
				},
				(up) => {
					const body: Buffer[] = [];
					up.on('data', (c) => body.push(c));
					up.on('end', () => {
						if (turn === 3) {
							counts['dropped after']++;
							req.socket.destroy();
							return;
						}
						counts.forwarded++;
						res.writeHead(up.statusCode ?? 502, up.headers).end(Buffer.concat(body));
					});
				}
			);
			upstream.on('error', () => req.socket.destroy());
			upstream.end(Buffer.concat(chunks));
		});
	});
	return new Promise((resolve) =>
		server.listen(port, '127.0.0.1', () => resolve({ server, counts }))
	);
}
