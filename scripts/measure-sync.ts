/**
 * Prints the reference server's ingest rate on each store: N clients (`--clients`, default 1)
 * each POST `--batches` batches of 2,000 contacts one after another over loopback, to real server
 * processes (`server/index.ts`) on a fresh database; then one client pulls the whole change feed
 * from 0 in pages of 1,000. `npm run measure:sync -- --clients 20`.
 *
 * - SQLite: one server process on a temporary file (SQLite has one writer).
 * - PostgreSQL: a scratch database on the server of DATABASE_URL (created and dropped: the URL's
 *   user needs CREATEDB), else on a throwaway cluster when PostgreSQL is installed
 *   (scripts/pg-cluster.ts), else skipped. Two server processes when there are several clients
 *   (the clients alternate between them), as a deployment sharing one database would run.
 *
 * Bounded: a fixed number of batches per client, and no batch starts after `--seconds` (default
 * 60) per store. Figures only: nothing is asserted beyond every batch being answered 200.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createDatabase, dropDatabase, findPgBin, startCluster } from './pg-cluster';
import { freePort } from './free-port.js';

const SIZE = 2000;
const TOKEN = 'measure-sync';

/** `--name N` as a whole number from 1 to `max`, or `fallback`; anything else stops with why. */
function option(name: string, fallback: number, max: number): number {
	const at = process.argv.indexOf(`--${name}`);
	if (at === -1) return fallback;
	const raw = process.argv[at + 1] ?? '';
	if (!/^\d+$/.test(raw) || Number(raw) < 1 || Number(raw) > max) {
		console.error(`--${name} must be a whole number from 1 to ${max}, not “${raw}”.`);
		process.exit(2);
	}
	return Number(raw);
}
const CLIENTS = option('clients', 1, 200);
const BATCHES = option('batches', Math.max(5, Math.ceil(50 / CLIENTS)), 1000);
const SECONDS = option('seconds', 60, 3600);

/** Starts `server/index.ts` with `env`; resolves with its base URL once it listens. */
async function startServer(
	env: Record<string, string>
): Promise<{ base: string; child: ChildProcess }> {
	const port = await freePort();
	const child = spawn(process.execPath, ['--import', 'tsx', 'server/index.ts'], {
		env: { ...process.env, ...env, PORT: String(port), SYNC_TOKEN: TOKEN },
		stdio: ['ignore', 'pipe', 'pipe']
	});
	let out = '';
	await new Promise<void>((resolve, reject) => {
		child.stdout!.on('data', (d: Buffer) => {
			out += d.toString();
			if (out.includes('listening')) resolve();
		});
		child.stderr!.on('data', (d: Buffer) => (out += d.toString()));
		child.once('exit', (code) => reject(new Error(`the server exited (${code}): ${out}`)));
	});
	return { base: `http://127.0.0.1:${port}`, child };
}

const stopServer = (child: ChildProcess) =>
	new Promise<void>((resolve) => {
		if (child.exitCode !== null) return resolve();
		child.once('exit', () => resolve());
		child.kill('SIGTERM');
	});

function body(client: number, batch: number): string {
	return JSON.stringify({
		batchId: `c${client}b${batch}`,
		importId: 'measure',
		contacts: Array.from({ length: SIZE }, (_, i) => {
			const n = (client * BATCHES + batch) * SIZE + i;
			return {
				phone: `+1212${String(n).padStart(7, '0')}`,
				firstName: `First${n}`,
				lastName: `Last${n}`,
				email: `p${n}@example.com`,
				company: `Company ${n % 500}`,
				tags: ['vip', `list ${n % 7}`],
				custom: { lead_source: 'Web' },
				updatedAt: 1
			};
		})
	});
}

const headers = { Authorization: `Bearer ${TOKEN}`, 'Content-Type': 'application/json' };
const percentile = (sorted: number[], p: number) =>
	sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))];

/** Runs the clients against `bases` and pulls the feed; prints one store's figures. */
async function measure(label: string, bases: string[]): Promise<void> {
	const bodies = Array.from({ length: CLIENTS }, (_, c) =>
		Array.from({ length: BATCHES }, (_, b) => body(c, b))
	);
	const latencies: number[] = [];
	const t0 = performance.now();
	let capped = false;
	await Promise.all(
		bodies.map(async (batches, c) => {
			for (let b = 0; b < batches.length; b++) {
				if ((performance.now() - t0) / 1000 > SECONDS) {
					capped = true;
					return;
				}
				const start = performance.now();
				const res = await fetch(`${bases[c % bases.length]}/v1/contacts/batches`, {
					method: 'POST',
					headers: { ...headers, 'Idempotency-Key': `c${c}b${b}` },
					body: batches[b]
				});
				await res.arrayBuffer();
				if (res.status !== 200) throw new Error(`client ${c} batch ${b}: ${res.status}`);
				latencies.push(performance.now() - start);
			}
		})
	);
	const seconds = (performance.now() - t0) / 1000;
	const contacts = latencies.length * SIZE;
	latencies.sort((a, b) => a - b);
	console.log(
		`${label}: ${contacts.toLocaleString('en-US')} contacts in ${latencies.length} batches, ${seconds.toFixed(2)} s → ${Math.round(contacts / seconds).toLocaleString('en-US')} contacts/s; batch latency p50 ${percentile(latencies, 50).toFixed(0)} ms, p99 ${percentile(latencies, 99).toFixed(0)} ms${capped ? ` (stopped at the ${SECONDS} s cap)` : ''}`
	);

	const f0 = performance.now();
	let since = 0;
	let changes = 0;
	for (;;) {
		const page = (await (
			await fetch(`${bases[0]}/v1/changes?since=${since}&limit=1000`, { headers })
		).json()) as { changes: unknown[]; next: number; more: boolean };
		changes += page.changes.length;
		since = page.next;
		if (!page.more) break;
	}
	const feedSeconds = (performance.now() - f0) / 1000;
	console.log(
		`${label}: change feed, ${changes.toLocaleString('en-US')} changes from 0 in pages of 1,000, ${feedSeconds.toFixed(2)} s → ${Math.round(changes / feedSeconds).toLocaleString('en-US')} changes/s`
	);
	if (changes !== contacts)
		throw new Error(`${label}: the feed listed ${changes} changes for ${contacts} contacts`);
}

console.log(
	`${CLIENTS} client(s) × ${BATCHES} batch(es) of ${SIZE.toLocaleString('en-US')} contacts, loopback, cap ${SECONDS} s per store`
);

// SQLite: one server process on a fresh file.
const dir = mkdtempSync(join(tmpdir(), 'callaro-ingest-'));
try {
	const { base, child } = await startServer({ DATABASE_PATH: join(dir, 'sync.db') });
	try {
		await measure('SQLite (1 server process)', [base]);
	} finally {
		await stopServer(child);
	}
} finally {
	rmSync(dir, { recursive: true, force: true });
}

// PostgreSQL: a scratch database on DATABASE_URL's server, or on a throwaway cluster.
const given = process.env.DATABASE_URL ?? '';
const cluster = given ? undefined : findPgBin() ? await startCluster() : undefined;
const admin = given || cluster?.url;
if (!admin) {
	console.log(
		'PostgreSQL: skipped (set DATABASE_URL, or install postgresql for a throwaway cluster).'
	);
} else {
	try {
		const url = await createDatabase(admin, 'measure');
		try {
			const processes = CLIENTS > 1 ? 2 : 1;
			// One at a time: the first migrates, the second finds it done.
			const servers = [];
			for (let i = 0; i < processes; i++) servers.push(await startServer({ DATABASE_URL: url }));
			try {
				await measure(
					`PostgreSQL (${processes} server process${processes > 1 ? 'es' : ''}, ${cluster ? 'throwaway cluster' : 'DATABASE_URL'})`,
					servers.map((s) => s.base)
				);
			} finally {
				await Promise.all(servers.map((s) => stopServer(s.child)));
			}
		} finally {
			await dropDatabase(admin, url);
		}
	} finally {
		await cluster?.stop();
	}
}
