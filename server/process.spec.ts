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
			).rejects.toThrow(/Migration 5 failed: relation "nowhere" does not exist/);
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
});
