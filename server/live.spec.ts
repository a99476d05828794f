/**
 * The live channel (`GET /v1/events`): events for the caller's workspace only, heartbeats, a
 * revoked token's stream ended, every stream ended when the server stops, a stream dropped when
 * its device goes away, and the signal across processes on one PostgreSQL database.
 */
import { serve } from '@hono/node-server';
import type { AddressInfo } from 'node:net';
import pg from 'pg';
import { afterEach, describe, expect, it } from 'vitest';
import { SseParser, type SseEvent } from '../src/lib/sync/live-channel';
import { createApp } from './app';
import { createLocalSignal, LiveHub, openPgSignal, PG_CHANNEL, type FeedSignal } from './live';
import { openSqliteStore } from './sqlite-store';
import { pgAdminUrl, scratchDatabase } from './test-postgres';
import { hashToken } from './tokens';

const TOKEN = 'live-owner-token';
const cleanups: (() => Promise<void> | void)[] = [];
afterEach(async () => {
	for (const clean of cleanups.splice(0).reverse()) await clean();
});

function setup(heartbeatMs = 60_000) {
	const store = openSqliteStore(':memory:');
	const live = new LiveHub(createLocalSignal(), heartbeatMs);
	const app = createApp({ store, token: TOKEN, live });
	cleanups.push(() => store.close());
	cleanups.push(() => live.close());
	return { store, live, app };
}

/** Reads a stream's text as it comes; `next` waits for the next event (or `null` at its end). */
function reader(body: ReadableStream<Uint8Array>) {
	const stream = body.getReader();
	const decoder = new TextDecoder();
	const parser = new SseParser();
	const queue: SseEvent[] = [];
	let raw = '';
	let ended = false;
	const pump = async () => {
		const { done, value } = await stream.read();
		if (done) ended = true;
		else {
			const text = decoder.decode(value, { stream: true });
			raw += text;
			queue.push(...parser.push(text));
		}
	};
	return {
		get raw() {
			return raw;
		},
		/** The next event within `ms`, `null` when the stream ended, `'timeout'` when none came. */
		async next(ms = 2000): Promise<SseEvent | null | 'timeout'> {
			const until = Date.now() + ms;
			while (queue.length === 0 && !ended) {
				const left = until - Date.now();
				if (left <= 0) return 'timeout';
				const read = pump();
				const timedOut = await Promise.race([
					read.then(() => false),
					new Promise<boolean>((done) => setTimeout(() => done(true), left))
				]);
				// The read stays pending then: its chunk lands in the queue when it arrives.
				if (timedOut) return queue.shift() ?? 'timeout';
			}
			return queue.shift() ?? null;
		},
		cancel: () => stream.cancel()
	};
}

const batch = (phone: string, key: string) => ({
	method: 'POST',
	headers: {
		Authorization: `Bearer ${TOKEN}`,
		'Content-Type': 'application/json',
		'Idempotency-Key': key
	},
	body: JSON.stringify({
		batchId: key,
		importId: 'i',
		contacts: [{ phone, tags: [], custom: {}, updatedAt: 1 }]
	})
});

const open = async (app: ReturnType<typeof createApp>, token = TOKEN) => {
	const res = await app.request('/v1/events', { headers: { Authorization: `Bearer ${token}` } });
	expect(res.status).toBe(200);
	expect(res.headers.get('Content-Type')).toMatch(/^text\/event-stream/);
	return reader(res.body!);
};

describe('GET /v1/events', () => {
	it('says ready, then that the feed moved after each batch of the workspace', async () => {
		const { app } = setup();
		const events = await open(app);
		expect(await events.next()).toEqual({ event: 'ready', data: '{"heartbeatMs":60000}' });
		expect((await app.request('/v1/contacts/batches', batch('+12025550100', 'k1'))).status).toBe(
			200
		);
		expect(await events.next()).toEqual({ event: 'changes', data: '{}' });
		// A replayed key changed nothing: no event.
		await app.request('/v1/contacts/batches', batch('+12025550100', 'k1'));
		expect(await events.next(300)).toBe('timeout');
		await events.cancel();
	});

	it('tells a workspace nothing of another workspace’s batches', async () => {
		const { app, store } = setup();
		const otherToken = 'other-workspace-owner';
		await store.createWorkspace('Other', hashToken(otherToken));
		const mine = await open(app);
		const theirs = await open(app, otherToken);
		expect(await mine.next()).toMatchObject({ event: 'ready' });
		expect(await theirs.next()).toMatchObject({ event: 'ready' });
		await app.request('/v1/contacts/batches', batch('+12025550101', 'k2'));
		expect(await mine.next()).toMatchObject({ event: 'changes' });
		expect(await theirs.next(300)).toBe('timeout');
		await mine.cancel();
		await theirs.cancel();
	});

	it('refuses a request without a valid token', async () => {
		const { app } = setup();
		expect((await app.request('/v1/events')).status).toBe(401);
		const res = await app.request('/v1/events', { headers: { Authorization: 'Bearer nope' } });
		expect(res.status).toBe(401);
	});

	it('sends heartbeats on an idle stream, and ends a revoked token’s stream at the next one', async () => {
		const { app, store } = setup(40);
		const owner = await store.authenticate(hashToken(TOKEN));
		const memberToken = 'member-token-live';
		const member = await store.addMember(
			owner!.workspaceId,
			'Ana',
			'member',
			hashToken(memberToken)
		);
		const events = await open(app, memberToken);
		expect(await events.next()).toMatchObject({ event: 'ready' });
		await new Promise((done) => setTimeout(done, 150));
		await events.next(10);
		expect(events.raw.match(/^: heartbeat$/gm)?.length ?? 0).toBeGreaterThanOrEqual(2);
		await store.revokeMember(owner!.workspaceId, member.memberId);
		expect(await events.next(1000)).toBeNull();
	});

	it('ends every stream when the hub closes (the server stops)', async () => {
		const { app, live } = setup();
		const a = await open(app);
		const b = await open(app);
		expect(live.connections).toBe(2);
		live.close();
		expect(live.connections).toBe(0);
		expect(await a.next()).toMatchObject({ event: 'ready' });
		expect(await a.next()).toBeNull();
		expect(await b.next()).toMatchObject({ event: 'ready' });
		expect(await b.next()).toBeNull();
	});

	it('drops a stream whose device went away, over real HTTP', async () => {
		const { app, live } = setup();
		const server = serve({ fetch: app.fetch, port: 0, hostname: '127.0.0.1' });
		await new Promise((done) => server.once('listening', done));
		cleanups.push(() => new Promise<void>((done) => server.close(() => done())));
		const { port } = server.address() as AddressInfo;
		const controller = new AbortController();
		const res = await fetch(`http://127.0.0.1:${port}/v1/events`, {
			headers: { Authorization: `Bearer ${TOKEN}` },
			signal: controller.signal
		});
		const events = reader(res.body!);
		expect(await events.next()).toMatchObject({ event: 'ready' });
		expect(live.connections).toBe(1);
		controller.abort();
		const until = Date.now() + 2000;
		while (live.connections > 0 && Date.now() < until)
			await new Promise((done) => setTimeout(done, 20));
		expect(live.connections).toBe(0);
	});
});

describe.runIf(pgAdminUrl())('the signal over PostgreSQL', () => {
	const openSignal = async (url: string): Promise<FeedSignal> => {
		const signal = await openPgSignal(url);
		cleanups.push(() => signal.close());
		return signal;
	};
	const heard = (signal: FeedSignal, workspaceId: string) => {
		let count = 0;
		signal.subscribe(workspaceId, () => count++);
		return {
			get count() {
				return count;
			},
			async wait(atLeast: number, ms = 3000) {
				const until = Date.now() + ms;
				while (count < atLeast && Date.now() < until)
					await new Promise((done) => setTimeout(done, 10));
				return count;
			}
		};
	};

	it('reaches every process on the database, for the workspace named only', async () => {
		const { url, drop } = await scratchDatabase();
		cleanups.push(drop);
		const one = await openSignal(url);
		const two = await openSignal(url);
		const onTwo = heard(two, 'ws-a');
		const otherOnTwo = heard(two, 'ws-b');
		one.publish('ws-a');
		expect(await onTwo.wait(1)).toBe(1);
		expect(otherOnTwo.count).toBe(0);
	});

	it('listens again after its connection is cut, and calls every listener then', async () => {
		const { url, drop } = await scratchDatabase();
		cleanups.push(drop);
		const one = await openSignal(url);
		const two = await openSignal(url);
		const onTwo = heard(two, 'ws-a');
		const admin = new pg.Client({ connectionString: url });
		await admin.connect();
		cleanups.push(() => admin.end());
		// Cut every listening connection: both processes' signals lose theirs.
		await admin.query(
			`SELECT pg_terminate_backend(pid) FROM pg_stat_activity
			 WHERE pid <> pg_backend_pid() AND query ILIKE $1`,
			[`%LISTEN ${PG_CHANNEL}%`]
		);
		// Once back, every listener is called (what was sent meanwhile is not replayed).
		expect(await onTwo.wait(1, 5000)).toBeGreaterThanOrEqual(1);
		const before = onTwo.count;
		const until = Date.now() + 5000;
		// `one` may come back a little after `two`: publish until `two` hears it.
		while (onTwo.count === before && Date.now() < until) {
			one.publish('ws-a');
			await new Promise((done) => setTimeout(done, 100));
		}
		expect(onTwo.count).toBeGreaterThan(before);
	});
});
