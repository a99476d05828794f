/**
 * The server as a process: start-up errors, a private database file, durable settings, and
 * acknowledged batches that survive the process being killed right after it answered.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtempSync, rmSync, statSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import Database from 'better-sqlite3';
import { openSqliteStore } from './sqlite-store';

const TOKEN = 'process-spec-token';
const dirs: string[] = [];
const tempDir = () => {
	const dir = mkdtempSync(join(tmpdir(), 'callaro-server-'));
	dirs.push(dir);
	return dir;
};
afterAll(() => dirs.forEach((d) => rmSync(d, { recursive: true, force: true })));

const freePort = () =>
	new Promise<number>((resolve) => {
		const probe = createServer().listen(0, '127.0.0.1', () => {
			const { port } = probe.address() as { port: number };
			probe.close(() => resolve(port));
		});
	});

/** Runs `server/index.ts`; resolves once it listens, or with its exit and output if it ends. */
function start(env: Record<string, string>) {
	const child: ChildProcess = spawn(process.execPath, ['--import', 'tsx', 'server/index.ts'], {
		env: { ...process.env, SYNC_TOKEN: TOKEN, ...env },
		stdio: ['ignore', 'pipe', 'pipe']
	});
	let out = '';
	let err = '';
	child.stdout!.on('data', (d: Buffer) => (out += d.toString()));
	child.stderr!.on('data', (d: Buffer) => (err += d.toString()));
	const ready = new Promise<{ listening: boolean; code: number | null; out: string; err: string }>(
		(resolve) => {
			child.stdout!.on('data', () => {
				if (out.includes('listening')) resolve({ listening: true, code: null, out, err });
			});
			child.on('exit', (code) => resolve({ listening: false, code, out, err }));
		}
	);
	return { child, ready };
}

describe('server process', () => {
	it('names the database path when it cannot be opened, with no stack trace', async () => {
		const { ready } = start({
			PORT: String(await freePort()),
			DATABASE_PATH: '/etc/hostname/x.db'
		});
		const result = await ready;
		expect(result.listening).toBe(false);
		expect(result.code).toBe(1);
		expect(result.err).toMatch(
			/cannot start: the database at \/etc\/hostname\/x\.db cannot be opened/
		);
		expect(result.err).toMatch(/Set DATABASE_PATH/);
		expect(result.err).not.toMatch(/\n\s+at /);
	});

	it('keeps its database private (0600) and commits with synchronous = FULL', async () => {
		const path = join(tempDir(), 'nested', 'sync.db');
		const store = openSqliteStore(path);
		await store.stats();
		expect(statSync(path).mode & 0o777).toBe(0o600);
		expect(statSync(`${path}-wal`).mode & 0o777).toBe(0o600);
		expect(statSync(join(path, '..')).mode & 0o777).toBe(0o700);
		expect(store.durability()).toEqual({ journalMode: 'wal', synchronous: 2 });
		await store.close();
	});

	it('still has every acknowledged batch after being killed right after each answer', async () => {
		const path = join(tempDir(), 'sync.db');
		const port = await freePort();
		const base = `http://127.0.0.1:${port}`;
		const headers = { Authorization: `Bearer ${TOKEN}`, 'Content-Type': 'application/json' };
		const acked: string[] = [];
		for (let round = 0; round < 8; round++) {
			const { child, ready } = start({ PORT: String(port), DATABASE_PATH: path });
			expect((await ready).listening).toBe(true);
			// Everything acknowledged before is there, and a replay is answered from the record.
			const listed = await (await fetch(`${base}/v1/contacts?limit=1000`, { headers })).json();
			expect(listed.contacts.map((c: { phone: string }) => c.phone)).toEqual(acked);
			const phones = Array.from(
				{ length: 50 },
				(_, i) => `+1212${200 + round}${String(i).padStart(4, '0')}`
			);
			const res = await fetch(`${base}/v1/contacts/batches`, {
				method: 'POST',
				headers: { ...headers, 'Idempotency-Key': `b${round}` },
				body: JSON.stringify({
					batchId: `b${round}`,
					importId: 'i',
					contacts: phones.map((phone) => ({ phone, firstName: 'K' }))
				})
			});
			// Killed the moment the answer arrives: no chance to flush anything afterwards.
			child.kill('SIGKILL');
			expect(res.status).toBe(200);
			acked.push(...phones);
			await new Promise((r) => child.once('exit', r));
		}
		const { child, ready } = start({ PORT: String(port), DATABASE_PATH: path });
		expect((await ready).listening).toBe(true);
		const replay = await fetch(`${base}/v1/contacts/batches`, {
			method: 'POST',
			headers: { ...headers, 'Idempotency-Key': 'b0' },
			body: JSON.stringify({
				batchId: 'b0',
				importId: 'i',
				contacts: Array.from({ length: 50 }, (_, i) => ({
					phone: `+1212200${String(i).padStart(4, '0')}`,
					firstName: 'K'
				}))
			})
		});
		expect(replay.headers.get('Idempotent-Replayed')).toBe('true');
		expect(await (await fetch(`${base}/v1/stats`, { headers })).json()).toEqual({
			contacts: 400,
			batches: 8
		});
		child.kill('SIGKILL');
	}, 120_000);

	it('upgrades a database written by the previous release, keeping its contacts and batches', async () => {
		const path = join(tempDir(), 'old.db');
		const old = new Database(path);
		old.exec(`
			CREATE TABLE contacts (phone TEXT PRIMARY KEY, data TEXT NOT NULL, import_id TEXT NOT NULL, updated_at INTEGER NOT NULL);
			CREATE TABLE batches (idempotency_key TEXT PRIMARY KEY, request_hash TEXT NOT NULL, status INTEGER NOT NULL, body TEXT NOT NULL, created_at INTEGER NOT NULL);
			CREATE TABLE custom_fields (key TEXT PRIMARY KEY, label TEXT NOT NULL, type TEXT NOT NULL, updated_at INTEGER NOT NULL);
			INSERT INTO contacts VALUES ('+14155550101', '{"phone":"+14155550101","firstName":"Old","tags":[],"custom":{}}', 'i', 1);
			INSERT INTO batches VALUES ('k', 'h', 200, '{"accepted":1}', 1);
		`);
		old.close();
		const store = openSqliteStore(path);
		expect(await store.stats()).toEqual({ contacts: 1, batches: 1 });
		// Rows stored before the change feed are numbered into it, so a first pull gets them.
		expect(await store.listChanges(0, 10)).toEqual({
			changes: [
				{
					seq: 1,
					op: 'upsert',
					phone: '+14155550101',
					at: 0,
					deviceId: '',
					contact: { phone: '+14155550101', firstName: 'Old', tags: [], custom: {} }
				}
			],
			remaining: 0
		});
		expect(await store.listContacts(10, '')).toEqual([
			{ phone: '+14155550101', firstName: 'Old', tags: [], custom: {} }
		]);
		// Any new write is newer than a contact stored before versions were kept.
		await store.applyBatch(
			'k2',
			'h2',
			{ batchId: 'b', importId: 'i', deviceId: 'd', contacts: [], deletes: [] },
			[
				{ contact: { phone: '+14155550101', firstName: 'New', tags: [], custom: {}, updatedAt: 1 } }
			],
			[]
		);
		expect(await store.listContacts(10, '')).toMatchObject([{ firstName: 'New' }]);
		expect((await store.listChanges(1, 10)).changes).toMatchObject([{ seq: 2, at: 1 }]);
		await store.close();
		// Opening again applies nothing twice.
		await openSqliteStore(path).close();
	});
});
