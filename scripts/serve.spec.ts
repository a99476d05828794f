import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { freePort } from './free-port.js';

describe('scripts/serve.js', () => {
	let dir: string;
	let server: ChildProcess;
	let base: string;

	beforeAll(async () => {
		dir = mkdtempSync(join(tmpdir(), 'callaro-serve-'));
		writeFileSync(join(dir, 'index.html'), '<!doctype html><title>app</title>');
		writeFileSync(join(dir, 'hello world.txt'), 'hi');
		const port = await freePort();
		base = `http://127.0.0.1:${port}`;
		server = spawn(process.execPath, ['scripts/serve.js', '--port', String(port), '--dir', dir]);
		await new Promise<void>((resolve, reject) => {
			server.stdout!.on('data', (d: Buffer) => {
				if (d.toString().includes('running at')) resolve();
			});
			server.on('exit', (code) => reject(new Error(`serve.js exited with ${code}`)));
		});
	});

	afterAll(() => {
		server.kill();
		rmSync(dir, { recursive: true, force: true });
	});

	it('answers a malformed percent-escape with a 400 and keeps serving', async () => {
		const bad = await fetch(`${base}/%E0%A4%A`);
		expect(bad.status).toBe(400);
		expect(server.exitCode).toBeNull();
		const ok = await fetch(`${base}/contacts`);
		expect(ok.status).toBe(200);
		expect(await ok.text()).toContain('<title>app</title>');
	});

	it('serves files by their decoded name and never outside its folder', async () => {
		expect(await (await fetch(`${base}/hello%20world.txt`)).text()).toBe('hi');
		const escape = await fetch(`${base}/%2e%2e/%2e%2e/etc/passwd`);
		expect(await escape.text()).toContain('<title>app</title>');
	});
});
