import { describe, expect, it } from 'vitest';
import { createApp } from './app';
import { openStore } from './store';

const TOKEN = 'secret-token';

function setup(maxBodyBytes?: number) {
	const store = openStore(':memory:');
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
		custom: { region: 'West' }
	}))
});

describe('reference sync server', () => {
	it('refuses requests without the right bearer token', async () => {
		const { app } = setup();
		expect((await app.request('/v1/stats')).status).toBe(401);
		const wrong = await app.request('/v1/stats', { headers: { Authorization: 'Bearer nope' } });
		expect(wrong.status).toBe(401);
		expect(await wrong.json()).toEqual({ error: 'Missing or invalid API token.' });
	});

	it('answers CORS preflights from any origin without a token', async () => {
		const { app } = setup();
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
		const { call } = setup();
		expect((await call('POST', '/v1/contacts/batches', batch('b1', ['+14155550101']))).status).toBe(
			400
		);
		const bad = await call('POST', '/v1/contacts/batches', batch('b1', ['4155550101']), {
			'Idempotency-Key': 'k1'
		});
		expect(bad.status).toBe(400);
		expect((await bad.json()).error).toMatch(/contacts\.0\.phone: phone must be E\.164/);
		const proto = await call(
			'POST',
			'/v1/contacts/batches',
			'{"batchId":"b","importId":"i","contacts":[{"phone":"+14155550101","custom":{"__proto__":"x"}}]}',
			{ 'Idempotency-Key': 'k2' }
		);
		expect(proto.status).toBe(400);
		expect(
			(await call('POST', '/v1/contacts/batches', '{not json', { 'Idempotency-Key': 'k3' })).status
		).toBe(400);
	});

	it('applies a batch once and replays the first answer for a repeated key', async () => {
		const { call } = setup();
		const body = batch('b1', ['+14155550101', '+14155550102']);
		const first = await call('POST', '/v1/contacts/batches', body, { 'Idempotency-Key': 'b1' });
		expect(first.status).toBe(200);
		expect(await first.json()).toEqual({ batchId: 'b1', importId: 'imp-1', accepted: 2 });
		const again = await call('POST', '/v1/contacts/batches', body, { 'Idempotency-Key': 'b1' });
		expect(again.status).toBe(200);
		expect(again.headers.get('Idempotent-Replayed')).toBe('true');
		expect(await again.json()).toEqual({ batchId: 'b1', importId: 'imp-1', accepted: 2 });
		expect(await (await call('GET', '/v1/stats')).json()).toEqual({ contacts: 2, batches: 1 });
	});

	it('refuses a key reused with another body (422)', async () => {
		const { call } = setup();
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
		const { call } = setup();
		await call('POST', '/v1/contacts/batches', batch('b1', ['+14155550101', '+14155550102']), {
			'Idempotency-Key': 'b1'
		});
		const changed = {
			...batch('b2', ['+14155550101']),
			contacts: [{ phone: '+14155550101', firstName: 'New', tags: [], custom: {} }]
		};
		await call('POST', '/v1/contacts/batches', changed, { 'Idempotency-Key': 'b2' });
		expect(await (await call('GET', '/v1/stats')).json()).toEqual({ contacts: 2, batches: 2 });
		const page = await (await call('GET', '/v1/contacts?limit=1')).json();
		expect(page.contacts).toEqual([
			{ phone: '+14155550101', firstName: 'New', tags: [], custom: {} }
		]);
		expect(page.next).toBe('+14155550101');
		const rest = await (
			await call('GET', `/v1/contacts?limit=10&after=${encodeURIComponent(page.next)}`)
		).json();
		expect(rest.contacts.map((c: { phone: string }) => c.phone)).toEqual(['+14155550102']);
		expect(rest.next).toBeNull();
	});

	it('limits the body size (413)', async () => {
		const { call } = setup(1000);
		const big = batch(
			'b1',
			Array.from({ length: 50 }, (_, i) => `+1415555${String(1000 + i)}`)
		);
		const res = await call('POST', '/v1/contacts/batches', big, { 'Idempotency-Key': 'big' });
		expect(res.status).toBe(413);
	});

	it('upserts custom fields by key and lists them', async () => {
		const { call } = setup();
		expect((await call('PUT', '/v1/custom-fields/Bad-Key', { label: 'x' })).status).toBe(400);
		expect((await call('PUT', '/v1/custom-fields/region', { label: '' })).status).toBe(400);
		expect((await call('PUT', '/v1/custom-fields/region', { label: 'Region' })).status).toBe(200);
		await call('PUT', '/v1/custom-fields/region', { label: 'Sales region', type: 'text' });
		expect(await (await call('GET', '/v1/custom-fields')).json()).toEqual({
			fields: [{ key: 'region', label: 'Sales region', type: 'text' }]
		});
	});
});
