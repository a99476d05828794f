/**
 * Prints the reference server's ingest rate: batches of 2,000 contacts POSTed over HTTP on
 * loopback, one after another, to a fresh on-disk database. `npm run measure:sync`.
 */
import { serve } from '@hono/node-server';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createApp } from '../server/app';
import { openSqliteStore } from '../server/sqlite-store';

const BATCHES = Number(process.env.BATCHES ?? 50);
const SIZE = 2000;
const dir = mkdtempSync(join(tmpdir(), 'callaro-ingest-'));
const store = openSqliteStore(join(dir, 'sync.db'));
const server = serve({
	fetch: createApp({ store, token: 't' }).fetch,
	port: 8790,
	hostname: '127.0.0.1'
});
await new Promise((r) => setTimeout(r, 200));
const bodies = Array.from({ length: BATCHES }, (_, b) =>
	JSON.stringify({
		batchId: `b${b}`,
		importId: 'measure',
		contacts: Array.from({ length: SIZE }, (_, i) => {
			const n = b * SIZE + i;
			return {
				phone: `+1212${200 + Math.floor(n / 10_000)}${String(n % 10_000).padStart(4, '0')}`,
				firstName: `First${n}`,
				lastName: `Last${n}`,
				email: `p${n}@example.com`,
				company: `Company ${n % 500}`,
				tags: ['vip', `list ${n % 7}`],
				custom: { lead_source: 'Web' },
				updatedAt: 1
			};
		})
	})
);
const t0 = performance.now();
for (let b = 0; b < BATCHES; b++) {
	const res = await fetch('http://127.0.0.1:8790/v1/contacts/batches', {
		method: 'POST',
		headers: {
			Authorization: 'Bearer t',
			'Content-Type': 'application/json',
			'Idempotency-Key': `b${b}`
		},
		body: bodies[b]
	});
	if (res.status !== 200) throw new Error(`batch ${b}: ${res.status}`);
}
const seconds = (performance.now() - t0) / 1000;
const total = BATCHES * SIZE;
console.log(
	`ingest: ${total.toLocaleString('en-US')} contacts in ${BATCHES} batches, ${seconds.toFixed(2)} s → ${Math.round(total / seconds).toLocaleString('en-US')} contacts/s`
);
console.log('stats', await store.stats());
server.close();
await store.close();
rmSync(dir, { recursive: true, force: true });
