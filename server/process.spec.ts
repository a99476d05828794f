/**
 * The server as a process: start-up errors, a private database file, durable settings, and
 * acknowledged batches that survive the process being killed right after it answered; and, when
 * the run has PostgreSQL, several processes on one database (migrations once, each key applied
 * once, a change feed in commit order) and the PostgreSQL migrations.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtempSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, afterEach, describe, expect, it } from 'vitest';
import Database from 'better-sqlite3';
import pg from 'pg';
import { createPool, migratePg, openPgStore } from './pg-store';
import { SCHEMA } from './schema';
import { openSqliteStore } from './sqlite-store';
import { pgAdminUrl, scratchDatabase } from './test-postgres';
import type { Change } from '../src/lib/protocol/sync';
import { freePort } from '../scripts/free-port.js';

const TOKEN = 'process-spec-token';
const dirs: string[] = [];
const tempDir = () => {
	const dir = mkdtempSync(join(tmpdir(), 'callaro-server-'));
	dirs.push(dir);
	return dir;
};
afterAll(() => dirs.forEach((d) => rmSync(d, { recursive: true, force: true })));

/** Runs `server/index.ts` with `args` to its exit: its code and output. */
function runCli(args: string[], env: Record<string, string>) {
	const child = spawn(process.execPath, ['--import', 'tsx', 'server/index.ts', ...args], {
		env: { ...process.env, SYNC_TOKEN: '', ADMIN_TOKEN: '', ...env },
		stdio: ['ignore', 'pipe', 'pipe']
	});
	let out = '';
	let err = '';
	child.stdout.on('data', (d: Buffer) => (out += d.toString()));
	child.stderr.on('data', (d: Buffer) => (err += d.toString()));
	return new Promise<{ code: number | null; out: string; err: string }>((resolve) =>
		child.on('exit', (code) => resolve({ code, out, err }))
	);
}

/** The id and owner token `workspace create` printed. */
function created(out: string): { workspaceId: string; ownerToken: string } {
	const workspaceId = /^workspaceId: (\S+)$/m.exec(out)?.[1];
	const ownerToken = /^ownerToken: (\S+)$/m.exec(out)?.[1];
	expect(workspaceId, out).toMatch(/^ws_/);
	expect(ownerToken, out).toMatch(/^[\w-]{43}$/);
	return { workspaceId: workspaceId!, ownerToken: ownerToken! };
}

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

	it('names the PostgreSQL host, port and database when it cannot connect, never the password', async () => {
		const port = await freePort();
		const { ready } = start({
			PORT: String(await freePort()),
			DATABASE_URL: `postgres://sync:pa55word-XYZ@127.0.0.1:${port}/callaro`
		});
		const result = await ready;
		expect(result.listening).toBe(false);
		expect(result.code).toBe(1);
		expect(result.err).toContain(
			`cannot start: the PostgreSQL database at postgresql://sync@127.0.0.1:${port}/callaro cannot be used (connect ECONNREFUSED`
		);
		expect(result.out + result.err).not.toContain('pa55word');
		expect(result.err).not.toMatch(/\n\s+at /);
		const other = await start({ DATABASE_URL: 'mysql://u:pa55word@db/x' }).ready;
		expect(other.code).toBe(1);
		expect(other.err).toMatch(/DATABASE_URL must be a postgres:\/\/ or postgresql:\/\/ URL/);
		expect(other.err).not.toContain('pa55word');
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
			feedId: expect.stringMatching(/^[0-9a-f]{32}$/),
			horizon: { seq: 0, before: 0, gen: 0 },
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
			more: false
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

	it('creates a workspace from the command line, printing its id and owner token once', async () => {
		const path = join(tempDir(), 'sync.db');
		const result = await runCli(['workspace', 'create', 'Acme', 'Sales'], { DATABASE_PATH: path });
		expect(result, result.err).toMatchObject({ code: 0 });
		const { workspaceId, ownerToken } = created(result.out);
		expect(result.out).toContain('Workspace “Acme Sales” created');
		expect(result.out).not.toContain('listening');
		expect(result.out).not.toContain('SYNC_TOKEN was not set');
		expect(result.out.split(ownerToken)).toHaveLength(2);
		// The server on that database knows the owner.
		const port = await freePort();
		const { child, ready } = start({ PORT: String(port), DATABASE_PATH: path });
		try {
			expect((await ready).listening).toBe(true);
			const me = await fetch(`http://127.0.0.1:${port}/v1/me`, {
				headers: { Authorization: `Bearer ${ownerToken}` }
			});
			expect(await me.json()).toEqual({
				workspaceId,
				workspaceName: 'Acme Sales',
				memberId: expect.stringMatching(/^mem_/),
				memberName: 'Owner',
				role: 'owner',
				feedId: expect.stringMatching(/^[0-9a-f]{32}$/),
				rules: { doNotCallSeq: 0, callingHoursAt: 0, teamAt: expect.any(Number) }
			});
		} finally {
			child.kill('SIGKILL');
		}
		for (const args of [
			['workspace'],
			['workspace', 'create'],
			['workspace', 'drop', 'x'],
			['x']
		]) {
			const bad = await runCli(args, { DATABASE_PATH: path });
			expect(bad.code, args.join(' ')).toBe(2);
			expect(bad.err).toContain('Usage: npm run server -- workspace create NAME');
		}
	}, 60_000);

	it('serves POST /v1/workspaces with ADMIN_TOKEN only, and limits each token by RATE_LIMIT', async () => {
		const path = join(tempDir(), 'sync.db');
		const port = await freePort();
		const base = `http://127.0.0.1:${port}`;
		const create = (token: string) =>
			fetch(`${base}/v1/workspaces`, {
				method: 'POST',
				headers: { Authorization: `Bearer ${token}`, 'Content-Type': 'application/json' },
				body: JSON.stringify({ name: 'Acme' })
			});
		const plain = start({ PORT: String(port), DATABASE_PATH: path });
		try {
			expect((await plain.ready).listening).toBe(true);
			expect((await create('admin-secret')).status).toBe(404);
			// RATE_LIMIT unset: the default, a burst of 100 per token, refilled at 50 a second,
			// then 429s. The refill makes the count depend on how long the burst took (a loaded
			// machine spreads 300 requests over a second or more), so the bound is taken from it.
			const began = performance.now();
			const burst = await Promise.all(
				Array.from({ length: 300 }, async () => {
					const res = await fetch(`${base}/v1/me`, {
						headers: { Authorization: `Bearer ${TOKEN}` }
					});
					await res.arrayBuffer();
					return res.status;
				})
			);
			const seconds = (performance.now() - began) / 1000;
			const ok = burst.filter((status) => status === 200).length;
			expect(ok).toBeGreaterThanOrEqual(100);
			expect(ok, `within ${seconds.toFixed(2)} s`).toBeLessThanOrEqual(
				100 + Math.ceil(50 * seconds)
			);
			expect(ok + burst.filter((status) => status === 429).length).toBe(300);
		} finally {
			plain.child.kill('SIGKILL');
			await new Promise((r) => plain.child.once('exit', r));
		}
		const admin = start({
			PORT: String(port),
			DATABASE_PATH: path,
			ADMIN_TOKEN: 'admin-secret',
			RATE_LIMIT: '1',
			RATE_LIMIT_BURST: '2'
		});
		try {
			expect((await admin.ready).listening).toBe(true);
			expect((await create('not-the-admin')).status).toBe(401);
			const made = await create('admin-secret');
			expect(made.status).toBe(201);
			const { ownerToken } = await made.json();
			const stats = () =>
				fetch(`${base}/v1/stats`, { headers: { Authorization: `Bearer ${ownerToken}` } });
			expect([(await stats()).status, (await stats()).status]).toEqual([200, 200]);
			const refused = await stats();
			expect(refused.status).toBe(429);
			expect(Number(refused.headers.get('Retry-After'))).toBeGreaterThanOrEqual(1);
			// Another token: its own bucket.
			const other = await fetch(`${base}/v1/stats`, {
				headers: { Authorization: `Bearer ${TOKEN}` }
			});
			expect(other.status).toBe(200);
		} finally {
			admin.child.kill('SIGKILL');
		}
		const bad = await start({ PORT: String(port), DATABASE_PATH: path, RATE_LIMIT: 'fast' }).ready;
		expect(bad.code).toBe(1);
		expect(bad.err).toMatch(/RATE_LIMIT must be requests per second/);
	}, 60_000);
});

/**
 * Several processes on one PostgreSQL database. Runs when the run has PostgreSQL (the global setup,
 * server/test-postgres.ts, prints why it does not).
 */
describe.runIf(pgAdminUrl())('server processes on one PostgreSQL database', () => {
	const children: ChildProcess[] = [];
	const drops: (() => Promise<void>)[] = [];
	afterEach(async () => {
		for (const child of children.splice(0)) {
			if (child.exitCode === null) {
				child.kill('SIGKILL');
				await new Promise((r) => child.once('exit', r));
			}
		}
		for (const drop of drops.splice(0)) await drop();
	});
	const database = async () => {
		const { url, drop } = await scratchDatabase();
		drops.push(drop);
		return url;
	};
	const headers = { Authorization: `Bearer ${TOKEN}`, 'Content-Type': 'application/json' };
	/** Starts `count` servers on `url` at once; resolves with their base URLs once all listen. */
	const servers = async (url: string, count: number) => {
		const ports = await Promise.all(Array.from({ length: count }, freePort));
		const started = ports.map((port) => start({ PORT: String(port), DATABASE_URL: url }));
		children.push(...started.map((s) => s.child));
		const results = await Promise.all(started.map((s) => s.ready));
		for (const result of results) expect(result, result.err).toMatchObject({ listening: true });
		return ports.map((port) => `http://127.0.0.1:${port}`);
	};
	const post = async (base: string, key: string, body: unknown) => {
		const res = await fetch(`${base}/v1/contacts/batches`, {
			method: 'POST',
			headers: { ...headers, 'Idempotency-Key': key },
			body: JSON.stringify(body)
		});
		return {
			status: res.status,
			replayed: res.headers.get('Idempotent-Replayed') === 'true',
			body: await res.text()
		};
	};
	/** Every change after `since`, page by page. */
	const pull = async (base: string, since = 0, limit = 1000) => {
		const changes: Change[] = [];
		for (;;) {
			const page = await (
				await fetch(`${base}/v1/changes?since=${since}&limit=${limit}`, { headers })
			).json();
			changes.push(...page.changes);
			since = page.next;
			if (!page.more) return { changes, next: since };
		}
	};
	const phoneOf = (n: number) => `+1312${String(n).padStart(7, '0')}`;

	it('two processes starting at once on an empty database both come up, migrated once', async () => {
		const url = await database();
		const [a, b] = await servers(url, 2);
		for (const base of [a, b])
			expect(await (await fetch(`${base}/v1/stats`, { headers })).json()).toEqual({
				contacts: 0,
				batches: 0
			});
		const client = new pg.Client({ connectionString: url });
		await client.connect();
		const { rows } = await client.query('SELECT version FROM schema_migrations ORDER BY version');
		await client.end();
		expect(rows.map((r: { version: number }) => r.version)).toEqual(SCHEMA.map((_, i) => i + 1));
	}, 60_000);

	it('applies each key once when the same batch reaches two processes at once', async () => {
		const [a, b] = await servers(await database(), 2);
		const outcomes = await Promise.all(
			Array.from({ length: 50 }, async (_, k) => {
				const body = {
					batchId: `b${k}`,
					importId: 'twice',
					deviceId: 'device-a',
					contacts: Array.from({ length: 20 }, (_, i) => ({
						phone: phoneOf(k * 20 + i),
						firstName: `F${k}-${i}`,
						tags: ['x'],
						custom: { region: 'West' },
						updatedAt: 1000 + k
					}))
				};
				return Promise.all([post(a, `key-${k}`, body), post(b, `key-${k}`, body)]);
			})
		);
		for (const [first, second] of outcomes) {
			expect([first.status, second.status]).toEqual([200, 200]);
			expect([first.replayed, second.replayed].sort()).toEqual([false, true]);
			expect(second.body).toBe(first.body);
			expect(JSON.parse(first.body)).toMatchObject({ accepted: 20, stale: 0 });
		}
		expect(await (await fetch(`${a}/v1/stats`, { headers })).json()).toEqual({
			contacts: 1000,
			batches: 50
		});
		const { changes } = await pull(b, 0, 300);
		expect(changes.map((c) => c.phone).sort()).toEqual(
			Array.from({ length: 1000 }, (_, n) => phoneOf(n))
		);
		const seqs = changes.map((c) => c.seq);
		expect(seqs.every((seq, i) => i === 0 || seq > seqs[i - 1])).toBe(true);
	}, 120_000);

	it('numbers changes in commit order: a reader polling during concurrent writes misses none', async () => {
		const bases = await servers(await database(), 2);
		// Six devices write small batches of overlapping phones (upserts and deletes at random
		// times) through both processes, while a reader pulls small pages from its cursor as they
		// commit. Small batches over many phones: many commits to interleave, and most phones end
		// at the one write a reader could miss.
		let random = 42;
		const next = () => (random = (random * 1_103_515_245 + 12_345) % 2 ** 31) / 2 ** 31;
		const writers = Array.from({ length: 6 }, async (_, device) => {
			for (let b = 0; b < 15; b++) {
				const phones = Array.from({ length: 15 }, () => phoneOf(Math.floor(next() * 2000)));
				const body = {
					batchId: `d${device}-${b}`,
					importId: 'race',
					deviceId: `device-${device}`,
					contacts: phones.slice(0, 12).map((phone) => ({
						phone,
						firstName: `D${device}B${b}`,
						updatedAt: Math.floor(next() * 1e6)
					})),
					deletes: phones.slice(12).map((phone) => ({ phone, deletedAt: Math.floor(next() * 1e6) }))
				};
				const res = await post(bases[(device + b) % 2], body.batchId, body);
				expect(res.status).toBe(200);
			}
		});
		const seen = new Map<string, Change>();
		let cursor = 0;
		let polls = 0;
		let writing = true;
		const reader = (async () => {
			for (;;) {
				const done = !writing;
				const page = await pull(bases[polls++ % 2], cursor, 25);
				for (const change of page.changes) {
					expect(change.seq).toBeGreaterThan(cursor);
					seen.set(change.phone, change);
					cursor = change.seq;
				}
				// One last pull that started after every write was answered.
				if (done) return;
			}
		})();
		await Promise.all(writers);
		writing = false;
		await reader;
		const final = await pull(bases[0]);
		const phones = final.changes.map((c) => c.phone);
		expect(new Set(phones).size).toBe(phones.length);
		const seqs = final.changes.map((c) => c.seq);
		expect(seqs.every((seq, i) => i === 0 || seq > seqs[i - 1])).toBe(true);
		expect(polls).toBeGreaterThan(3);
		// Whatever order the writes committed in, the reader ends with every phone's final state.
		expect(Object.fromEntries(seen)).toEqual(
			Object.fromEntries(final.changes.map((c) => [c.phone, c]))
		);
	}, 120_000);

	it('migrates a database once, keeping its rows, and brings an earlier version up to date', async () => {
		const url = await database();
		const pool = createPool(url, 2);
		try {
			// Three stores opening at once on an empty database: the migrations run once.
			const stores = await Promise.all([openPgStore(url), openPgStore(url), openPgStore(url)]);
			await stores[0].applyBatch(
				'k',
				'h',
				{ batchId: 'b', importId: 'i', deviceId: 'd', contacts: [], deletes: [] },
				[{ contact: { phone: phoneOf(1), firstName: 'Kept', tags: [], custom: {}, updatedAt: 5 } }],
				[]
			);
			await Promise.all(stores.map((s) => s.close()));
			expect(await migratePg(pool)).toEqual([]);
			// A release with one more version: applied once, on a database holding rows.
			const note = 'ALTER TABLE contacts ADD COLUMN note TEXT';
			const later = [...SCHEMA, { version: SCHEMA.length + 1, sqlite: note, postgres: note }];
			expect(await migratePg(pool, later)).toEqual([SCHEMA.length + 1]);
			expect(await migratePg(pool, later)).toEqual([]);
			const store = await openPgStore(url);
			expect(await store.stats()).toEqual({ contacts: 1, batches: 1 });
			expect(await store.listContacts(10, '')).toEqual([
				{ phone: phoneOf(1), firstName: 'Kept', tags: [], custom: {}, updatedAt: 5 }
			]);
			expect(await store.listChanges(0, 10)).toMatchObject({
				changes: [{ seq: 1, op: 'upsert', at: 5, deviceId: 'd' }],
				more: false
			});
			await store.close();
			// A version that fails leaves the database at the one before, and says which failed.
			const nowhere = 'ALTER TABLE nowhere ADD COLUMN x TEXT';
			await expect(
				migratePg(pool, [
					...later,
					{ version: later.length + 1, sqlite: nowhere, postgres: nowhere }
				])
			).rejects.toThrow(
				new RegExp(`Migration ${later.length + 1} failed: relation "nowhere" does not exist`)
			);
			expect(await migratePg(pool, later)).toEqual([]);
		} finally {
			await pool.end();
		}
	}, 60_000);

	it('commits with synchronous_commit on, even where the database default is off', async () => {
		const url = await database();
		const admin = new pg.Client({ connectionString: url });
		await admin.connect();
		await admin.query(
			`ALTER DATABASE ${new URL(url).pathname.slice(1)} SET synchronous_commit = off`
		);
		await admin.end();
		const store = await openPgStore(url);
		expect(await store.durability()).toEqual({ synchronousCommit: 'on', fsync: 'on' });
		await store.close();
	});
	it('creates a workspace from the command line on DATABASE_URL, seen by the servers', async () => {
		const url = await database();
		const result = await runCli(['workspace', 'create', 'Remote team'], { DATABASE_URL: url });
		expect(result, result.err).toMatchObject({ code: 0 });
		const { workspaceId, ownerToken } = created(result.out);
		const [a] = await servers(url, 1);
		const me = await fetch(`${a}/v1/me`, { headers: { Authorization: `Bearer ${ownerToken}` } });
		expect(await me.json()).toMatchObject({ workspaceId, workspaceName: 'Remote team' });
	}, 60_000);

	it('refuses a token revoked by another process on its next request, on every route', async () => {
		const [a, b] = await servers(await database(), 2);
		const as = (token: string) => ({
			Authorization: `Bearer ${token}`,
			'Content-Type': 'application/json'
		});
		const owner = await fetch(`${a}/v1/members`, {
			method: 'POST',
			headers: headers,
			body: JSON.stringify({ name: 'Owner two', role: 'owner' })
		});
		const member = await fetch(`${a}/v1/members`, {
			method: 'POST',
			headers: headers,
			body: JSON.stringify({ name: 'Agent', role: 'member' })
		});
		const { token: ownerToken } = await owner.json();
		const { memberId, token } = await member.json();
		const routes: [string, string, unknown?, Record<string, string>?][] = [
			['GET', '/v1/me'],
			['GET', '/v1/stats'],
			['GET', '/v1/contacts'],
			['GET', '/v1/changes'],
			['GET', '/v1/custom-fields'],
			['PUT', '/v1/custom-fields/team', { label: 'Team' }],
			[
				'POST',
				'/v1/contacts/batches',
				{ batchId: 'r', importId: 'i', contacts: [{ phone: phoneOf(1) }] },
				{ 'Idempotency-Key': 'r' }
			],
			['GET', '/v1/members'],
			['DELETE', `/v1/members/${memberId}`]
		];
		const walk = (base: string, t: string) =>
			Promise.all(
				routes.map(
					async ([method, path, body, extra]) =>
						(
							await fetch(`${base}${path}`, {
								method,
								headers: { ...as(t), ...extra },
								body: body === undefined ? undefined : JSON.stringify(body)
							})
						).status
				)
			);
		// Used on both processes first: whatever either might hold, it holds it now.
		for (const base of [a, b]) expect(await walk(base, token)).not.toContain(401);
		const revoked = await fetch(`${b}/v1/members/${memberId}`, {
			method: 'DELETE',
			headers: as(ownerToken)
		});
		expect(revoked.status).toBe(200);
		for (const base of [a, b]) expect(await walk(base, token)).toEqual(routes.map(() => 401));
	}, 60_000);
});
