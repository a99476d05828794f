/**
 * The reference server's HTTP API, called through `app.request`, on each store (an in-memory
 * SQLite, and a fresh PostgreSQL database per test when the run has PostgreSQL): auth,
 * CORS, error answers, batches (idempotency keys, replays, last-writer-wins, tombstones,
 * per-contact refusals, body limits) and custom fields. It stays one file because every case
 * shares `setup` and the `batch` builder and checks one contract: the sync protocol as the
 * server answers it.
 */
import { afterEach, describe, expect, it, vi } from 'vitest';
import { createApp } from './app';
import { openPgStore } from './pg-store';
import { openSqliteStore } from './sqlite-store';
import type { Store } from './store';
import { pgAdminUrl, scratchDatabase } from './test-postgres';

const TOKEN = 'secret-token';

/** The stores every case runs on: PostgreSQL only when the run has one (test-postgres.ts says why not). */
const KINDS = pgAdminUrl() ? (['sqlite', 'postgres'] as const) : (['sqlite'] as const);

/** Stores opened by the current case, closed (and their databases dropped) after it. */
const opened: { store: Store; drop?: () => Promise<void> }[] = [];
afterEach(async () => {
	for (const { store, drop } of opened.splice(0)) {
		await store.close();
		await drop?.();
	}
});

async function openStore(kind: (typeof KINDS)[number]): Promise<Store> {
	if (kind === 'sqlite') {
		const store = openSqliteStore(':memory:');
		opened.push({ store });
		return store;
	}
	const { url, drop } = await scratchDatabase();
	const store = await openPgStore(url);
	opened.push({ store, drop });
	return store;
}

async function setup(kind: (typeof KINDS)[number], maxBodyBytes?: number) {
	const store = await openStore(kind);
	const app = createApp({ store, token: TOKEN, maxBodyBytes });
	const call = (
		method: string,
		path: string,
		body?: unknown,
		headers: Record<string, string> = {}
	) =>
		app.request(path, {
			method,
			headers: { Authorization: `Bearer ${TOKEN}`, 'Content-Type': 'application/json', ...headers },
			body: body === undefined ? undefined : typeof body === 'string' ? body : JSON.stringify(body)
		});
	return { store, app, call };
}

const batch = (batchId: string, phones: string[], importId = 'imp-1') => ({
	batchId,
	importId,
	contacts: phones.map((phone, i) => ({
		phone,
		firstName: `P${i}`,
		tags: ['t'],
		custom: { region: 'West' },
		updatedAt: 1
	}))
});

const ACK = { refused: [], stale: 0, deleted: 0 };

describe.each(KINDS)('reference sync server on %s', (kind) => {
	it('refuses requests without the right bearer token', async () => {
		const { app } = await setup(kind);
		expect((await app.request('/v1/stats')).status).toBe(401);
		const wrong = await app.request('/v1/stats', { headers: { Authorization: 'Bearer nope' } });
		expect(wrong.status).toBe(401);
		expect(await wrong.json()).toEqual({ error: 'Missing or invalid API token.' });
		expect(wrong.headers.get('WWW-Authenticate')).toBe(
			'Bearer realm="callaro-sync", error="invalid_token"'
		);
		expect((await app.request('/v1/stats')).headers.get('WWW-Authenticate')).toBe(
			'Bearer realm="callaro-sync"'
		);
	});

	it('reads the auth scheme case-insensitively', async () => {
		const { app } = await setup(kind);
		for (const scheme of ['bearer', 'BEARER', 'Bearer  '])
			expect(
				(await app.request('/v1/stats', { headers: { Authorization: `${scheme} ${TOKEN}` } }))
					.status
			).toBe(200);
	});

	it('answers bad query parameters with a 400 that holds no internal text', async () => {
		const { call } = await setup(kind);
		for (const q of ['limit=1.5', 'limit=0', 'limit=1001', 'limit=abc', 'limit=-1', 'limit=1e3']) {
			const res = await call('GET', `/v1/contacts?${q}`);
			expect(res.status, q).toBe(400);
			expect((await res.json()).error).toBe('limit must be a whole number from 1 to 1000.');
		}
		const long = await call('GET', `/v1/contacts?after=${'9'.repeat(40)}`);
		expect(long.status).toBe(400);
	});

	it('never sends an internal error to the client', async () => {
		const store = await openStore(kind);
		const broken = {
			...store,
			workspace: (id: string) => ({
				...store.workspace(id),
				stats: () =>
					Promise.reject(
						new Error('SQLITE_CORRUPT: database disk image is malformed at /srv/secret.db')
					)
			})
		};
		const app = createApp({ store: broken, token: TOKEN });
		const logged = vi.spyOn(console, 'error').mockImplementation(() => undefined);
		const res = await app.request('/v1/stats', { headers: { Authorization: `Bearer ${TOKEN}` } });
		expect(res.status).toBe(500);
		expect(await res.text()).toBe('{"error":"Internal server error."}');
		expect(String(logged.mock.calls[0])).toContain('SQLITE_CORRUPT');
		logged.mockRestore();
	});

	it('limits every body: a custom field of 300 KB gets a 413', async () => {
		const { call } = await setup(kind);
		const res = await call('PUT', '/v1/custom-fields/region', {
			label: 'x'.repeat(300 * 1024)
		});
		expect(res.status).toBe(413);
		expect((await res.json()).error).toBe('The request body is larger than 16 KB.');
	});

	it('hashes what a batch means: other whitespace or key order is the same request', async () => {
		const { call } = await setup(kind);
		const body = batch('b1', ['+14155550101']);
		expect(
			(await call('POST', '/v1/contacts/batches', body, { 'Idempotency-Key': 'k' })).status
		).toBe(200);
		const spaced = JSON.stringify(body, null, 2);
		const reordered = JSON.stringify({
			contacts: body.contacts.map((c) => Object.fromEntries(Object.entries(c).reverse())),
			importId: body.importId,
			batchId: body.batchId
		});
		for (const again of [spaced, reordered]) {
			const res = await call('POST', '/v1/contacts/batches', again, { 'Idempotency-Key': 'k' });
			expect(res.status).toBe(200);
			expect(res.headers.get('Idempotent-Replayed')).toBe('true');
		}
	});

	it('answers CORS preflights from any origin without a token', async () => {
		const { app } = await setup(kind);
		const res = await app.request('/v1/contacts/batches', {
			method: 'OPTIONS',
			headers: {
				Origin: 'http://example.test',
				'Access-Control-Request-Method': 'POST',
				'Access-Control-Request-Headers': 'authorization,idempotency-key,content-type'
			}
		});
		expect(res.status).toBe(204);
		expect(res.headers.get('access-control-allow-origin')).toBe('*');
		expect(res.headers.get('access-control-allow-headers')).toMatch(/Idempotency-Key/i);
	});

	it('validates batches and requires an Idempotency-Key', async () => {
		const { call } = await setup(kind);
		expect((await call('POST', '/v1/contacts/batches', batch('b1', ['+14155550101']))).status).toBe(
			400
		);
		const envelope = await call(
			'POST',
			'/v1/contacts/batches',
			{ batchId: 'b', contacts: [] },
			{
				'Idempotency-Key': 'k0'
			}
		);
		expect(envelope.status).toBe(400);
		expect((await envelope.json()).error).toMatch(/importId/);
		// One bad contact is refused with its phone and reason; the others apply.
		const bad = await call(
			'POST',
			'/v1/contacts/batches',
			batch('b1', ['4155550101', '+14155550102']),
			{ 'Idempotency-Key': 'k1' }
		);
		expect(bad.status).toBe(200);
		expect(await bad.json()).toEqual({
			batchId: 'b1',
			importId: 'imp-1',
			accepted: 1,
			refused: [
				{ index: 0, phone: '4155550101', reason: 'phone: phone must be E.164, e.g. +14155550123' }
			],
			stale: 0,
			deleted: 0
		});
		const proto = await call(
			'POST',
			'/v1/contacts/batches',
			'{"batchId":"b","importId":"i","contacts":[{"phone":"+14155550103","custom":{"__proto__":"x"}}]}',
			{ 'Idempotency-Key': 'k2' }
		);
		expect(proto.status).toBe(200);
		expect((await proto.json()).refused[0]).toMatchObject({ index: 0, phone: '+14155550103' });
		expect(
			(await call('POST', '/v1/contacts/batches', '{not json', { 'Idempotency-Key': 'k3' })).status
		).toBe(400);
		// A NUL in text a store keeps in a column of its own is refused on every store alike.
		for (const envelope of [
			{ ...batch('b4', ['+14155550104']), importId: 'imp\u0000' },
			{ ...batch('b5', ['+14155550105']), deviceId: 'dev\u0000' }
		]) {
			const nul = await call('POST', '/v1/contacts/batches', envelope, {
				'Idempotency-Key': envelope.batchId
			});
			expect(nul.status).toBe(400);
			expect((await nul.json()).error).toMatch(/must not contain a NUL character/);
		}
		const label = await call('PUT', '/v1/custom-fields/region', { label: 'Re\u0000gion' });
		expect(label.status).toBe(400);
		expect((await label.json()).error).toMatch(/NUL/);
	});

	it('applies a batch once and replays the first answer for a repeated key', async () => {
		const { call } = await setup(kind);
		const body = batch('b1', ['+14155550101', '+14155550102']);
		const first = await call('POST', '/v1/contacts/batches', body, { 'Idempotency-Key': 'b1' });
		expect(first.status).toBe(200);
		expect(await first.json()).toEqual({ batchId: 'b1', importId: 'imp-1', accepted: 2, ...ACK });
		const again = await call('POST', '/v1/contacts/batches', body, { 'Idempotency-Key': 'b1' });
		expect(again.status).toBe(200);
		expect(again.headers.get('Idempotent-Replayed')).toBe('true');
		expect(await again.json()).toEqual({ batchId: 'b1', importId: 'imp-1', accepted: 2, ...ACK });
		expect(await (await call('GET', '/v1/stats')).json()).toEqual({ contacts: 2, batches: 1 });
	});

	it('refuses a key reused with another body (422)', async () => {
		const { call } = await setup(kind);
		await call('POST', '/v1/contacts/batches', batch('b1', ['+14155550101']), {
			'Idempotency-Key': 'b1'
		});
		const other = await call('POST', '/v1/contacts/batches', batch('b1', ['+14155550199']), {
			'Idempotency-Key': 'b1'
		});
		expect(other.status).toBe(422);
		expect((await other.json()).error).toMatch(/different request body/);
	});

	it('upserts by phone: a batch replayed under a new key creates no duplicate', async () => {
		const { call } = await setup(kind);
		await call('POST', '/v1/contacts/batches', batch('b1', ['+14155550101', '+14155550102']), {
			'Idempotency-Key': 'b1'
		});
		const changed = {
			...batch('b2', ['+14155550101']),
			contacts: [{ phone: '+14155550101', firstName: 'New', tags: [], custom: {}, updatedAt: 2 }]
		};
		await call('POST', '/v1/contacts/batches', changed, { 'Idempotency-Key': 'b2' });
		expect(await (await call('GET', '/v1/stats')).json()).toEqual({ contacts: 2, batches: 2 });
		const page = await (await call('GET', '/v1/contacts?limit=1')).json();
		expect(page.contacts).toEqual([
			{ phone: '+14155550101', firstName: 'New', tags: [], custom: {}, updatedAt: 2 }
		]);
		expect(page.next).toBe('+14155550101');
		const rest = await (
			await call('GET', `/v1/contacts?limit=10&after=${encodeURIComponent(page.next)}`)
		).json();
		expect(rest.contacts.map((c: { phone: string }) => c.phone)).toEqual(['+14155550102']);
		expect(rest.next).toBeNull();
	});

	it('limits the body size (413)', async () => {
		const { call } = await setup(kind, 1000);
		const big = batch(
			'b1',
			Array.from({ length: 50 }, (_, i) => `+1415555${String(1000 + i)}`)
		);
		const res = await call('POST', '/v1/contacts/batches', big, { 'Idempotency-Key': 'big' });
		expect(res.status).toBe(413);
	});

	it('upserts custom fields by key and lists them', async () => {
		const { call } = await setup(kind);
		expect((await call('PUT', '/v1/custom-fields/Bad-Key', { label: 'x' })).status).toBe(400);
		expect((await call('PUT', '/v1/custom-fields/region', { label: '' })).status).toBe(400);
		expect((await call('PUT', '/v1/custom-fields/region', { label: 'Region' })).status).toBe(200);
		await call('PUT', '/v1/custom-fields/region', { label: 'Sales region', type: 'text' });
		expect(await (await call('GET', '/v1/custom-fields')).json()).toEqual({
			fields: [{ key: 'region', label: 'Sales region', type: 'text' }]
		});
	});

	describe('last writer wins, with tombstones', () => {
		const one = (
			key: string,
			contacts: object[],
			deletes: object[] = [],
			deviceId = 'device-a'
		) => ({ batchId: key, importId: 'edit', deviceId, contacts, deletes });
		const post = async (
			call: Awaited<ReturnType<typeof setup>>['call'],
			body: { batchId: string }
		) =>
			(
				await call('POST', '/v1/contacts/batches', body, { 'Idempotency-Key': body.batchId })
			).json();
		const names = async (call: Awaited<ReturnType<typeof setup>>['call']) =>
			(await (await call('GET', '/v1/contacts')).json()).contacts.map(
				(c: { phone: string; firstName?: string }) => `${c.phone} ${c.firstName ?? ''}`
			);

		it('never lets an older write overwrite a newer one', async () => {
			const { call } = await setup(kind);
			const phone = '+14155550101';
			await post(call, one('a', [{ phone, firstName: 'Newer', updatedAt: 2e12 }]));
			const late = await post(call, one('b', [{ phone, firstName: 'Older', updatedAt: 1e12 }]));
			expect(late).toMatchObject({ accepted: 0, stale: 1 });
			expect(await names(call)).toEqual([`${phone} Newer`]);
			await post(call, one('c', [{ phone, firstName: 'Newest', updatedAt: 3e12 }]));
			expect(await names(call)).toEqual([`${phone} Newest`]);
		});

		it('breaks a tie on the time by the device id, the same way on every order', async () => {
			for (const order of [
				['device-a', 'device-b'],
				['device-b', 'device-a']
			]) {
				const { call } = await setup(kind);
				const phone = '+14155550101';
				for (const device of order)
					await post(call, one(device, [{ phone, firstName: device, updatedAt: 5 }], [], device));
				expect(await names(call)).toEqual([`${phone} device-b`]);
			}
		});

		it('deletes newer writes only, and an older upsert arriving late does not resurrect', async () => {
			const { call } = await setup(kind);
			const phone = '+14155550101';
			await post(call, one('a', [{ phone, firstName: 'A', updatedAt: 10 }]));
			expect(await post(call, one('d0', [], [{ phone, deletedAt: 5 }]))).toMatchObject({
				deleted: 0,
				stale: 1
			});
			expect(await names(call)).toEqual([`${phone} A`]);
			expect(await post(call, one('d1', [], [{ phone, deletedAt: 20 }]))).toMatchObject({
				deleted: 1
			});
			expect(await (await call('GET', '/v1/stats')).json()).toMatchObject({ contacts: 0 });
			expect(
				await post(call, one('late', [{ phone, firstName: 'Late', updatedAt: 15 }]))
			).toMatchObject({ accepted: 0, stale: 1 });
			expect(await names(call)).toEqual([]);
			await post(call, one('again', [{ phone, firstName: 'Again', updatedAt: 30 }]));
			expect(await names(call)).toEqual([`${phone} Again`]);
		});
	});

	describe('change feed', () => {
		const send = (
			call: Awaited<ReturnType<typeof setup>>['call'],
			key: string,
			contacts: object[],
			deletes: object[] = [],
			deviceId = 'device-a'
		) =>
			call(
				'POST',
				'/v1/contacts/batches',
				{ batchId: key, importId: 'imp', deviceId, contacts, deletes },
				{ 'Idempotency-Key': key }
			);
		const feed = async (call: Awaited<ReturnType<typeof setup>>['call'], query = '') =>
			(await call('GET', `/v1/changes${query}`)).json();
		const a = '+14155550101';
		const b = '+14155550102';
		const c = '+14155550103';

		it('is empty on a new server', async () => {
			const { call } = await setup(kind);
			const feedId = expect.stringMatching(/^[0-9a-f]{32}$/);
			expect(await feed(call)).toEqual({
				feedId,
				horizon: { seq: 0, before: 0, gen: 0 },
				changes: [],
				next: 0,
				more: false
			});
			expect(await feed(call, '?count=1')).toEqual({
				feedId,
				horizon: { seq: 0, before: 0, gen: 0 },
				changes: [],
				next: 0,
				more: false,
				remaining: 0
			});
		});

		it('lists each phone once, at its latest write, in the order writes were applied', async () => {
			const { call } = await setup(kind);
			await send(call, 'k1', [
				{ phone: a, firstName: 'A', updatedAt: 10 },
				{ phone: b, firstName: 'B', updatedAt: 10 }
			]);
			await send(call, 'k2', [{ phone: c, firstName: 'C', updatedAt: 11 }], [], 'device-b');
			await send(call, 'k3', [{ phone: a, firstName: 'A2', updatedAt: 12 }]);
			await send(call, 'k4', [], [{ phone: b, deletedAt: 13 }], 'device-b');
			const page = await feed(call);
			expect(
				page.changes.map((ch: { op: string; phone: string }) => `${ch.op} ${ch.phone}`)
			).toEqual([`upsert ${c}`, `upsert ${a}`, `delete ${b}`]);
			expect(page.changes[0]).toEqual({
				seq: page.changes[0].seq,
				op: 'upsert',
				phone: c,
				at: 11,
				deviceId: 'device-b',
				contact: { phone: c, firstName: 'C', tags: [], custom: {}, updatedAt: 11 }
			});
			expect(page.changes[2]).toEqual({
				seq: page.next,
				op: 'delete',
				phone: b,
				at: 13,
				deviceId: 'device-b'
			});
			const seqs = page.changes.map((ch: { seq: number }) => ch.seq);
			expect([...seqs].sort((x, y) => x - y)).toEqual(seqs);
			expect(page.more).toBe(false);
			// A stale write and a replayed batch change nothing, so the feed does not move.
			await send(call, 'k5', [{ phone: a, firstName: 'Old', updatedAt: 1 }]);
			await send(call, 'k1', [
				{ phone: a, firstName: 'A', updatedAt: 10 },
				{ phone: b, firstName: 'B', updatedAt: 10 }
			]);
			expect(await feed(call, `?since=${page.next}`)).toEqual({
				feedId: page.feedId,
				horizon: { seq: 0, before: 0, gen: 0 },
				changes: [],
				next: page.next,
				more: false
			});
		});

		it('pages by cursor, saying how many changes follow when asked', async () => {
			const { call } = await setup(kind);
			const phones = Array.from({ length: 25 }, (_, i) => `+1415555${String(1000 + i)}`);
			await send(
				call,
				'many',
				phones.map((phone) => ({ phone, updatedAt: 5 }))
			);
			const seen: string[] = [];
			let since = 0;
			const remainings: number[] = [];
			for (;;) {
				const page = await feed(call, `?since=${since}&limit=10&count=1`);
				seen.push(...page.changes.map((ch: { phone: string }) => ch.phone));
				remainings.push(page.remaining);
				expect(page.more).toBe(page.remaining > 0);
				since = page.next;
				if (!page.more) break;
			}
			expect(seen).toEqual(phones);
			expect(remainings).toEqual([15, 5, 0]);
			// Uncounted pages say only whether more follow.
			const first = await feed(call, '?limit=25');
			expect(first).toMatchObject({ more: false });
			expect(first).not.toHaveProperty('remaining');
			expect(await feed(call, '?limit=24')).toMatchObject({ more: true });
		});

		it('stops a page at about 1 MB of contacts, the rest following it', async () => {
			const { call } = await setup(kind);
			const phones = Array.from({ length: 60 }, (_, i) => `+1415555${String(1000 + i)}`);
			// About 36 KB each, 2.1 MB in all: a page holds about 29.
			const big = 'x'.repeat(9_000);
			await send(
				call,
				'big',
				phones.map((phone) => ({ phone, custom: { a: big, b: big, c: big, d: big }, updatedAt: 5 }))
			);
			const page = await feed(call, '?limit=1000&count=1');
			expect(page.changes.length).toBeGreaterThan(20);
			expect(page.changes.length).toBeLessThan(40);
			expect(page.more).toBe(true);
			expect(page.remaining).toBe(60 - page.changes.length);
			expect(JSON.stringify(page).length).toBeLessThan(1.2 * 1024 * 1024);
		});

		it('answers a bad cursor, limit or count with a 400', async () => {
			const { call } = await setup(kind);
			for (const q of [
				'since=-1',
				'since=abc',
				'since=1.5',
				'limit=0',
				'limit=5001',
				'limit=x',
				'count=yes'
			]) {
				const res = await call('GET', `/v1/changes?${q}`);
				expect(res.status, q).toBe(400);
				expect((await res.json()).error).toMatch(/^(since|limit|count) must be/);
			}
		});
	});
});
