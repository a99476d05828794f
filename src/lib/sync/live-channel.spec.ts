/**
 * The device's live channel against the reference server in process (its `fetch` is the app's),
 * and the Server-Sent Events parser on text cut anywhere.
 */
import { afterEach, describe, expect, it } from 'vitest';
import { createApp } from '../../../server/app';
import { createLocalSignal, LiveHub } from '../../../server/live';
import { openSqliteStore } from '../../../server/sqlite-store';
import { openLiveChannel, SseParser, type LiveState, type StreamFetch } from './live-channel';

const TOKEN = 'live-device-token';
const URL = 'http://sync.test';
const cleanups: (() => unknown)[] = [];
afterEach(async () => {
	for (const clean of cleanups.splice(0).reverse()) await clean();
});

function server(heartbeatMs = 60_000) {
	const store = openSqliteStore(':memory:');
	const live = new LiveHub(createLocalSignal(), heartbeatMs);
	const app = createApp({ store, token: TOKEN, live });
	cleanups.push(() => store.close());
	cleanups.push(() => live.close());
	const push = (phone: string) =>
		app.request(`${URL}/v1/contacts/batches`, {
			method: 'POST',
			headers: {
				Authorization: `Bearer ${TOKEN}`,
				'Content-Type': 'application/json',
				'Idempotency-Key': phone
			},
			body: JSON.stringify({
				batchId: phone,
				importId: 'i',
				contacts: [{ phone, tags: [], custom: {}, updatedAt: 1 }]
			})
		});
	return { app, live, push, fetch: ((url, init) => app.request(url, init)) as StreamFetch };
}

/** Opens a channel that records its calls and states. */
function channel(fetch: StreamFetch, token = TOKEN) {
	const states: LiveState[] = [];
	let changes = 0;
	const close = openLiveChannel({
		url: URL,
		token,
		fetch,
		onChange: () => changes++,
		onState: (state) => states.push(state),
		random: () => 0,
		maxDelayMs: 50
	});
	cleanups.push(close);
	return {
		states,
		get changes() {
			return changes;
		},
		close
	};
}

async function until(check: () => boolean, ms = 3000) {
	const end = Date.now() + ms;
	while (!check()) {
		if (Date.now() > end) throw new Error('timed out');
		await new Promise((done) => setTimeout(done, 5));
	}
}

describe('SseParser', () => {
	it('reads events cut at any point, with every line ending, skipping comments', () => {
		const text =
			': hello\r\nevent: ready\r\ndata: {"a":1}\r\n\r\nevent: changes\ndata: {}\n\n: heartbeat\n\ndata: x\rdata: y\r\r\n';
		for (let cut = 0; cut <= text.length; cut++) {
			const parser = new SseParser();
			const events = [...parser.push(text.slice(0, cut)), ...parser.push(text.slice(cut))];
			expect(events).toEqual([
				{ event: 'ready', data: '{"a":1}' },
				{ event: 'changes', data: '{}' },
				{ event: 'message', data: 'x\ny' }
			]);
		}
	});
});

describe('openLiveChannel', () => {
	it('is live after ready (and pulls then), and calls onChange for each batch', async () => {
		const { fetch, push } = server();
		const live = channel(fetch);
		await until(() => live.states.includes('live'));
		expect(live.changes).toBe(1);
		await push('+12025550100');
		await until(() => live.changes === 2);
		await push('+12025550101');
		await until(() => live.changes === 3);
	});

	it('opens again after the server ends the stream (a restart), and pulls what it missed', async () => {
		const { fetch, live: hub, push } = server();
		const live = channel(fetch);
		await until(() => live.states.includes('live'));
		hub.close();
		await until(() => live.states.includes('down'));
		await until(() => live.states.filter((s) => s === 'live').length === 2);
		expect(live.changes).toBe(2);
		await push('+12025550102');
		await until(() => live.changes === 3);
	});

	it('treats a stream that goes silent past its heartbeats as dead, and opens another', async () => {
		let opened = 0;
		// A proxy that keeps the connection but passes nothing after the first event.
		const silent: StreamFetch = () => {
			opened++;
			const body = new ReadableStream<Uint8Array>({
				start: (controller) =>
					controller.enqueue(new TextEncoder().encode('event: ready\ndata: {"heartbeatMs":10}\n\n'))
			});
			return Promise.resolve(new Response(body, { status: 200 }));
		};
		const live = channel(silent);
		// Silence of 2 × 10 + 5,000 ms ends it: wait for the second connection.
		await until(() => opened >= 2, 8000);
		expect(live.states.slice(0, 3)).toEqual(['connecting', 'live', 'down']);
	}, 10_000);

	it('says an older backend without the channel is unsupported', async () => {
		const old: StreamFetch = () =>
			Promise.resolve(new Response('{"error":"Not found."}', { status: 404 }));
		const live = channel(old);
		await until(() => live.states.includes('unsupported'));
		expect(live.changes).toBe(0);
	});

	it('says a refused token is refused, and retries a network failure', async () => {
		const { fetch } = server();
		const refused = channel(fetch, 'wrong-token');
		await until(() => refused.states.includes('refused'));
		let calls = 0;
		const flaky: StreamFetch = (url, init) =>
			++calls < 3 ? Promise.reject(new TypeError('Failed to fetch')) : fetch(url, init);
		const live = channel(flaky);
		await until(() => live.states.includes('live'));
		expect(live.states.filter((s) => s === 'down')).toHaveLength(2);
	});

	it('stops for good when closed', async () => {
		const { fetch, live: hub } = server();
		const live = channel(fetch);
		await until(() => hub.connections === 1);
		live.close();
		await until(() => hub.connections === 0);
		const seen = live.states.length;
		await new Promise((done) => setTimeout(done, 200));
		expect(live.states.length).toBe(seen);
	});
});
