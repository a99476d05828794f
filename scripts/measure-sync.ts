/**
 * Prints the reference server's sync figures on each store: N clients (`--clients`, default 1)
 * spread over W workspaces (`--workspaces`, default 1; client c is in workspace c mod W), each
 * client POSTing `--batches` batches of 2,000 contacts one after another over loopback, with its
 * own member token, to real server processes (`server/index.ts`) on a fresh database; then every
 * workspace's change feed pulled from 0 in pages of 1,000, all workspaces at once.
 * `npm run measure:sync -- --clients 20 --workspaces 4`.
 *
 * - The workspaces are made through `POST /v1/workspaces` (the servers get an ADMIN_TOKEN), and
 *   each client's token through `POST /v1/members` with its workspace owner's token.
 * - Every workspace gets the same phone numbers (client k of each workspace sends the same
 *   phones), each contact marked with its workspace (`custom.team`), so that a leak between
 *   workspaces would show. At the end each workspace must hold exactly its own clients' contacts
 *   (its stats, and its feed: the phones, once each, and every contact's mark), or this fails.
 * - The servers run with their default rate limit (RATE_LIMIT unset): a 429 is counted, waited
 *   out (its Retry-After) and sent again.
 * - SQLite: one server process on a temporary file (SQLite has one writer).
 * - PostgreSQL: a scratch database on the server of DATABASE_URL (created and dropped: the URL's
 *   user needs CREATEDB), else on a throwaway cluster when PostgreSQL is installed
 *   (scripts/pg-cluster.ts), else skipped. Two server processes when there are several clients
 *   (the clients alternate between them), as a deployment sharing one database would run.
 *
 * Bounded: a fixed number of batches per client, and no batch starts after `--seconds` (default
 * 60) per store.
 *
 * Then the live channel on the same database, with new server processes and workspaces of its
 * own (measure-live.ts): `--listeners` devices (default 100) listening and pulling, the clients
 * pushing small batches, an idle-cutting proxy in front, and a server restart.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createDatabase, dropDatabase, findPgBin, startCluster } from './pg-cluster';
import { freePort } from './free-port.js';
import { LIVE_SERVER_ENV, measureLive, n, percentile } from './measure-live';

const SIZE = 2000;
const TOKEN = 'measure-sync';
const ADMIN = 'measure-sync-admin';

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
const WORKSPACES = option('workspaces', 1, CLIENTS);
const BATCHES = option('batches', Math.max(5, Math.ceil(50 / CLIENTS)), 1000);
const SECONDS = option('seconds', 60, 3600);
const LISTENERS = option('listeners', 100, 1000);

/** Starts `server/index.ts` with `env`; resolves with its base URL once it listens. */
async function startServer(
	env: Record<string, string>
): Promise<{ base: string; child: ChildProcess }> {
	const port = await freePort();
	const child = spawn(process.execPath, ['--import', 'tsx', 'server/index.ts'], {
		env: { ...process.env, ...env, PORT: String(port), SYNC_TOKEN: TOKEN, ADMIN_TOKEN: ADMIN },
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

/** Client c's workspace, and its place among that workspace's clients. */
const workspaceOf = (client: number) => client % WORKSPACES;
const rankOf = (client: number) => Math.floor(client / WORKSPACES);
/** The phone of contact i of batch b of the client ranked `rank` (the same in every workspace). */
const phoneOf = (rank: number, batch: number, i: number) =>
	`+1212${String((rank * BATCHES + batch) * SIZE + i).padStart(7, '0')}`;

function body(client: number, batch: number): string {
	const team = `w${workspaceOf(client)}`;
	return JSON.stringify({
		batchId: `c${client}b${batch}`,
		importId: 'measure',
		contacts: Array.from({ length: SIZE }, (_, i) => {
			const n = (client * BATCHES + batch) * SIZE + i;
			return {
				phone: phoneOf(rankOf(client), batch, i),
				firstName: `First${n}`,
				lastName: `Last${n}`,
				email: `p${n}@example.com`,
				company: `Company ${n % 500}`,
				tags: ['vip', `list ${n % 7}`],
				custom: { lead_source: 'Web', team },
				updatedAt: 1
			};
		})
	});
}

/** 429s met, per phase. */
const throttled = { push: 0, feed: 0, setup: 0 };

/** `fetch` that waits out a 429 (its Retry-After) and sends again, counting it in `phase`. */
async function send(
	phase: keyof typeof throttled,
	url: string,
	init: RequestInit
): Promise<{ res: Response; ms: number; refused: number }> {
	for (let refused = 0; ; refused++) {
		const start = performance.now();
		const res = await fetch(url, init);
		if (res.status !== 429) return { res, ms: performance.now() - start, refused };
		await res.arrayBuffer();
		throttled[phase]++;
		await new Promise((r) => setTimeout(r, 1000 * Number(res.headers.get('Retry-After') ?? 1)));
	}
}

const auth = (token: string) => ({
	Authorization: `Bearer ${token}`,
	'Content-Type': 'application/json'
});

/** Makes the workspaces (owner tokens) and one member token per client. */
async function setup(base: string): Promise<{ owners: string[]; clients: string[] }> {
	const owners: string[] = [];
	for (let w = 0; w < WORKSPACES; w++) {
		const { res } = await send('setup', `${base}/v1/workspaces`, {
			method: 'POST',
			headers: auth(ADMIN),
			body: JSON.stringify({ name: `Measure ${w}` })
		});
		if (res.status !== 201) throw new Error(`POST /v1/workspaces: ${res.status}`);
		owners.push(((await res.json()) as { ownerToken: string }).ownerToken);
	}
	const clients: string[] = [];
	for (let c = 0; c < CLIENTS; c++) {
		const { res } = await send('setup', `${base}/v1/members`, {
			method: 'POST',
			headers: auth(owners[workspaceOf(c)]),
			body: JSON.stringify({ name: `Client ${c}`, role: 'member' })
		});
		if (res.status !== 201) throw new Error(`POST /v1/members: ${res.status}`);
		clients.push(((await res.json()) as { token: string }).token);
	}
	return { owners, clients };
}

interface FeedContact {
	phone: string;
	op: string;
	contact?: { custom?: Record<string, string> };
}

/** Runs the clients against `bases`, pulls every feed and checks each workspace; prints figures. */
async function measure(label: string, bases: string[]): Promise<void> {
	throttled.push = throttled.feed = throttled.setup = 0;
	const { owners, clients } = await setup(bases[0]);
	const bodies = Array.from({ length: CLIENTS }, (_, c) =>
		Array.from({ length: BATCHES }, (_, b) => body(c, b))
	);
	const sent = Array.from({ length: CLIENTS }, () => 0);
	const latencies: number[] = [];
	let requests = 0;
	const t0 = performance.now();
	let capped = false;
	await Promise.all(
		bodies.map(async (batches, c) => {
			for (let b = 0; b < batches.length; b++) {
				if ((performance.now() - t0) / 1000 > SECONDS) {
					capped = true;
					return;
				}
				const { res, ms, refused } = await send(
					'push',
					`${bases[c % bases.length]}/v1/contacts/batches`,
					{
						method: 'POST',
						headers: { ...auth(clients[c]), 'Idempotency-Key': `c${c}b${b}` },
						body: batches[b]
					}
				);
				await res.arrayBuffer();
				if (res.status !== 200) throw new Error(`client ${c} batch ${b}: ${res.status}`);
				requests += 1 + refused;
				latencies.push(ms);
				sent[c]++;
			}
		})
	);
	const seconds = (performance.now() - t0) / 1000;
	const contacts = latencies.length * SIZE;
	latencies.sort((a, b) => a - b);
	console.log(
		`${label}: ${CLIENTS} client(s) over ${WORKSPACES} workspace(s): ${n(contacts)} contacts in ${latencies.length} batches, ${seconds.toFixed(2)} s → ${(requests / seconds).toFixed(1)} requests/s, ${n(contacts / seconds)} contacts/s; batch latency p50 ${percentile(latencies, 50).toFixed(0)} ms, p99 ${percentile(latencies, 99).toFixed(0)} ms; 429s: ${throttled.push}${capped ? ` (stopped at the ${SECONDS} s cap)` : ''}`
	);

	// Every workspace's feed at once, each read with its owner's token, alternating processes.
	const f0 = performance.now();
	let pages = 0;
	const feeds = await Promise.all(
		owners.map(async (owner, w) => {
			const changes: FeedContact[] = [];
			let since = 0;
			for (;;) {
				const { res } = await send(
					'feed',
					`${bases[(w + pages) % bases.length]}/v1/changes?since=${since}&limit=1000`,
					{ headers: auth(owner) }
				);
				if (res.status !== 200) throw new Error(`workspace ${w} feed: ${res.status}`);
				const page = (await res.json()) as { changes: FeedContact[]; next: number; more: boolean };
				pages++;
				changes.push(...page.changes);
				since = page.next;
				if (!page.more) return changes;
			}
		})
	);
	const feedSeconds = (performance.now() - f0) / 1000;
	const changes = feeds.reduce((sum, feed) => sum + feed.length, 0);
	console.log(
		`${label}: change feeds, ${n(changes)} changes from 0 in ${pages} pages of up to 1,000 (${WORKSPACES} workspace(s) at once), ${feedSeconds.toFixed(2)} s → ${n(changes / feedSeconds)} changes/s, ${(pages / feedSeconds).toFixed(1)} requests/s; 429s: ${throttled.feed}`
	);

	// Each workspace holds exactly its own clients' contacts, and nothing of another's.
	for (let w = 0; w < WORKSPACES; w++) {
		const expected = new Set<string>();
		for (let c = w; c < CLIENTS; c += WORKSPACES)
			for (let b = 0; b < sent[c]; b++)
				for (let i = 0; i < SIZE; i++) expected.add(phoneOf(rankOf(c), b, i));
		const feed = feeds[w];
		const phones = new Set(feed.map((change) => change.phone));
		const foreign = feed.filter(
			(change) => change.op !== 'upsert' || change.contact?.custom?.team !== `w${w}`
		);
		const { res } = await send('feed', `${bases[0]}/v1/stats`, { headers: auth(owners[w]) });
		const stats = (await res.json()) as { contacts: number; batches: number };
		const batches = sent.filter((_, c) => workspaceOf(c) === w).reduce((a, b) => a + b, 0);
		if (
			feed.length !== expected.size ||
			phones.size !== expected.size ||
			[...expected].some((phone) => !phones.has(phone)) ||
			foreign.length > 0 ||
			stats.contacts !== expected.size ||
			stats.batches !== batches
		)
			throw new Error(
				`${label}: workspace ${w} holds ${stats.contacts} contacts (${phones.size} phones in its feed, ${foreign.length} not its own) and ${stats.batches} batches; its clients sent ${expected.size} contacts in ${batches} batches`
			);
	}
	console.log(
		`${label}: checked: each of the ${WORKSPACES} workspace(s) holds exactly its own clients' contacts (${[
			...Array(WORKSPACES).keys()
		]
			.map((w) => n(feeds[w].length))
			.join(', ')}), each phone once, none marked with another workspace`
	);
}

console.log(
	`${CLIENTS} client(s) over ${WORKSPACES} workspace(s) × ${BATCHES} batch(es) of ${SIZE.toLocaleString('en-US')} contacts, loopback, cap ${SECONDS} s per store`
);

const liveShape = {
	clients: CLIENTS,
	workspaces: WORKSPACES,
	listeners: LISTENERS,
	admin: ADMIN
};

// SQLite: one server process on a fresh file.
const dir = mkdtempSync(join(tmpdir(), 'callaro-ingest-'));
try {
	const { base, child } = await startServer({ DATABASE_PATH: join(dir, 'sync.db') });
	try {
		await measure('SQLite (1 server process)', [base]);
	} finally {
		await stopServer(child);
	}
	const env = { DATABASE_PATH: join(dir, 'sync.db'), ...LIVE_SERVER_ENV };
	let live = await startServer(env);
	try {
		await measureLive('SQLite', [live.base], {
			...liveShape,
			restart: async () => {
				await stopServer(live.child);
				live = await startServer(env);
				return live.base;
			}
		});
	} finally {
		await stopServer(live.child);
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
			const env = { DATABASE_URL: url, ...LIVE_SERVER_ENV };
			const live: { base: string; child: ChildProcess }[] = [];
			for (let i = 0; i < processes; i++) live.push(await startServer(env));
			try {
				await measureLive(
					`PostgreSQL (${processes} process${processes > 1 ? 'es' : ''})`,
					live.map((s) => s.base),
					{
						...liveShape,
						restart: async (i) => {
							await stopServer(live[i].child);
							live[i] = await startServer(env);
							return live[i].base;
						}
					}
				);
			} finally {
				await Promise.all(live.map((s) => stopServer(s.child)));
			}
		} finally {
			await dropDatabase(admin, url);
		}
	} finally {
		await cluster?.stop();
	}
}
