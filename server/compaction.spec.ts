/**
 * Bounded history on each store (an in-memory or file SQLite, and a fresh PostgreSQL database per
 * test when the run has PostgreSQL): compaction removes exactly the tombstones older than the
 * retention, per workspace, and moves each workspace's horizon; pages carry it; a cursor behind
 * it is answered 410 while 0 always works; an old upsert for an unknown phone is refused with its
 * code and an old delete of one is a no-op; compaction runs beside batches of other processes on
 * one PostgreSQL database without breaking them or renumbering anything; a v5 database is
 * upgraded to v6; the schedule and the command line.
 */
import { spawn } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import { afterAll, afterEach, describe, expect, it } from 'vitest';
import { BEYOND_HORIZON, type ContactBatch, type SyncContact } from '../src/lib/protocol/sync';
import { createApp } from './app';
import { startCompaction } from './compaction';
import { createPool, migratePg, openPgStore } from './pg-store';
import { SCHEMA } from './schema';
import { migrateSqlite, openSqliteStore } from './sqlite-store';
import { DAY_MS, type Store, type WorkspaceStore } from './store';
import { pgAdminUrl, scratchDatabase } from './test-postgres';
import { hashToken } from './tokens';

const KINDS = pgAdminUrl() ? (['sqlite', 'postgres'] as const) : (['sqlite'] as const);
type Kind = (typeof KINDS)[number];
const TOKEN = 'compaction-token';
const DAYS = 30;

const opened: Store[] = [];
const drops: (() => Promise<void>)[] = [];
const dirs: string[] = [];
afterEach(async () => {
	for (const store of opened.splice(0)) await store.close();
	for (const drop of drops.splice(0)) await drop();
});
afterAll(() => dirs.forEach((d) => rmSync(d, { recursive: true, force: true })));

async function openStore(kind: Kind, url?: string): Promise<Store> {
	let store: Store;
	if (kind === 'sqlite') store = openSqliteStore(url ?? ':memory:', { tombstoneDays: DAYS });
	else {
		if (!url) {
			const scratch = await scratchDatabase();
			drops.push(scratch.drop);
			url = scratch.url;
		}
		store = await openPgStore(url, { tombstoneDays: DAYS });
	}
	opened.push(store);
	return store;
}

const contact = (phone: string, updatedAt: number): { contact: SyncContact } => ({
	contact: { phone, firstName: 'F', tags: [], custom: {}, updatedAt }
});
const batch = (
	id: string,
	contacts: { contact: SyncContact }[],
	deletes: ContactBatch['deletes'] = []
): [string, string, ContactBatch, { contact: SyncContact }[], []] => [
	id,
	`hash-${id}`,
	{
		batchId: id,
		importId: 'imp',
		deviceId: 'dev',
		contacts: contacts.map((c) => c.contact),
		deletes
	},
	contacts,
	[]
];
const phone = (n: number) => `+1415${String(5_000_000 + n)}`;

/** Every change of the workspace's feed, from 0. */
async function feed(data: WorkspaceStore) {
	return (await data.listChanges(0, 5000)).changes;
}

describe.each(KINDS)('bounded history on %s', (kind) => {
	it('removes exactly the old tombstones of each workspace, and moves each horizon', async () => {
		const store = await openStore(kind);
		const other = await store.createWorkspace('Other', hashToken('other-owner'));
		const a = store.workspace('default');
		const b = store.workspace(other.workspaceId);
		const now = Date.now();
		const later = now + (DAYS + 1) * DAY_MS;
		// In A: two contacts, then deletes: P1 at an old version, P2 at one within the retention
		// as of `later`, P3 (never a contact) at an old one. In B: one old delete.
		await a.applyBatch(...batch('a1', [contact(phone(1), 10), contact(phone(2), 11)]));
		await a.applyBatch(
			...batch(
				'a2',
				[],
				[
					{ phone: phone(1), deletedAt: 20 },
					{ phone: phone(2), deletedAt: later - DAY_MS },
					{ phone: phone(3), deletedAt: 21 }
				]
			)
		);
		await b.applyBatch(...batch('b1', [contact(phone(1), 5)], [{ phone: phone(9), deletedAt: 7 }]));
		const before = await feed(a);
		expect(before.map((c) => [c.seq, c.op, c.phone])).toEqual([
			[3, 'delete', phone(1)],
			[4, 'delete', phone(2)],
			[5, 'delete', phone(3)]
		]);
		// Written just now: old versions, but the server has held them less than the retention.
		expect((await store.compact(now)).removed).toBe(0);
		expect((await a.listChanges(0, 10)).horizon).toMatchObject({ seq: 0, before: 0 });
		// Past the retention: the old versions go (in both workspaces), the recent one stays.
		const report = await store.compact(later);
		expect(report).toMatchObject({ workspaces: 2, removed: 3, cutoff: later - DAYS * DAY_MS });
		const pageA = await a.listChanges(0, 10);
		expect(pageA.changes.map((c) => [c.seq, c.op, c.phone])).toEqual([[4, 'delete', phone(2)]]);
		expect(pageA.horizon).toMatchObject({ seq: 5, before: 22 });
		const pageB = await b.listChanges(0, 10);
		expect(pageB.changes.map((c) => [c.seq, c.op])).toEqual([[1, 'upsert']]);
		expect(pageB.horizon).toMatchObject({ seq: 2, before: 8 });
		// Nothing renumbered, contacts untouched, and a run with nothing to remove moves nothing.
		expect(pageA.changes[0]).toEqual(before[1]);
		expect(await store.compact(later)).toMatchObject({ removed: 0 });
		expect((await a.listChanges(0, 10)).horizon).toMatchObject({ seq: 5, before: 22 });
		expect(await a.stats()).toEqual({ contacts: 0, batches: 2 });
		// A clock set back moves no horizon back.
		await store.compact(now - 1000 * DAY_MS);
		expect((await a.listChanges(0, 10)).horizon).toMatchObject({ seq: 5, before: 22 });
	});

	it('answers 410 to a cursor behind the horizon, with the days; 0 and later cursors work', async () => {
		const store = await openStore(kind);
		const app = createApp({ store, token: TOKEN });
		const get = (path: string) =>
			app.request(path, { headers: { Authorization: `Bearer ${TOKEN}` } });
		await store.applyBatch(...batch('k1', [contact(phone(1), 1), contact(phone(2), 1)]));
		await store.applyBatch(...batch('k2', [], [{ phone: phone(1), deletedAt: 2 }]));
		await store.applyBatch(...batch('k3', [contact(phone(4), 3)]));
		await store.compact(Date.now() + (DAYS + 1) * DAY_MS);
		const horizon = { seq: 3, before: 3 };
		for (const since of [1, 2]) {
			const res = await get(`/v1/changes?since=${since}`);
			expect(res.status).toBe(410);
			const body = (await res.json()) as { error: string; horizon: unknown };
			expect(body.horizon).toMatchObject(horizon);
			expect(body.error).toContain(`${DAYS} days`);
			expect(body.error).toContain('since=0');
		}
		for (const since of [0, 3, 4, 99]) {
			const res = await get(`/v1/changes?since=${since}&count=1`);
			expect(res.status, `since=${since}`).toBe(200);
			expect(await res.json()).toMatchObject({ horizon });
		}
		// A pull from 0 after the compaction goes on below the horizon's seq with the gen of its
		// pages; a compaction between two of its pages sends it back to 0.
		const first = (await (await get('/v1/changes?since=0&limit=1')).json()) as {
			next: number;
			horizon: { gen: number };
		};
		expect([first.next, first.horizon.gen]).toEqual([2, 1]);
		expect((await get(`/v1/changes?since=2&gen=1`)).status).toBe(200);
		await store.applyBatch(
			...batch('k4', [contact(phone(5), 4)], [{ phone: phone(4), deletedAt: 5 }])
		);
		await store.compact(Date.now() + (DAYS + 1) * DAY_MS);
		expect((await get(`/v1/changes?since=2&gen=1`)).status).toBe(410);
		expect((await get(`/v1/changes?since=2&gen=x`)).status).toBe(400);
		await store.applyBatch(...batch('k5', [contact(phone(4), 6)]));
		const all = (await (await get('/v1/changes?since=0')).json()) as { changes: unknown[] };
		expect(all.changes).toMatchObject([
			{ seq: 2, phone: phone(2) },
			{ seq: 5, phone: phone(5) },
			{ seq: 7, phone: phone(4) }
		]);
	});

	it('refuses an upsert older than the horizon for an unknown phone; an old delete of one is a no-op', async () => {
		const store = await openStore(kind);
		await store.applyBatch(...batch('k1', [contact(phone(1), 100), contact(phone(2), 100)]));
		await store.applyBatch(...batch('k2', [], [{ phone: phone(1), deletedAt: 200 }]));
		await store.compact(Date.now() + (DAYS + 1) * DAY_MS);
		expect((await store.listChanges(0, 10)).horizon).toMatchObject({ seq: 3, before: 201 });
		// P1 (deleted, tombstone gone) at an older version, and a never-seen P5: refused, with the
		// code; P6 at the horizon and P2 (held) at an old version are the last writer rule's.
		const k3 = batch(
			'k3',
			[
				contact(phone(1), 150),
				contact(phone(5), 200),
				contact(phone(6), 201),
				contact(phone(2), 150)
			],
			[
				{ phone: phone(7), deletedAt: 50 },
				{ phone: phone(8), deletedAt: 300 }
			]
		);
		const answer = await store.applyBatch(...k3);
		expect(answer.body).toMatchObject({ accepted: 2, stale: 1, deleted: 0 });
		const refused = (
			answer.body as { refused: { index: number; phone: string; code: string; reason: string }[] }
		).refused;
		expect(refused.map((r) => [r.index, r.phone, r.code])).toEqual([
			[0, phone(1), BEYOND_HORIZON],
			[1, phone(5), BEYOND_HORIZON]
		]);
		expect(refused[0].reason).toContain(`${DAYS}-day history of deletes`);
		expect(refused[0].reason).toContain('Edit it again');
		// The old delete of the unknown P7 left no tombstone; P8's recent one did.
		const changes = (await store.listChanges(3, 10)).changes;
		expect(changes.map((c) => [c.op, c.phone])).toEqual([
			['upsert', phone(6)],
			['upsert', phone(2)],
			['delete', phone(8)]
		]);
		// The refusal is the stored answer: a retry replays it.
		expect(await store.applyBatch(...k3)).toEqual({ ...answer, replayed: true });
	});

	it('upgrades a database the previous release wrote (version 5) to version 6', async () => {
		const rows = [
			`INSERT INTO contacts (workspace_id, phone, data, import_id, updated_at, version_at, device_id, seq)
			 VALUES ('default', '${phone(1)}', '{"phone":"${phone(1)}","tags":[],"custom":{}}', 'i', 1, 10, 'd', 1)`,
			`INSERT INTO tombstones (workspace_id, phone, version_at, device_id, seq) VALUES ('default', '${phone(2)}', 11, 'd', 2)`,
			`INSERT INTO tombstones (workspace_id, phone, version_at, device_id, seq) VALUES ('default', '${phone(3)}', ${Date.now()}, 'd', 3)`,
			`UPDATE workspaces SET seq = 3 WHERE id = 'default'`
		];
		let url: string;
		if (kind === 'sqlite') {
			const dir = mkdtempSync(join(tmpdir(), 'callaro-compaction-'));
			dirs.push(dir);
			url = join(dir, 'sync.db');
			const db = new Database(url);
			migrateSqlite(db, SCHEMA.slice(0, 5));
			for (const sql of rows) db.exec(sql);
			db.close();
		} else {
			const scratch = await scratchDatabase();
			drops.push(scratch.drop);
			url = scratch.url;
			const pool = createPool(url, 1);
			await migratePg(pool, SCHEMA.slice(0, 5));
			for (const sql of rows) await pool.query(sql);
			await pool.end();
		}
		const store = await openStore(kind, url);
		const page = await store.listChanges(0, 10);
		expect(page.horizon).toMatchObject({ seq: 0, before: 0 });
		expect(page.changes.map((c) => [c.seq, c.op])).toEqual([
			[1, 'upsert'],
			[2, 'delete'],
			[3, 'delete']
		]);
		// A tombstone stored before version 6 counts as written at its version's time: the old
		// one goes at once, the recent one stays its full retention.
		expect(await store.compact()).toMatchObject({ removed: 1 });
		expect((await store.listChanges(0, 10)).horizon).toMatchObject({ seq: 2, before: 12 });
		expect((await store.listChanges(1, 10)).expired).toBe(true);
		// And it writes on: a new workspace gets its horizon columns, new tombstones their time.
		const ws = await store.createWorkspace('New', hashToken('new-owner'));
		expect((await store.workspace(ws.workspaceId).listChanges(0, 1)).horizon).toMatchObject({
			seq: 0,
			before: 0
		});
		await store.applyBatch(...batch('k', [], [{ phone: phone(1), deletedAt: 12 }]));
		expect((await store.listChanges(3, 10)).changes).toMatchObject([{ seq: 4, op: 'delete' }]);
	});

	it(`compacts 20,000 tombstones in bounded transactions`, async () => {
		const store = await openStore(kind);
		const n = 20_000;
		for (let i = 0; i < n; i += 5000) {
			const deletes = Array.from({ length: 5000 }, (_, j) => ({
				phone: phone(i + j),
				deletedAt: 1
			}));
			await store.applyBatch(...batch(`k${i}`, [], deletes));
		}
		const report = await store.compact(Date.now() + (DAYS + 1) * DAY_MS);
		expect(report.removed).toBe(n);
		expect((await store.listChanges(0, 10)).horizon).toMatchObject({ seq: n, before: 2 });
		console.info(`${kind}: compacted ${n} tombstones in ${Math.round(report.ms)} ms`);
	});

	it('runs at start and on schedule with the clock given, until stopped', async () => {
		const store = await openStore(kind);
		await store.applyBatch(...batch('k1', [], [{ phone: phone(1), deletedAt: 1 }]));
		let clock = Date.now();
		const runs: number[] = [];
		const stop = startCompaction(store, {
			everyMs: 20,
			now: () => clock,
			onRun: (report) => runs.push(report.removed)
		});
		await expect.poll(() => runs.length, { timeout: 10_000 }).toBeGreaterThan(0);
		expect(runs[0]).toBe(0);
		clock += (DAYS + 1) * DAY_MS;
		await expect.poll(() => runs.includes(1), { timeout: 10_000 }).toBe(true);
		await stop();
		const after = runs.length;
		await new Promise((resolve) => setTimeout(resolve, 80));
		expect(runs.length).toBe(after);
	});
});

describe.runIf(pgAdminUrl())('compaction beside other processes on one PostgreSQL database', () => {
	it('breaks no concurrent batch or page, and renumbers nothing', async () => {
		const { url, drop } = await scratchDatabase();
		drops.push(drop);
		// Two stores on one database: two server processes.
		const writer = await openStore('postgres', url);
		const compactor = await openStore('postgres', url);
		const reader = await openStore('postgres', url);
		const later = Date.now() + (DAYS + 1) * DAY_MS;
		let writing = true;
		const batches = (async () => {
			const answers = [];
			for (let i = 0; i < 40; i++) {
				// Each batch adds two contacts and deletes one of the previous batch's at an old
				// version (compactable at once under `later`).
				const deletes = i > 0 ? [{ phone: phone(2 * (i - 1)), deletedAt: 10 * i + 5 }] : [];
				answers.push(
					await writer.applyBatch(
						...batch(
							`k${i}`,
							[contact(phone(2 * i), 10 * i), contact(phone(2 * i + 1), 10 * i)],
							deletes
						)
					)
				);
			}
			writing = false;
			return answers;
		})();
		const compactions = (async () => {
			let removed = 0;
			while (writing)
				removed += (await Promise.all([compactor.compact(later), writer.compact(later)])).reduce(
					(sum, r) => sum + r.removed,
					0
				);
			return removed;
		})();
		// A reader that pulls as it goes: never told 410 while it keeps up from a cursor at or
		// after the horizon, and never shown a seq twice or out of order.
		const pulls = (async () => {
			let since = 0;
			const seen: number[] = [];
			let expired = 0;
			while (writing) {
				const page = await reader.listChanges(since, 1000);
				if (page.expired) {
					expired++;
					since = 0;
					seen.length = 0;
					continue;
				}
				for (const change of page.changes) seen.push(change.seq);
				if (page.changes.length > 0) since = page.changes[page.changes.length - 1].seq;
			}
			return { seen, expired };
		})();
		const [answers, removed, pulled] = await Promise.all([batches, compactions, pulls]);
		expect(answers.every((a) => a.status === 200 && !a.replayed)).toBe(true);
		expect(answers.map((a) => (a.body as { accepted: number }).accepted)).toEqual(
			answers.map(() => 2)
		);
		expect(pulled.seen).toEqual([...pulled.seen].sort((x, y) => x - y));
		expect(new Set(pulled.seen).size).toBe(pulled.seen.length);
		await compactor.compact(later);
		// Every delete's tombstone is gone (all were old) and each contact kept the seq it was
		// written with (batch i's two contacts took seqs 3i+1 and 3i+2, after its delete: none
		// renumbered).
		const final = await reader.listChanges(0, 5000);
		expect(final.changes.every((c) => c.op === 'upsert')).toBe(true);
		const kept = [
			...Array.from({ length: 40 }, (_, i) => ({
				phone: phone(2 * i + 1),
				seq: i === 0 ? 2 : 3 * i + 1
			})),
			{ phone: phone(78), seq: 3 * 39 }
		].sort((x, y) => x.seq - y.seq);
		expect(final.changes.map((c) => ({ phone: c.phone, seq: c.seq }))).toEqual(kept);
		expect(final.changes).toHaveLength(41);
		expect(final.horizon.seq).toBeGreaterThan(0);
		expect(await writer.stats()).toEqual({ contacts: 41, batches: 40 });
		console.info(
			`postgres, two processes: ${removed} tombstones compacted while 40 batches applied; the reader restarted ${pulled.expired} times`
		);
	});
});

describe('npm run server -- compact', () => {
	it('removes the old tombstones of the database and says how many', async () => {
		const dir = mkdtempSync(join(tmpdir(), 'callaro-compaction-'));
		dirs.push(dir);
		const path = join(dir, 'sync.db');
		const store = openSqliteStore(path);
		await store.applyBatch(...batch('k1', [], [{ phone: phone(1), deletedAt: 1 }]));
		await store.close();
		// Written now: kept by the default retention; TOMBSTONE_DAYS cannot be set to remove it
		// (it is the server's write time that counts too), so the file is aged by hand.
		const db = new Database(path);
		db.exec('UPDATE tombstones SET updated_at = 1');
		db.close();
		const child = spawn(process.execPath, ['--import', 'tsx', 'server/index.ts', 'compact'], {
			env: { ...process.env, DATABASE_URL: '', DATABASE_PATH: path, TOMBSTONE_DAYS: '7' },
			stdio: ['ignore', 'pipe', 'pipe']
		});
		let out = '';
		child.stdout.on('data', (d: Buffer) => (out += d.toString()));
		child.stderr.on('data', (d: Buffer) => (out += d.toString()));
		const code = await new Promise((resolve) => child.on('exit', resolve));
		expect(code, out).toBe(0);
		expect(out).toMatch(/1 tombstones older than 7 days .* removed from 1 workspaces/);
		const after = openSqliteStore(path);
		opened.push(after);
		expect((await after.listChanges(0, 10)).horizon).toMatchObject({ seq: 1, before: 2 });
	});
});
