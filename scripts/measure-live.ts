/**
 * The live channel under load, for `measure:sync`: L devices (`--listeners`, default 100) hold
 * the live channel open on the servers, each through the device's own code
 * (src/lib/sync/live-channel.ts) and each pulling from its own cursor when told, as the app does;
 * C devices (the run's `--clients`) push small batches (10 contacts, 0.2–0.8 s apart) in W
 * workspaces of their own. Printed:
 * - how long a change takes from its device's send to being pulled by every other listening
 *   device of its workspace (p50, p99, max), and whether any device missed one (it must not);
 * - that streams survive a proxy that cuts connections idle for 5 s (every listener connects
 *   through one, and the servers send a heartbeat every 2 s): reconnects during a quiet spell;
 * - a server restart with every channel open: how long until all listeners are live again, and
 *   the latency of the changes after it.
 * It prints figures; it asserts nothing of time.
 */
import { createServer, connect, type Server, type Socket } from 'node:net';
import { openLiveChannel, type LiveState } from '../src/lib/sync/live-channel';

export const percentile = (sorted: number[], p: number) =>
	sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))];
export const n = (value: number) => Math.round(value).toLocaleString('en-US');

/** What the servers of the live phase must run with (a heartbeat below the proxy's idle cut). */
export const LIVE_SERVER_ENV = { HEARTBEAT_SECONDS: '2' };
const IDLE_CUT_MS = 5000;
const ROUNDS = 8;
const PER_BATCH = 10;

/**
 * A TCP proxy that cuts any connection idle (no byte either way) for `idleMs`, as load balancers
 * do; its target can change (a restarted server on another port).
 */
function idleCuttingProxy(idleMs: number) {
	let target = 0;
	let cuts = 0;
	const sockets = new Set<Socket>();
	const server: Server = createServer((client) => {
		const upstream = connect(target, '127.0.0.1');
		sockets.add(client);
		let timer: ReturnType<typeof setTimeout>;
		const end = () => {
			clearTimeout(timer);
			client.destroy();
			upstream.destroy();
			sockets.delete(client);
		};
		const touch = () => {
			clearTimeout(timer);
			timer = setTimeout(() => {
				cuts++;
				end();
			}, idleMs);
		};
		touch();
		client.on('data', touch);
		upstream.on('data', touch);
		client.pipe(upstream).pipe(client);
		client.on('error', end).on('close', end);
		upstream.on('error', end).on('close', end);
	});
	return {
		async listen(): Promise<string> {
			await new Promise<void>((done) => server.listen(0, '127.0.0.1', done));
			return `http://127.0.0.1:${(server.address() as { port: number }).port}`;
		},
		setTarget(base: string) {
			target = Number(new URL(base).port);
		},
		get cuts() {
			return cuts;
		},
		close: () =>
			new Promise<void>((done) => {
				for (const socket of sockets) socket.destroy();
				server.close(() => done());
			})
	};
}

const headers = (token: string) => ({
	Authorization: `Bearer ${token}`,
	'Content-Type': 'application/json'
});

/** A POST that waits out a 429 (the servers run with their default rate limit). */
async function post(url: string, token: string, body: unknown, extra: Record<string, string> = {}) {
	for (;;) {
		const res = await fetch(url, {
			method: 'POST',
			headers: { ...headers(token), ...extra },
			body: JSON.stringify(body)
		});
		if (res.status === 429) {
			await res.arrayBuffer();
			await sleep(1000 * Number(res.headers.get('Retry-After') ?? 1));
			continue;
		}
		if (res.status >= 300) throw new Error(`POST ${url}: ${res.status} ${await res.text()}`);
		return (await res.json()) as Record<string, string>;
	}
}

/** A listening device: the channel, and a pull from its cursor whenever it is told. */
function listener(base: string, token: string, onPhone: (phone: string) => void) {
	let cursor = 0;
	let running = false;
	let again = false;
	let state: LiveState = 'connecting';
	let downs = 0;
	let readies = 0;
	const pull = async (): Promise<void> => {
		if (running) {
			again = true;
			return;
		}
		running = true;
		try {
			for (let more = true; more;) {
				const res = await fetch(`${base}/v1/changes?since=${cursor}&limit=1000`, {
					headers: headers(token)
				});
				if (res.status !== 200) throw new Error(`pull: ${res.status}`);
				const page = (await res.json()) as {
					changes: { phone: string }[];
					next: number;
					more: boolean;
				};
				for (const change of page.changes) onPhone(change.phone);
				cursor = page.next;
				more = page.more;
			}
		} catch {
			// A failed pull (the server restarting) is retried by the next event or reconnection.
		} finally {
			running = false;
		}
		if (again) {
			again = false;
			return pull();
		}
	};
	const close = openLiveChannel({
		url: base,
		token,
		onChange: () => void pull(),
		onState: (next) => {
			state = next;
			if (next === 'down') downs++;
			if (next === 'live') readies++;
		},
		maxDelayMs: 2000
	});
	return {
		close,
		get state() {
			return state;
		},
		get downs() {
			return downs;
		},
		get readies() {
			return readies;
		}
	};
}

const sleep = (ms: number) => new Promise((done) => setTimeout(done, ms));

async function until(check: () => boolean, ms: number): Promise<number> {
	const start = performance.now();
	while (!check()) {
		if (performance.now() - start > ms) throw new Error('the live phase timed out');
		await sleep(10);
	}
	return performance.now() - start;
}

/**
 * Runs the live phase against `bases` (every server process of the store), with `restart(0)`
 * restarting the first process on the same database and answering its new base URL.
 */
export async function measureLive(
	label: string,
	bases: string[],
	options: {
		clients: number;
		workspaces: number;
		listeners: number;
		admin: string;
		restart: (index: number) => Promise<string>;
	}
): Promise<void> {
	const { clients, workspaces, listeners: count, admin } = options;
	// One proxy per server process: listeners alternate between processes, as pushers do.
	const proxies = bases.map(() => idleCuttingProxy(IDLE_CUT_MS));
	const fronts = await Promise.all(proxies.map((proxy) => proxy.listen()));
	proxies.forEach((proxy, i) => proxy.setTarget(bases[i]));
	const owners: string[] = [];
	for (let w = 0; w < workspaces; w++)
		owners.push((await post(`${bases[0]}/v1/workspaces`, admin, { name: `Live ${w}` })).ownerToken);
	const member = async (w: number, name: string) =>
		(await post(`${bases[0]}/v1/members`, owners[w], { name, role: 'member' })).token;
	const pushers: string[] = [];
	for (let c = 0; c < clients; c++) pushers.push(await member(c % workspaces, `Pusher ${c}`));
	const tokens: string[] = [];
	for (let l = 0; l < count; l++) tokens.push(await member(l % workspaces, `Listener ${l}`));

	/** When each batch was sent (`phone` → batch), and when each listener first saw each batch. */
	const batchOf = new Map<string, number>();
	const sentAt: number[] = [];
	const workspaceOfBatch: number[] = [];
	const seen = Array.from({ length: count }, () => new Map<number, number>());
	const devices = tokens.map((token, l) =>
		listener(fronts[l % fronts.length], token, (phone) => {
			const batch = batchOf.get(phone);
			if (batch !== undefined && !seen[l].has(batch))
				seen[l].set(batch, performance.now() - sentAt[batch]);
		})
	);
	try {
		const connectMs = await until(() => devices.every((d) => d.state === 'live'), 60_000);
		console.log(
			`${label}: live channel: ${count} devices connected in ${n(connectMs)} ms (${bases.length} process(es), each through a proxy that cuts connections idle for ${IDLE_CUT_MS / 1000} s; heartbeat ${LIVE_SERVER_ENV.HEARTBEAT_SECONDS} s)`
		);

		let next = 0;
		/** `rounds` small batches per pusher, 0.2–0.8 s apart; resolves once each is acknowledged. */
		const pushRounds = async (rounds: number, urls: string[]) => {
			const from = next;
			await Promise.all(
				pushers.map(async (token, c) => {
					for (let r = 0; r < rounds; r++) {
						await sleep(200 + Math.random() * 600);
						const batch = next++;
						const contacts = Array.from({ length: PER_BATCH }, (_, i) => {
							const phone = `+1415${String(2_000_000 + batch * PER_BATCH + i).padStart(7, '0')}`;
							batchOf.set(phone, batch);
							return { phone, firstName: `Live${batch}`, tags: [], custom: {}, updatedAt: 1 };
						});
						workspaceOfBatch[batch] = c % workspaces;
						sentAt[batch] = performance.now();
						await post(
							`${urls[c % urls.length]}/v1/contacts/batches`,
							token,
							{ batchId: `live-${batch}`, importId: 'live', contacts },
							{ 'Idempotency-Key': `live-${batch}` }
						);
					}
				})
			);
			return { from, to: next };
		};
		/** Every (listener, batch) of one workspace: its latency, or missed after `waitMs`. */
		const collect = async ({ from, to }: { from: number; to: number }, waitMs = 10_000) => {
			const expected = (l: number) => {
				const out: number[] = [];
				for (let b = from; b < to; b++) if (workspaceOfBatch[b] === l % workspaces) out.push(b);
				return out;
			};
			await until(
				() => devices.every((_, l) => expected(l).every((b) => seen[l].has(b))),
				waitMs
			).catch(() => undefined);
			const latencies: number[] = [];
			let missed = 0;
			devices.forEach((_, l) => {
				for (const b of expected(l)) {
					const ms = seen[l].get(b);
					if (ms === undefined) missed++;
					else latencies.push(ms);
				}
			});
			latencies.sort((a, b) => a - b);
			return { latencies, missed };
		};
		const describe = ({ latencies, missed }: { latencies: number[]; missed: number }) =>
			`${n(latencies.length)} deliveries, send to pulled on another device p50 ${n(percentile(latencies, 50))} ms, p99 ${n(percentile(latencies, 99))} ms, max ${n(latencies[latencies.length - 1] ?? 0)} ms; missed: ${missed}`;

		const first = await collect(await pushRounds(ROUNDS, bases));
		console.log(
			`${label}: live: ${clients} devices pushing ${ROUNDS} batches of ${PER_BATCH} each over ${workspaces} workspace(s), ${count} listening: ${describe(first)}`
		);

		const downsBefore = devices.reduce((sum, d) => sum + d.downs, 0);
		const cutsBefore = proxies.reduce((sum, p) => sum + p.cuts, 0);
		await sleep(3 * IDLE_CUT_MS);
		const downs = devices.reduce((sum, d) => sum + d.downs, 0) - downsBefore;
		const cuts = proxies.reduce((sum, p) => sum + p.cuts, 0) - cutsBefore;
		console.log(
			`${label}: live: ${(3 * IDLE_CUT_MS) / 1000} s with no change through the idle-cutting proxy: ${cuts} connections cut, ${downs} reconnects`
		);

		const readiesBefore = devices.map((d) => d.readies);
		const restartStart = performance.now();
		const restarted = await options.restart(0);
		const restartMs = performance.now() - restartStart;
		proxies[0].setTarget(restarted);
		await until(
			() => devices.every((d, l) => d.readies > readiesBefore[l] || l % fronts.length !== 0),
			60_000
		);
		const affected = devices.filter((_, l) => l % fronts.length === 0).length;
		console.log(
			`${label}: live: a server process stopped and started again on its database (${n(restartMs)} ms): all ${affected} of its listening devices live again ${n(performance.now() - restartStart)} ms after the stop began`
		);
		const after = await collect(await pushRounds(2, [restarted, ...bases.slice(1)]));
		console.log(`${label}: live after the restart: ${describe(after)}`);
	} finally {
		for (const device of devices) device.close();
		await Promise.all(proxies.map((proxy) => proxy.close()));
	}
}
