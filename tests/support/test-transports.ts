/**
 * Transports for sync tests : the reference server in process, and a
 * wrapper that fails at random, the ways a network and a busy server do.
 */
import type { createApp } from '../../server/app';
import type { Transport } from '$lib/sync/transport';

/** Calls the in-process server as `fetch` would reach it. */
export function serverTransport(app: ReturnType<typeof createApp>): Transport {
	return async ({ method, url, headers, body }) => {
		const u = new URL(url);
		return app.request(u.pathname + u.search, { method, headers, body });
	};
}

/**
 * Fails a share `p` of requests: a network error before the server, a 503, a 429 with
 * Retry-After, or (the hard case) the server applies the request but the answer is lost. Each
 * fault is counted in `counts` by name.
 */
export function faulty(
	inner: Transport,
	random: () => number,
	p: number,
	counts: Record<string, number>
): Transport {
	const fail = (name: string) => {
		counts[name] = (counts[name] ?? 0) + 1;
	};
	return async (req) => {
		const r = random();
		if (r < p * 0.25) {
			fail('network error before the server');
			throw new TypeError('Failed to fetch');
		}
		if (r < p * 0.5) {
			fail('503');
			return new Response('{"error":"busy"}', { status: 503 });
		}
		if (r < p * 0.75) {
			fail('429 with Retry-After');
			return new Response('{"error":"slow down"}', {
				status: 429,
				headers: { 'Retry-After': '2' }
			});
		}
		const res = await inner(req);
		if (r < p) {
			fail('answer lost after the server applied it');
			throw new TypeError('network connection lost');
		}
		return res;
	};
}
