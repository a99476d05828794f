/**
 * Memory figures for the benchmark, sampled while a phase runs:
 * - renderer PSS: the proportional set size of Chromium's renderer processes (page and workers
 *   live there), from /proc/<pid>/smaps_rollup. RSS, which the first benchmark printed, also counts
 *   every shared page of the Chromium binary and libraries in full (~240 MB here), and moves with
 *   what the rest of the machine maps; PSS splits shared pages between the processes using them.
 *   Falls back to RSS where smaps_rollup is missing (not Linux).
 * - JS heaps: the page's (CDP Performance.getMetrics) and each dedicated worker's
 *   (Runtime.getHeapUsage through the page's auto-attached targets), used size, which includes
 *   garbage not yet collected.
 */
import { execFileSync } from 'node:child_process';
import { readFileSync } from 'node:fs';

/** Sum over renderer processes of PSS (or RSS), in MB. */
export function rendererMb() {
	let out;
	try {
		out = execFileSync('ps', ['-eo', 'pid=,rss=,args='], { encoding: 'utf8' });
	} catch {
		return NaN;
	}
	let total = 0;
	for (const line of out.split('\n')) {
		if (!line.includes('--type=renderer')) continue;
		const [pid, rss] = line.trim().split(/\s+/);
		let kb = Number(rss);
		try {
			const rollup = readFileSync(`/proc/${pid}/smaps_rollup`, 'utf8');
			const pss = rollup.match(/^Pss:\s+(\d+)/m);
			if (pss) kb = Number(pss[1]);
		} catch {
			// The process ended between ps and the read, or no smaps_rollup: keep RSS.
		}
		total += kb;
	}
	return total / 1024;
}

/**
 * Starts sampling memory every `everyMs` for a page. `phase(name)` starts a new phase; `stop()`
 * returns, per phase, the peak renderer PSS, the peak page and worker heaps, and the samples.
 */
export async function startMemorySampler(context, page, everyMs = 500) {
	const cdp = await context.newCDPSession(page);
	await cdp.send('Performance.enable');
	const workers = new Set();
	const waiting = new Map();
	let nextId = 1;
	cdp.on('Target.attachedToTarget', (e) => {
		if (e.targetInfo.type === 'worker') workers.add(e.sessionId);
	});
	cdp.on('Target.detachedFromTarget', (e) => workers.delete(e.sessionId));
	cdp.on('Target.receivedMessageFromTarget', (e) => {
		const message = JSON.parse(e.message);
		waiting.get(message.id)?.(message.result);
		waiting.delete(message.id);
	});
	// Not flattened: Playwright's own session already attaches flat; this one talks to workers
	// through Target.sendMessageToTarget.
	await cdp.send('Target.setAutoAttach', {
		autoAttach: true,
		waitForDebuggerOnStart: false,
		flatten: false
	});
	const ask = (sessionId, method, timeoutMs = 1000) =>
		new Promise((resolve) => {
			const id = nextId++;
			waiting.set(id, (r) => resolve(r ?? null));
			setTimeout(() => resolve(null), timeoutMs);
			cdp
				.send('Target.sendMessageToTarget', {
					sessionId,
					message: JSON.stringify({ id, method })
				})
				.catch(() => resolve(null));
		});
	const workerHeap = async (sessionId) =>
		(await ask(sessionId, 'Runtime.getHeapUsage'))?.usedSize ?? 0;
	const phases = new Map();
	let current = null;
	let busy = false;
	const sample = async () => {
		if (busy || !current) return;
		busy = true;
		try {
			const p = current;
			const metrics = await cdp.send('Performance.getMetrics').catch(() => ({ metrics: [] }));
			const pageHeap = metrics.metrics.find((m) => m.name === 'JSHeapUsedSize')?.value ?? 0;
			let heaps = 0;
			for (const id of workers) heaps = Math.max(heaps, await workerHeap(id));
			const pss = rendererMb();
			p.peakPss = Math.max(p.peakPss, pss);
			p.peakPageHeap = Math.max(p.peakPageHeap, pageHeap / 1048576);
			p.peakWorkerHeap = Math.max(p.peakWorkerHeap, heaps / 1048576);
			p.samples.push(pss);
		} finally {
			busy = false;
		}
	};
	const timer = setInterval(sample, everyMs);
	return {
		phase(name) {
			current = { peakPss: 0, peakPageHeap: 0, peakWorkerHeap: 0, samples: [] };
			phases.set(name, current);
		},
		/**
		 * The largest worker heap after a full garbage collection in every worker, in MB: what the
		 * workers really hold at this moment (the peaks above include garbage not yet collected).
		 */
		async liveWorkerHeap() {
			let max = 0;
			for (const id of workers) {
				await ask(id, 'HeapProfiler.collectGarbage', 10_000);
				max = Math.max(max, await workerHeap(id));
			}
			return max / 1048576;
		},
		async stop() {
			clearInterval(timer);
			await sample();
			current = null;
			await cdp.detach().catch(() => undefined);
			return Object.fromEntries(phases);
		}
	};
}

/**
 * Whether memory grows with the file while a phase runs: the mean of the last fifth of the
 * samples minus the mean of the second fifth (the first fifth is start-up), in MB.
 */
export function growthMb(samples) {
	const n = samples.length;
	if (n < 10) return 0;
	const mean = (xs) => xs.reduce((a, b) => a + b, 0) / xs.length;
	const fifth = Math.floor(n / 5);
	return mean(samples.slice(n - fifth)) - mean(samples.slice(fifth, 2 * fifth));
}
