/**
 * Workspaces, members, tokens, roles and rate limits through the HTTP API, on each store (SQLite,
 * and PostgreSQL when the run has it): the admin route, `/v1/me`, members and their roles,
 * revocation on every route, isolation (a second workspace walking every route with ids, keys,
 * cursors and phones of the first, answered exactly as for things that exist nowhere), per-token
 * rate limits, no token at rest in the database, and a database of the schema before workspaces
 * (versions 1 to 3) upgraded into the default workspace with nothing lost; and on PostgreSQL, one
 * workspace's burst of batches leaving other workspaces their connections. First, the token
 * buckets themselves on a clock of our own: a burst, the refill, the seconds to wait, one key's
 * burst leaving another's alone, and full buckets dropped.
 */
import { afterAll, afterEach, describe, expect, it } from 'vitest';
import Database from 'better-sqlite3';
import pg from 'pg';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createApp, FIELDS_OWNERS_ONLY, MEMBERS_OWNERS_ONLY, type AppOptions } from './app';
import { createPool, migratePg, openPgStore } from './pg-store';
import { createRateLimiter, type RateLimit } from './rate-limit';
import { SCHEMA } from './schema';
import { migrateSqlite, openSqliteStore } from './sqlite-store';
import type { Store } from './store';
import { pgAdminUrl, scratchDatabase } from './test-postgres';
import { hashToken } from './tokens';

const SYNC = 'sync-token-of-the-default-owner';
/** A change feed id (tokens.ts, `newFeedId`; schema.ts, version 5). */
const FEED_ID = /^[0-9a-f]{32}$/;
const ADMIN = 'admin-token-of-the-operator';

const KINDS = pgAdminUrl() ? (['sqlite', 'postgres'] as const) : (['sqlite'] as const);
type Kind = (typeof KINDS)[number];

const dirs: string[] = [];
afterAll(() => dirs.forEach((d) => rmSync(d, { recursive: true, force: true })));
const tempFile = () => {
	const dir = mkdtempSync(join(tmpdir(), 'callaro-ws-'));
	dirs.push(dir);
	return join(dir, 'sync.db');
};

/** Stores opened by the current case, closed after it, then the databases to drop. */
const opened: { store: Store }[] = [];
const dropAfter: (() => Promise<void>)[] = [];
afterEach(async () => {
	for (const { store } of opened.splice(0)) await store.close();
	for (const drop of dropAfter.splice(0)) await drop();
});

/** A store of `kind` on a new database: SQLite on a file (`path`), PostgreSQL on `url`. */
async function openStore(kind: Kind): Promise<{ store: Store; path?: string; url?: string }> {
	if (kind === 'sqlite') {
		const path = tempFile();
		const store = openSqliteStore(path);
		opened.push({ store });
		return { store, path };
	}
	const { url, drop } = await scratchDatabase();
	dropAfter.push(drop);
	const store = await openPgStore(url);
	opened.push({ store });
	return { store, url };
}

/** An app over `store` whose calls name their token. */
function client(store: Store, options: Partial<AppOptions> = {}) {
	const app = createApp({ store, token: SYNC, adminToken: ADMIN, rateLimit: false, ...options });
	const call = async (
		token: string | undefined,
		method: string,
		path: string,
		body?: unknown,
		headers: Record<string, string> = {}
	) =>
		app.request(path, {
			method,
			headers: {
				...(token === undefined ? {} : { Authorization: `Bearer ${token}` }),
				'Content-Type': 'application/json',
				...headers
			},
			body: body === undefined ? undefined : typeof body === 'string' ? body : JSON.stringify(body)
		});
	/** The answer's JSON, checking its status. */
	const json = async (
		status: number,
		token: string,
		method: string,
		path: string,
		body?: unknown,
		headers?: Record<string, string>
	) => {
		const res = await call(token, method, path, body, headers);
		const text = await res.text();
		expect(res.status, `${method} ${path}: ${text}`).toBe(status);
		return JSON.parse(text);
	};
	const newWorkspace = async (name: string) =>
		(await json(201, ADMIN, 'POST', '/v1/workspaces', { name })) as {
			workspaceId: string;
			name: string;
			ownerToken: string;
		};
	const newMember = async (owner: string, name: string, role: 'owner' | 'member' = 'member') =>
		(await json(201, owner, 'POST', '/v1/members', { name, role })) as {
			memberId: string;
			token: string;
		};
	return { app, call, json, newWorkspace, newMember };
}

/** Members by name (members made in the same millisecond are listed in either order). */
const byName = <T extends { name: string }>(members: T[]) =>
	[...members].sort((a, b) => a.name.localeCompare(b.name));

/** The whole of an answer: status, headers and body. */
async function whole(res: Response) {
	return { status: res.status, headers: [...res.headers.entries()], body: await res.text() };
}

const A1 = '+14155550101';
const A2 = '+14155550102';
const A3 = '+14155550103';
const batch = (batchId: string, contacts: object[], deletes: object[] = []) => ({
	batchId,
	importId: 'imp',
	deviceId: 'device-a',
	contacts,
	deletes
});

/** Every route a member's token reaches, each as one call. */
const ROUTES: [string, string, unknown?, Record<string, string>?][] = [
	['GET', '/v1/me'],
	['GET', '/v1/stats'],
	['GET', '/v1/contacts'],
	['GET', '/v1/changes?count=1'],
	['GET', '/v1/custom-fields'],
	['PUT', '/v1/custom-fields/team', { label: 'Team' }],
	[
		'POST',
		'/v1/contacts/batches',
		batch('route', [{ phone: '+14155550199', updatedAt: 1 }]),
		{ 'Idempotency-Key': 'route' }
	],
	['GET', '/v1/members'],
	['POST', '/v1/members', { name: 'Someone', role: 'member' }],
	['DELETE', '/v1/members/mem_nobody']
];

describe('createRateLimiter', () => {
	const clocked = (perSecond: number, burst: number) => {
		let t = 0;
		const limiter = createRateLimiter({ perSecond, burst }, () => t);
		return { limiter, advance: (ms: number) => (t += ms) };
	};
	const takes = (limiter: ReturnType<typeof createRateLimiter>, key: string, n: number) =>
		Array.from({ length: n }, () => limiter.take(key).allowed);

	it('allows a burst, then refuses with the whole seconds until a request is back', () => {
		const { limiter } = clocked(0.5, 3);
		expect(takes(limiter, 'a', 3)).toEqual([true, true, true]);
		expect(limiter.take('a')).toEqual({ allowed: false, retryAfterSeconds: 2 });
	});

	it('refills at its rate, never past the burst, and a refused request takes nothing', () => {
		const { limiter, advance } = clocked(10, 5);
		expect(takes(limiter, 'a', 6)).toEqual([true, true, true, true, true, false]);
		expect(limiter.take('a')).toEqual({ allowed: false, retryAfterSeconds: 1 });
		advance(100);
		expect(takes(limiter, 'a', 2)).toEqual([true, false]);
		advance(60_000);
		expect(takes(limiter, 'a', 6)).toEqual([true, true, true, true, true, false]);
	});

	it('keeps one bucket per key: a burst on one leaves the others whole', () => {
		const { limiter } = clocked(1, 2);
		expect(takes(limiter, 'a', 5)).toEqual([true, true, false, false, false]);
		expect(takes(limiter, 'b', 2)).toEqual([true, true]);
	});

	it('drops buckets that have refilled, so memory follows the recent keys only', () => {
		const { limiter, advance } = clocked(100, 100);
		for (let i = 0; i < 1000; i++) limiter.take(`key-${i}`);
		expect(limiter.size()).toBe(1000);
		advance(11_000);
		limiter.take('now');
		expect(limiter.size()).toBe(1);
	});

	it('refuses a limit that would refuse everything', () => {
		expect(() => createRateLimiter({ perSecond: 0, burst: 1 })).toThrow(RangeError);
		expect(() => createRateLimiter({ perSecond: 1, burst: 0 })).toThrow(RangeError);
	});
});

describe.each(KINDS)('workspaces on %s', (kind) => {
	it('keeps SYNC_TOKEN as the owner of the default workspace', async () => {
		const { store } = await openStore(kind);
		const { json } = client(store);
		expect(await json(200, SYNC, 'GET', '/v1/me')).toEqual({
			workspaceId: 'default',
			workspaceName: 'Default workspace',
			memberId: 'sync-token',
			memberName: 'SYNC_TOKEN',
			role: 'owner',
			feedId: expect.stringMatching(FEED_ID),
			rules: { doNotCallSeq: 0, callingHoursAt: 0, teamAt: expect.any(Number) }
		});
		// A new SYNC_TOKEN replaces the old one: only the current one is the owner's.
		const again = client(store, { token: 'another-sync-token' });
		expect((await again.call(SYNC, 'GET', '/v1/me')).status).toBe(401);
		await again.json(200, 'another-sync-token', 'GET', '/v1/me');
	});

	it('creates workspaces with ADMIN_TOKEN only, and has no such route without it', async () => {
		const { store } = await openStore(kind);
		const without = client(store, { adminToken: undefined });
		for (const token of [undefined, SYNC, ADMIN, 'anything']) {
			const res = await without.call(token, 'POST', '/v1/workspaces', { name: 'Acme' });
			expect(res.status).toBe(404);
			expect(await res.json()).toEqual({ error: 'Not found.' });
		}
		const { call, json } = client(store);
		const missing = await call(undefined, 'POST', '/v1/workspaces', { name: 'Acme' });
		expect(missing.status).toBe(401);
		expect(missing.headers.get('WWW-Authenticate')).toBe('Bearer realm="callaro-sync"');
		// A wrong admin token, and a workspace owner's token (which is not the operator's): 401.
		for (const token of ['wrong-admin-token', SYNC]) {
			const wrong = await call(token, 'POST', '/v1/workspaces', { name: 'Acme' });
			expect(wrong.status).toBe(401);
			expect(await wrong.json()).toEqual({ error: 'Missing or invalid API token.' });
		}
		for (const body of [{}, { name: '' }, { name: 'x'.repeat(201) }, { name: 'a\u0000b' }, '[1]'])
			expect((await call(ADMIN, 'POST', '/v1/workspaces', body)).status).toBe(400);
		const created = await json(201, ADMIN, 'POST', '/v1/workspaces', { name: '  Acme Sales ' });
		expect(created).toEqual({
			workspaceId: expect.stringMatching(/^ws_[\w-]{16}$/),
			name: 'Acme Sales',
			ownerToken: expect.stringMatching(/^[\w-]{43}$/)
		});
		expect(await json(200, created.ownerToken, 'GET', '/v1/me')).toEqual({
			workspaceId: created.workspaceId,
			workspaceName: 'Acme Sales',
			memberId: expect.stringMatching(/^mem_/),
			memberName: 'Owner',
			role: 'owner',
			feedId: expect.stringMatching(FEED_ID),
			rules: { doNotCallSeq: 0, callingHoursAt: 0, teamAt: expect.any(Number) }
		});
		// The admin token is no member's: it reaches no workspace route.
		expect((await call(ADMIN, 'GET', '/v1/stats')).status).toBe(401);
		expect((await call(ADMIN, 'GET', '/v1/workspaces')).status).toBe(404);
	});

	it('lets members push, pull and read fields, and keeps fields and members to owners (403)', async () => {
		const { store } = await openStore(kind);
		const { call, json, newWorkspace, newMember } = client(store);
		const { ownerToken } = await newWorkspace('Acme');
		const member = await newMember(ownerToken, 'Field agent');
		expect(member).toEqual({
			memberId: expect.stringMatching(/^mem_/),
			token: expect.stringMatching(/^[\w-]{43}$/)
		});
		expect(await json(200, member.token, 'GET', '/v1/me')).toMatchObject({
			memberId: member.memberId,
			memberName: 'Field agent',
			role: 'member'
		});
		await json(200, ownerToken, 'PUT', '/v1/custom-fields/region', { label: 'Region' });
		const pushed = await json(
			200,
			member.token,
			'POST',
			'/v1/contacts/batches',
			batch('m1', [{ phone: A1, firstName: 'Ada', custom: { region: 'West' }, updatedAt: 1 }]),
			{ 'Idempotency-Key': 'm1' }
		);
		expect(pushed).toMatchObject({ accepted: 1 });
		expect(await json(200, member.token, 'GET', '/v1/stats')).toEqual({ contacts: 1, batches: 1 });
		expect((await json(200, member.token, 'GET', '/v1/contacts')).contacts).toHaveLength(1);
		expect((await json(200, member.token, 'GET', '/v1/changes')).changes).toHaveLength(1);
		expect(await json(200, member.token, 'GET', '/v1/custom-fields')).toEqual({
			fields: [{ key: 'region', label: 'Region', type: 'text' }]
		});
		// Before anything else is read: a member's invalid field is a 403 too, never a 400.
		for (const path of ['/v1/custom-fields/region', '/v1/custom-fields/Bad-Key']) {
			const res = await call(member.token, 'PUT', path, { label: 'Changed' });
			expect(res.status).toBe(403);
			expect(await res.json()).toEqual({ error: FIELDS_OWNERS_ONLY });
		}
		expect(FIELDS_OWNERS_ONLY).toMatch(/custom field schema belongs to the workspace's owners/);
		for (const [method, path, body] of [
			['GET', '/v1/members'],
			['POST', '/v1/members', { name: 'Me too', role: 'owner' }],
			['DELETE', `/v1/members/${member.memberId}`],
			['DELETE', '/v1/members/mem_nobody']
		] as const) {
			const res = await call(member.token, method, path, body);
			expect(res.status, `${method} ${path}`).toBe(403);
			expect(await res.json()).toEqual({ error: MEMBERS_OWNERS_ONLY });
		}
		expect(await json(200, ownerToken, 'GET', '/v1/custom-fields')).toEqual({
			fields: [{ key: 'region', label: 'Region', type: 'text' }]
		});
		// An owner made by an owner manages too.
		const second = await newMember(ownerToken, 'Second owner', 'owner');
		await json(200, second.token, 'PUT', '/v1/custom-fields/team', { label: 'Team' });
		await json(200, second.token, 'GET', '/v1/members');
		expect(
			(await call(ownerToken, 'POST', '/v1/members', { name: 'X', role: 'admin' })).status
		).toBe(400);
		expect((await call(ownerToken, 'POST', '/v1/members', { role: 'member' })).status).toBe(400);
	});

	it('lists members without tokens, and revokes a token at once on every route', async () => {
		const { store } = await openStore(kind);
		const { call, json, newWorkspace, newMember } = client(store);
		const { ownerToken } = await newWorkspace('Acme');
		const member = await newMember(ownerToken, 'Agent');
		for (const [method, path, body, headers] of ROUTES)
			expect(
				(await call(member.token, method, path, body, headers)).status,
				`${method} ${path}`
			).not.toBe(401);
		const listed = await json(200, ownerToken, 'GET', '/v1/members');
		// Oldest first; members made in the same millisecond may come in either order.
		const created = listed.members.map((m: { createdAt: number }) => m.createdAt);
		expect(created).toEqual([...created].sort((x, y) => x - y));
		expect(byName(listed.members)).toEqual([
			{
				memberId: member.memberId,
				name: 'Agent',
				role: 'member',
				createdAt: expect.any(Number),
				revoked: false,
				revokedAt: null
			},
			{
				memberId: expect.stringMatching(/^mem_/),
				name: 'Owner',
				role: 'owner',
				createdAt: expect.any(Number),
				revoked: false,
				revokedAt: null
			}
		]);
		const text = JSON.stringify(listed);
		expect(text).not.toContain(member.token);
		expect(text).not.toContain(hashToken(member.token));

		const revoked = await json(200, ownerToken, 'DELETE', `/v1/members/${member.memberId}`);
		expect(revoked).toMatchObject({ memberId: member.memberId, revoked: true });
		for (const [method, path, body, headers] of ROUTES) {
			const res = await call(member.token, method, path, body, headers);
			expect(res.status, `${method} ${path}`).toBe(401);
			expect(await res.json()).toEqual({ error: 'Missing or invalid API token.' });
			expect(res.headers.get('WWW-Authenticate')).toBe(
				'Bearer realm="callaro-sync", error="invalid_token"'
			);
		}
		// Revoking again changes nothing; the list says it is revoked, and when.
		await json(200, ownerToken, 'DELETE', `/v1/members/${member.memberId}`);
		const after = (await json(200, ownerToken, 'GET', '/v1/members')).members;
		expect(after.find((m: { memberId: string }) => m.memberId === member.memberId)).toMatchObject({
			revoked: true,
			revokedAt: revoked.revokedAt
		});
	});

	it('keeps the last active owner of a workspace, and the SYNC_TOKEN owner (409)', async () => {
		const { store } = await openStore(kind);
		const { json, newWorkspace, newMember } = client(store);
		const { ownerToken } = await newWorkspace('Acme');
		const me = await json(200, ownerToken, 'GET', '/v1/me');
		const alone = await json(409, ownerToken, 'DELETE', `/v1/members/${me.memberId}`);
		expect(alone.error).toMatch(/last active owner/);
		const other = await newMember(ownerToken, 'Other owner', 'owner');
		await json(200, other.token, 'DELETE', `/v1/members/${me.memberId}`);
		expect((await json(401, ownerToken, 'GET', '/v1/me')).error).toMatch(/invalid API token/);
		await json(409, other.token, 'DELETE', `/v1/members/${other.memberId}`);
		// A member does not count as an owner.
		const member = await newMember(other.token, 'Member');
		await json(409, other.token, 'DELETE', `/v1/members/${other.memberId}`);
		await json(200, other.token, 'DELETE', `/v1/members/${member.memberId}`);
		// In the default workspace, SYNC_TOKEN's owner is replaced through SYNC_TOKEN only.
		const extra = await newMember(SYNC, 'Extra owner', 'owner');
		const env = await json(409, extra.token, 'DELETE', '/v1/members/sync-token');
		expect(env.error).toMatch(/SYNC_TOKEN/);
		await json(200, SYNC, 'DELETE', `/v1/members/${extra.memberId}`);
		await json(200, SYNC, 'GET', '/v1/me');
	});

	it('shows a workspace nothing of another, whatever ids, keys, cursors and phones it tries', async () => {
		const { store } = await openStore(kind);
		const { call, json, newWorkspace, newMember } = client(store);
		// Workspace A (the default one) with contacts, a tombstone, stored answers, fields, members.
		const memberA = await newMember(SYNC, 'Agent A');
		await json(200, SYNC, 'PUT', '/v1/custom-fields/region', { label: 'Region' });
		const bodyA1 = batch('a1', [
			{ phone: A1, firstName: 'Ada', custom: { region: 'West' }, updatedAt: 100 },
			{ phone: A2, firstName: 'Bo', updatedAt: 100 }
		]);
		await json(200, memberA.token, 'POST', '/v1/contacts/batches', bodyA1, {
			'Idempotency-Key': 'a1'
		});
		const bodyA2 = batch('a2', [], [{ phone: A3, deletedAt: 100 }]);
		await json(200, SYNC, 'POST', '/v1/contacts/batches', bodyA2, { 'Idempotency-Key': 'a2' });
		const feedA = await json(200, SYNC, 'GET', '/v1/changes?count=1');
		const membersA = (await json(200, SYNC, 'GET', '/v1/members')).members as {
			memberId: string;
		}[];
		const contactsA = await json(200, SYNC, 'GET', '/v1/contacts');
		const statsA = await json(200, SYNC, 'GET', '/v1/stats');

		const { ownerToken: b } = await newWorkspace('Workspace B');
		const bMember = await newMember(b, 'Agent B');
		// Every read route: empty, whatever cursor or phone of A's is given.
		const same = async (path: string, nowhere: string) =>
			expect(await whole(await call(b, 'GET', path)), path).toEqual(
				await whole(await call(b, 'GET', nowhere))
			);
		expect(await json(200, b, 'GET', '/v1/stats')).toEqual({ contacts: 0, batches: 0 });
		expect(await json(200, b, 'GET', '/v1/contacts')).toEqual({ contacts: [], next: null });
		await same(`/v1/contacts?after=${encodeURIComponent(A1)}`, '/v1/contacts?after=%2B1999');
		const { feedId: feedIdB } = await json(200, b, 'GET', '/v1/me');
		expect(feedIdB).toMatch(FEED_ID);
		// Each workspace's feed has its own id: B is told nothing of A's.
		expect(feedIdB).not.toBe(feedA.feedId);
		expect(await json(200, b, 'GET', '/v1/changes?count=1')).toEqual({
			feedId: feedIdB,
			horizon: { seq: 0, before: 0, gen: 0 },
			changes: [],
			next: 0,
			more: false,
			remaining: 0
		});
		for (const seq of [1, feedA.next - 1, feedA.next])
			expect(await json(200, b, 'GET', `/v1/changes?since=${seq}&count=1`)).toEqual({
				feedId: feedIdB,
				horizon: { seq: 0, before: 0, gen: 0 },
				changes: [],
				next: seq,
				more: false,
				remaining: 0
			});
		await same('/v1/changes?since=1&limit=1', '/v1/changes?since=1&limit=1');
		expect(await json(200, b, 'GET', '/v1/custom-fields')).toEqual({ fields: [] });
		// Members: A's ids are not found, exactly as an id that exists nowhere, and stay active.
		const nowhere = await whole(await call(b, 'DELETE', '/v1/members/mem_AAAAAAAAAAAAAAAA'));
		expect(nowhere.status).toBe(404);
		for (const id of [...membersA.map((m) => m.memberId), 'sync-token']) {
			expect(await whole(await call(b, 'DELETE', `/v1/members/${id}`)), id).toEqual(nowhere);
			expect(await whole(await call(bMember.token, 'DELETE', `/v1/members/${id}`))).toEqual(
				await whole(await call(bMember.token, 'DELETE', '/v1/members/mem_AAAAAAAAAAAAAAAA'))
			);
		}
		await json(200, memberA.token, 'GET', '/v1/me');
		expect(byName((await json(200, b, 'GET', '/v1/members')).members).map((m) => m.name)).toEqual([
			'Agent B',
			'Owner'
		]);
		// A's idempotency keys are new requests in B: A's very batch under its key is applied, not
		// replayed, and A's other key with another body is applied, not refused as reused.
		const again = await call(b, 'POST', '/v1/contacts/batches', bodyA1, {
			'Idempotency-Key': 'a1'
		});
		expect(again.status).toBe(200);
		expect(again.headers.get('Idempotent-Replayed')).toBeNull();
		expect(await again.json()).toMatchObject({ batchId: 'a1', accepted: 2, stale: 0 });
		// A's phones are B's own: an upsert under A's tombstone, older than it, applies.
		const under = await call(
			b,
			'POST',
			'/v1/contacts/batches',
			batch('a2', [{ phone: A3, firstName: 'Cy', updatedAt: 1 }]),
			{ 'Idempotency-Key': 'a2' }
		);
		expect(under.status).toBe(200);
		expect(under.headers.get('Idempotent-Replayed')).toBeNull();
		expect(await under.json()).toMatchObject({ accepted: 1, stale: 0 });
		const deleted = await json(
			200,
			b,
			'POST',
			'/v1/contacts/batches',
			batch('b-del', [], [{ phone: A2, deletedAt: 101 }]),
			{ 'Idempotency-Key': 'b-del' }
		);
		expect(deleted).toMatchObject({ deleted: 1, stale: 0 });
		await json(200, b, 'PUT', '/v1/custom-fields/region', { label: 'B region', type: 'text' });
		// B's feed is numbered from 1 on its own, and holds B's writes only.
		const feedB = await json(200, b, 'GET', '/v1/changes');
		expect(feedB.feedId).toBe(feedIdB);
		expect(
			feedB.changes.map((c: { seq: number; op: string; phone: string }) => [c.seq, c.op, c.phone])
		).toEqual([
			[1, 'upsert', A1],
			[3, 'upsert', A3],
			[4, 'delete', A2]
		]);
		expect(await json(200, b, 'GET', '/v1/stats')).toEqual({ contacts: 2, batches: 3 });
		// And A is as it was: its feed, contacts, stats, fields, and its own replays.
		expect(await json(200, SYNC, 'GET', '/v1/changes?count=1')).toEqual(feedA);
		expect(await json(200, SYNC, 'GET', '/v1/contacts')).toEqual(contactsA);
		expect(await json(200, SYNC, 'GET', '/v1/stats')).toEqual(statsA);
		expect(await json(200, SYNC, 'GET', '/v1/custom-fields')).toEqual({
			fields: [{ key: 'region', label: 'Region', type: 'text' }]
		});
		const replay = await call(SYNC, 'POST', '/v1/contacts/batches', bodyA1, {
			'Idempotency-Key': 'a1'
		});
		expect(replay.headers.get('Idempotent-Replayed')).toBe('true');
		expect(await json(200, b, 'GET', '/v1/me')).toMatchObject({
			workspaceName: 'Workspace B',
			feedId: feedIdB
		});
		expect(await json(200, SYNC, 'GET', '/v1/me')).toMatchObject({ feedId: feedA.feedId });
	});

	it('limits each token on its own: past it a 429 with Retry-After, other tokens unaffected', async () => {
		const { store } = await openStore(kind);
		const limit: RateLimit = { perSecond: 4, burst: 5 };
		const { call, newWorkspace, newMember } = client(store, { rateLimit: limit });
		const { ownerToken } = await newWorkspace('Acme');
		const member = await newMember(SYNC, 'Agent');
		// The admin token has used 1 of its 5; SYNC_TOKEN 1 of its 5.
		const statuses: number[] = [];
		for (let i = 0; i < 4; i++) statuses.push((await call(SYNC, 'GET', '/v1/stats')).status);
		expect(statuses).toEqual([200, 200, 200, 200]);
		const refused = await call(SYNC, 'GET', '/v1/stats');
		expect(refused.status).toBe(429);
		expect(refused.headers.get('Retry-After')).toBe('1');
		expect((await refused.json()).error).toMatch(/Too many requests/);
		// The same workspace's member, another workspace's owner: their own buckets.
		for (const token of [member.token, ownerToken])
			for (let i = 0; i < 5; i++) expect((await call(token, 'GET', '/v1/stats')).status).toBe(200);
		// A refused request takes nothing, and the bucket refills.
		await new Promise((r) => setTimeout(r, 300));
		expect((await call(SYNC, 'GET', '/v1/stats')).status).toBe(200);
		// An unknown token is limited as one too, before it costs a lookup.
		const unknown = [];
		for (let i = 0; i < 6; i++) unknown.push((await call('nobody', 'GET', '/v1/stats')).status);
		expect(unknown).toEqual([401, 401, 401, 401, 401, 429]);
	});

	it('keeps no token in the database, only hashes of them', async () => {
		const { store, path, url } = await openStore(kind);
		const { json, newWorkspace, newMember } = client(store);
		const tokens = [SYNC, ADMIN];
		const active: string[] = [SYNC];
		for (const name of ['One', 'Two']) {
			const { ownerToken } = await newWorkspace(name);
			const member = await newMember(ownerToken, `${name} agent`);
			const revoked = await newMember(ownerToken, `${name} gone`);
			await json(200, ownerToken, 'DELETE', `/v1/members/${revoked.memberId}`);
			await json(
				200,
				member.token,
				'POST',
				'/v1/contacts/batches',
				batch(`b-${name}`, [{ phone: A1, firstName: name, updatedAt: 1 }]),
				{ 'Idempotency-Key': `b-${name}` }
			);
			tokens.push(ownerToken, member.token, revoked.token);
			active.push(ownerToken, member.token);
		}
		let stored: string;
		if (path) {
			// The database file and its WAL, as bytes (latin1 keeps every byte as one character).
			stored = [path, `${path}-wal`]
				.map((file) => {
					try {
						return readFileSync(file).toString('latin1');
					} catch {
						return '';
					}
				})
				.join('\n');
		} else {
			const db = new pg.Client({ connectionString: url });
			await db.connect();
			try {
				const { rows: columns } = await db.query<{ table_name: string; column_name: string }>(
					`SELECT table_name, column_name FROM information_schema.columns
					 WHERE table_schema = current_schema() AND data_type IN ('text', 'character varying')`
				);
				expect(columns.length).toBeGreaterThan(10);
				const values: string[] = [];
				for (const { table_name, column_name } of columns) {
					const { rows } = await db.query<{ v: string | null }>(
						`SELECT "${column_name}" AS v FROM "${table_name}"`
					);
					values.push(...rows.map((r) => r.v ?? ''));
				}
				stored = values.join('\n');
			} finally {
				await db.end();
			}
		}
		// The reading sees what is stored: the active tokens' hashes and the contacts.
		expect(stored).toContain('Two agent');
		for (const token of active) expect(stored).toContain(hashToken(token));
		for (const token of tokens) expect(stored).not.toContain(token);
	});
});

/**
 * A database the release before workspaces wrote: schema versions 1 to 3 (never edited, so they
 * are that release's schema) holding contacts, a tombstone, stored answers (one applied, one
 * refused), a custom field and their feed numbers, in rows as that release's statements wrote
 * them.
 */
const OLD_A1 = {
	phone: A1,
	firstName: 'Ada',
	tags: ['vip'],
	custom: { region: 'West' },
	updatedAt: 10
};
const OLD_A2 = { phone: A2, firstName: 'Bo', tags: [], custom: {}, updatedAt: 12 };
const OLD_ANSWER = '{"batchId":"b","importId":"i","accepted":2,"refused":[],"stale":0,"deleted":1}';
const OLD_ROWS = [
	`INSERT INTO contacts (phone, data, import_id, updated_at, version_at, device_id, seq)
	 VALUES ('${A1}', '${JSON.stringify(OLD_A1)}', 'imp-old', 1, 10, 'dev-1', 1)`,
	`INSERT INTO tombstones (phone, version_at, device_id, seq) VALUES ('${A3}', 11, 'dev-1', 2)`,
	`INSERT INTO contacts (phone, data, import_id, updated_at, version_at, device_id, seq)
	 VALUES ('${A2}', '${JSON.stringify(OLD_A2)}', 'imp-old', 1, 12, 'dev-2', 3)`,
	`UPDATE counters SET value = 3 WHERE name = 'seq'`,
	`INSERT INTO batches (idempotency_key, request_hash, status, body, created_at)
	 VALUES ('old-key', 'old-hash', 200, '${OLD_ANSWER}', 1)`,
	`INSERT INTO batches (idempotency_key, request_hash, status, body, created_at)
	 VALUES ('refused-key', 'h', 422, '{}', 1)`,
	"INSERT INTO custom_fields (key, label, type, updated_at) VALUES ('region', 'Region', 'text', 1)"
];

/**
 * Writes that database on `kind` (or, given them, a database at schema version `at` holding
 * `rows`); `open` opens a store on it (closed after the test).
 */
async function writeOldDatabase(
	kind: Kind,
	at = 3,
	rows = OLD_ROWS
): Promise<{ open: () => Promise<Store> }> {
	const applied = SCHEMA.slice(0, at).map((v) => v.version);
	if (kind === 'sqlite') {
		const path = tempFile();
		const db = new Database(path);
		expect(migrateSqlite(db, SCHEMA.slice(0, at))).toEqual(applied);
		for (const sql of rows) db.exec(sql);
		db.close();
		return {
			open: async () => {
				const store = openSqliteStore(path);
				opened.push({ store });
				return store;
			}
		};
	}
	const { url, drop } = await scratchDatabase();
	dropAfter.push(drop);
	const pool = createPool(url, 1);
	expect(await migratePg(pool, SCHEMA.slice(0, at))).toEqual(applied);
	for (const sql of rows) await pool.query(sql);
	await pool.end();
	return {
		open: async () => {
			const store = await openPgStore(url);
			opened.push({ store });
			return store;
		}
	};
}

describe.each(KINDS)('a database from before workspaces, on %s', (kind) => {
	it('upgrades into the default workspace, with nothing lost, and writes on', async () => {
		const old = await writeOldDatabase(kind);
		const store = await old.open();
		const { call, json, newWorkspace, newMember } = client(store);
		const member = await newMember(SYNC, 'Agent');
		// The owner (SYNC_TOKEN) and a new member of the default workspace see all of it.
		for (const token of [SYNC, member.token]) {
			expect(await json(200, token, 'GET', '/v1/stats')).toEqual({ contacts: 2, batches: 1 });
			expect(await json(200, token, 'GET', '/v1/contacts')).toEqual({
				contacts: [OLD_A1, OLD_A2],
				next: null
			});
			expect(await json(200, token, 'GET', '/v1/changes?count=1')).toEqual({
				feedId: expect.stringMatching(FEED_ID),
				horizon: { seq: 0, before: 0, gen: 0 },
				changes: [
					{ seq: 1, op: 'upsert', phone: A1, at: 10, deviceId: 'dev-1', contact: OLD_A1 },
					{ seq: 2, op: 'delete', phone: A3, at: 11, deviceId: 'dev-1' },
					{ seq: 3, op: 'upsert', phone: A2, at: 12, deviceId: 'dev-2', contact: OLD_A2 }
				],
				next: 3,
				more: false,
				remaining: 0
			});
			expect(await json(200, token, 'GET', '/v1/custom-fields')).toEqual({
				fields: [{ key: 'region', label: 'Region', type: 'text' }]
			});
		}
		// The stored answer replays for its key (against the request hash it was stored with).
		const empty = { batchId: 'b', importId: 'i', deviceId: 'x', contacts: [], deletes: [] };
		expect(await store.applyBatch('old-key', 'old-hash', empty, [], [])).toEqual({
			status: 200,
			body: JSON.parse(OLD_ANSWER),
			replayed: true
		});
		expect((await store.applyBatch('old-key', 'other', empty, [], [])).status).toBe(422);
		// New writes continue the feed; the kept tombstone and versions keep older writes out.
		const next = await json(
			200,
			member.token,
			'POST',
			'/v1/contacts/batches',
			batch('new', [
				{ phone: A3, firstName: 'Back?', updatedAt: 5 },
				{ phone: A1, firstName: 'Older', updatedAt: 9 },
				{ phone: '+14155550104', firstName: 'New', updatedAt: 20 }
			]),
			{ 'Idempotency-Key': 'new' }
		);
		expect(next).toMatchObject({ accepted: 1, stale: 2 });
		expect((await json(200, SYNC, 'GET', '/v1/changes?since=3')).changes).toMatchObject([
			{ seq: 4, op: 'upsert', phone: '+14155550104' }
		]);
		// A new workspace starts empty beside it, its feed numbered from 1.
		const { ownerToken } = await newWorkspace('New');
		expect(await json(200, ownerToken, 'GET', '/v1/stats')).toEqual({ contacts: 0, batches: 0 });
		await json(
			200,
			ownerToken,
			'POST',
			'/v1/contacts/batches',
			batch('n', [{ phone: A1, updatedAt: 1 }]),
			{ 'Idempotency-Key': 'new' }
		);
		expect((await json(200, ownerToken, 'GET', '/v1/changes')).changes).toMatchObject([
			{ seq: 1, phone: A1 }
		]);
		expect((await call(SYNC, 'GET', '/v1/stats')).status).toBe(200);
		// Opened again (a restart): nothing applied twice, and everything there.
		const again = await old.open();
		expect(await again.stats()).toEqual({ contacts: 3, batches: 2 });
		expect((await again.listChanges(0, 10)).changes.map((c) => c.seq)).toEqual([1, 2, 3, 4]);
		expect(await client(again).json(200, member.token, 'GET', '/v1/me')).toMatchObject({
			workspaceId: 'default',
			memberName: 'Agent'
		});
	});
});

/** A token of the second workspace in `V4_ROWS`. */
const V4_OWNER = 'owner-token-of-the-old-team';
/**
 * A database at schema version 4 (workspaces, before feed ids), as the current statements write
 * it: the default workspace with two contacts, and a second workspace with its owner and one.
 */
const V4_ROWS = [
	"UPDATE workspaces SET seq = 2 WHERE id = 'default'",
	"INSERT INTO workspaces (id, name, seq, created_at) VALUES ('ws_old', 'Old team', 1, 1)",
	`INSERT INTO members (id, workspace_id, name, role, token_hash, created_at, revoked_at)
	 VALUES ('mem_old', 'ws_old', 'Owner', 'owner', '${hashToken(V4_OWNER)}', 1, NULL)`,
	...[
		['default', OLD_A1, 1],
		['default', OLD_A2, 2],
		['ws_old', OLD_A2, 1]
	].map(
		([ws, contact, seq]) =>
			`INSERT INTO contacts (workspace_id, phone, data, import_id, updated_at, version_at, device_id, seq)
			 VALUES ('${String(ws)}', '${(contact as typeof OLD_A1).phone}', '${JSON.stringify(contact)}', 'imp', 1, 5, 'dev', ${Number(seq)})`
	)
];

describe.each(KINDS)('the change feed’s id on %s', (kind) => {
	it('is kept by the upgrade to version 5, one per workspace, and by a restart', async () => {
		const old = await writeOldDatabase(kind, 4, V4_ROWS);
		const store = await old.open();
		const { json } = client(store);
		const feedA = (await json(200, SYNC, 'GET', '/v1/me')).feedId as string;
		const feedB = (await json(200, V4_OWNER, 'GET', '/v1/me')).feedId as string;
		expect(feedA).toMatch(FEED_ID);
		expect(feedB).toMatch(FEED_ID);
		expect(feedB).not.toBe(feedA);
		// Nothing lost, and every page names its workspace's feed.
		const first = await json(200, SYNC, 'GET', '/v1/changes?limit=1&count=1');
		expect(first).toMatchObject({ feedId: feedA, next: 1, more: true, remaining: 1 });
		expect(await json(200, SYNC, 'GET', '/v1/changes?since=1')).toEqual({
			feedId: feedA,
			horizon: { seq: 0, before: 0, gen: 0 },
			changes: [{ seq: 2, op: 'upsert', phone: A2, at: 5, deviceId: 'dev', contact: OLD_A2 }],
			next: 2,
			more: false
		});
		expect(await json(200, V4_OWNER, 'GET', '/v1/changes')).toEqual({
			horizon: { seq: 0, before: 0, gen: 0 },
			feedId: feedB,
			changes: [{ seq: 1, op: 'upsert', phone: A2, at: 5, deviceId: 'dev', contact: OLD_A2 }],
			next: 1,
			more: false
		});
		await json(
			200,
			SYNC,
			'POST',
			'/v1/contacts/batches',
			batch('n', [{ phone: A3, updatedAt: 9 }]),
			{
				'Idempotency-Key': 'n'
			}
		);
		// Opened again (a restart): the same ids, the feed continued.
		const again = client(await old.open());
		expect((await again.json(200, SYNC, 'GET', '/v1/me')).feedId).toBe(feedA);
		expect((await again.json(200, V4_OWNER, 'GET', '/v1/me')).feedId).toBe(feedB);
		expect(await again.json(200, SYNC, 'GET', '/v1/changes?since=2')).toMatchObject({
			feedId: feedA,
			changes: [{ seq: 3, phone: A3 }],
			next: 3
		});
	});

	it('is new for a new database and for each new workspace, and the same on every page', async () => {
		const { store } = await openStore(kind);
		const { json, newWorkspace } = client(store);
		const feed = (await json(200, SYNC, 'GET', '/v1/me')).feedId as string;
		expect(feed).toMatch(FEED_ID);
		// Another new database (a server restored to an empty one): another feed.
		const other = client((await openStore(kind)).store);
		expect((await other.json(200, SYNC, 'GET', '/v1/me')).feedId).not.toBe(feed);
		const phones = [A1, A2, A3].map((phone) => ({ phone, updatedAt: 1 }));
		await json(200, SYNC, 'POST', '/v1/contacts/batches', batch('p', phones), {
			'Idempotency-Key': 'p'
		});
		const ids: string[] = [];
		for (let since = 0, more = true; more;) {
			const page = await json(200, SYNC, 'GET', `/v1/changes?since=${since}&limit=1&count=1`);
			ids.push(page.feedId);
			({ next: since, more } = page);
		}
		expect(ids).toEqual([feed, feed, feed]);
		const made = await Promise.all(['One', 'Two'].map(newWorkspace));
		const madeFeeds: string[] = [];
		for (const { ownerToken } of made) {
			const id = (await json(200, ownerToken, 'GET', '/v1/me')).feedId as string;
			expect(id).toMatch(FEED_ID);
			expect((await json(200, ownerToken, 'GET', '/v1/changes')).feedId).toBe(id);
			madeFeeds.push(id);
		}
		expect(new Set([feed, ...madeFeeds]).size).toBe(3);
	});
});

describe.runIf(pgAdminUrl())('one workspace’s burst on PostgreSQL', () => {
	it('leaves other workspaces’ requests their connections', async () => {
		const { store } = await openStore('postgres');
		const { call, newWorkspace } = client(store);
		const { ownerToken: b } = await newWorkspace('B');
		// 30 batches of the default workspace at once: more than the pool's 10 connections.
		let settled = 0;
		const burst = Array.from({ length: 30 }, (_, k) =>
			store
				.applyBatch(
					`burst-${k}`,
					'h',
					{ batchId: `burst-${k}`, importId: 'i', deviceId: 'd', contacts: [], deletes: [] },
					Array.from({ length: 500 }, (_, i) => ({
						contact: {
							phone: `+1415${String(k * 500 + i).padStart(7, '0')}`,
							tags: [],
							custom: {},
							updatedAt: 1
						}
					})),
					[]
				)
				.then(() => settled++)
		);
		// B's token lookups, its read and its batch are answered while the burst has barely begun.
		expect((await call(b, 'GET', '/v1/stats')).status).toBe(200);
		const pushed = await call(b, 'POST', '/v1/contacts/batches', batch('b', [{ phone: A1 }]), {
			'Idempotency-Key': 'b'
		});
		expect(pushed.status).toBe(200);
		// Queued behind the burst for a connection, B would wait for about 20 of its 30 batches.
		expect(settled).toBeLessThan(10);
		await Promise.all(burst);
		expect(await store.stats()).toEqual({ contacts: 15_000, batches: 30 });
	});
});

describe.each(KINDS)('a workspace’s calling rules on %s', (kind) => {
	it('keeps the calling hours per workspace, the newer write winning, changed by owners only', async () => {
		const { store } = await openStore(kind);
		const { json, newWorkspace, newMember } = client(store);
		expect(await json(200, SYNC, 'GET', '/v1/calling-hours')).toEqual({
			from: '08:00',
			to: '21:00',
			updatedAt: 0
		});
		const hours = { from: '09:00', to: '17:30', updatedAt: 2000 };
		expect(await json(200, SYNC, 'PUT', '/v1/calling-hours', hours)).toEqual(hours);
		// `/v1/me` says where the rules stand, so a device asks for them only when they moved.
		expect((await json(200, SYNC, 'GET', '/v1/me')).rules).toEqual({
			doNotCallSeq: 0,
			callingHoursAt: 2000,
			teamAt: expect.any(Number)
		});
		// An older write is answered with the stored, newer one.
		const older = { from: '07:00', to: '22:00', updatedAt: 1000 };
		expect(await json(200, SYNC, 'PUT', '/v1/calling-hours', older)).toEqual(hours);
		const bad = await json(400, SYNC, 'PUT', '/v1/calling-hours', { ...hours, to: '25:00' });
		expect(bad.error).toContain('to must be a time like 21:00');
		const member = await newMember(SYNC, 'Agent');
		expect(await json(200, member.token, 'GET', '/v1/calling-hours')).toEqual(hours);
		const refused = await json(403, member.token, 'PUT', '/v1/calling-hours', {
			...hours,
			updatedAt: 3000
		});
		expect(refused.error).toContain('only an owner can change them');
		const other = await newWorkspace('Other');
		expect((await json(200, other.ownerToken, 'GET', '/v1/calling-hours')).updatedAt).toBe(0);
	});

	it('shows every member the team contacts can be owned by, and says in /v1/me when it changed', async () => {
		const { store } = await openStore(kind);
		const { json, newWorkspace, newMember } = client(store);
		const teamAt = async (token: string) =>
			(await json(200, token, 'GET', '/v1/me')).rules.teamAt as number;
		const before = await teamAt(SYNC);
		// Only the SYNC_TOKEN key so far: it is the server's, not a person's, and is not listed.
		expect(await json(200, SYNC, 'GET', '/v1/team')).toEqual({ members: [], teamAt: before });
		await new Promise((resolve) => setTimeout(resolve, 2));
		const ana = await newMember(SYNC, 'ana.ruiz@acme.com');
		const ben = await newMember(SYNC, 'Ben Okafor', 'owner');
		const added = await teamAt(ana.token);
		expect(added).toBeGreaterThan(before);
		// A member reads it too (names and roles only: no ids, no tokens).
		const team = await json(200, ana.token, 'GET', '/v1/team');
		expect(byName(team.members)).toEqual([
			{ name: 'ana.ruiz@acme.com', role: 'member' },
			{ name: 'Ben Okafor', role: 'owner' }
		]);
		expect(team.teamAt).toBe(added);
		await new Promise((resolve) => setTimeout(resolve, 2));
		await json(200, SYNC, 'DELETE', `/v1/members/${ana.memberId}`);
		expect(await teamAt(ben.token)).toBeGreaterThan(added);
		expect((await json(200, ben.token, 'GET', '/v1/team')).members).toEqual([
			{ name: 'Ben Okafor', role: 'owner' }
		]);
		// Isolation: another workspace's team is its own.
		const other = await newWorkspace('Other');
		expect((await json(200, other.ownerToken, 'GET', '/v1/team')).members).toEqual([
			{ name: 'Owner', role: 'owner' }
		]);
	});

	it('adds to the do-not-call list (anyone), pages it from a sequence, and clears it (owners)', async () => {
		const { store } = await openStore(kind);
		const { json, newWorkspace, newMember } = client(store);
		const member = await newMember(SYNC, 'Agent');
		expect(
			await json(200, member.token, 'POST', '/v1/do-not-call', { phones: [A1, A2, A1] })
		).toEqual({
			added: 2,
			count: 2
		});
		expect(await json(200, SYNC, 'POST', '/v1/do-not-call', { phones: [A2, A3] })).toEqual({
			added: 1,
			count: 3
		});
		expect((await json(200, SYNC, 'GET', '/v1/me')).rules.doNotCallSeq).toBeGreaterThan(0);
		const first = await json(200, SYNC, 'GET', '/v1/do-not-call?since=0&limit=2');
		expect(first).toMatchObject({ phones: [A1, A2], more: true, cleared: false, count: 3 });
		expect(first.feedId).toMatch(FEED_ID);
		const rest = await json(200, SYNC, 'GET', `/v1/do-not-call?since=${first.next}&limit=2`);
		expect(rest).toMatchObject({ phones: [A3], more: false, cleared: false });
		const bad = await json(400, SYNC, 'POST', '/v1/do-not-call', { phones: ['4155550101'] });
		expect(bad.error).toContain('each phone must be E.164');
		// Isolation: another workspace's list is its own.
		const other = await newWorkspace('Other');
		expect(await json(200, other.ownerToken, 'GET', '/v1/do-not-call')).toMatchObject({
			phones: [],
			count: 0
		});
		expect((await json(403, member.token, 'DELETE', '/v1/do-not-call')).error).toContain(
			'Only an owner can clear'
		);
		await json(200, SYNC, 'DELETE', '/v1/do-not-call');
		// A reader behind the clear is told to drop its copy; one after it is not.
		const after = await json(200, SYNC, 'GET', `/v1/do-not-call?since=${rest.next}`);
		expect(after).toMatchObject({ phones: [], cleared: true, count: 0 });
		await json(200, SYNC, 'POST', '/v1/do-not-call', { phones: [A3] });
		const again = await json(200, SYNC, 'GET', `/v1/do-not-call?since=${after.next}`);
		expect(again).toMatchObject({ phones: [A3], cleared: false, count: 1 });
		// A cursor past the list's end (another database's) gets the whole list, as cleared.
		expect(await json(200, SYNC, 'GET', '/v1/do-not-call?since=999999')).toMatchObject({
			phones: [A3],
			cleared: true
		});
	});
});
