/**
 * A browser's processes, for the per-engine benchmark: their memory, and a CPU slowdown that
 * works the same way in every engine.
 *
 * Memory: the PSS (from /proc/<pid>/smaps_rollup, Linux) of the browser's web content processes,
 * where the page and its workers run: Chromium's renderers (`--type=renderer`), Firefox's content
 * processes (`-contentproc ... tab`; Firefox keeps a few spare ones ready, which count too), and
 * WebKit's `WebKitWebProcess`. PSS splits pages shared between processes, so that a library
 * mapped by every process is not counted in full in each.
 *
 * Slowdown: DevTools' `Emulation.setCPUThrottlingRate` slows only a page's main thread. Checked
 * here: at rate 4 a loop on the main thread went from 1,317 to 5,556 ms while the same loop in a
 * dedicated worker went from 930 to 824 ms, and CDP refuses the call on a worker target. This app
 * does its work in workers, and Firefox and WebKit have no such call at all; so every process of
 * the browser is stopped and continued in turn (SIGSTOP/SIGCONT), running 2 ms in every
 * 2 × `factor` ms, as a CPU `factor` times slower would run it. The achieved slowdown is measured by the caller
 * (`calibrate` in bench-engines.ts) and printed beside the figures.
 */
import { readdirSync, readFileSync } from 'node:fs';
import type { Engine } from '../tests/cross/browsers';

interface Proc {
	pid: number;
	ppid: number;
	args: string;
}

function allProcesses(): Proc[] {
	const out: Proc[] = [];
	for (const name of readdirSync('/proc')) {
		if (!/^\d+$/.test(name)) continue;
		try {
			const stat = readFileSync(`/proc/${name}/stat`, 'utf8');
			// The command name (field 2) may hold spaces and parentheses: fields resume after the last ')'.
			const rest = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
			const args = readFileSync(`/proc/${name}/cmdline`, 'utf8').replaceAll('\0', ' ').trim();
			out.push({ pid: Number(name), ppid: Number(rest[1]), args });
		} catch {
			// The process ended while it was read: it is no longer part of any tree.
		}
	}
	return out;
}

/** `root` and every process below it. */
export function processTree(root: number): Proc[] {
	const all = allProcesses();
	const inTree = new Set([root]);
	// Parents come before their children in pid order except after pid wrap-around: loop to a fixpoint.
	for (let grew = true; grew;) {
		grew = false;
		for (const p of all)
			if (!inTree.has(p.pid) && inTree.has(p.ppid)) {
				inTree.add(p.pid);
				grew = true;
			}
	}
	return all.filter((p) => inTree.has(p.pid));
}

const CONTENT: Record<Engine, (args: string) => boolean> = {
	chromium: (args) => args.includes('--type=renderer'),
	firefox: (args) => args.includes('-contentproc') && / tab$/.test(args),
	webkit: (args) => args.includes('WebKitWebProcess')
};

function pssKb(pid: number): number {
	try {
		const rollup = readFileSync(`/proc/${pid}/smaps_rollup`, 'utf8');
		return Number(/^Pss:\s+(\d+)/m.exec(rollup)?.[1] ?? 0);
	} catch {
		// The process ended between the listing and the read: it holds nothing any more.
		return 0;
	}
}

/** The summed PSS of the browser's web content processes, in MB. */
export function contentPssMb(engine: Engine, root: number): number {
	let kb = 0;
	for (const p of processTree(root)) if (CONTENT[engine](p.args)) kb += pssKb(p.pid);
	return kb / 1024;
}

export interface PssSampler {
	/** Starts a new phase; its peak and samples are kept apart from the others'. */
	phase(name: string): void;
	/** Per phase: the peak PSS (MB) and its samples. */
	stop(): Map<string, { peak: number; samples: number[] }>;
}

/** Samples the content processes' PSS every `everyMs` while it runs. */
export function samplePss(engine: Engine, root: number, everyMs = 500): PssSampler {
	const phases = new Map<string, { peak: number; samples: number[] }>();
	let current: { peak: number; samples: number[] } | undefined;
	const sample = () => {
		if (!current) return;
		const mb = contentPssMb(engine, root);
		current.samples.push(mb);
		current.peak = Math.max(current.peak, mb);
	};
	const timer = setInterval(sample, everyMs);
	return {
		phase(name) {
			sample();
			current = { peak: 0, samples: [] };
			phases.set(name, current);
			sample();
		},
		stop() {
			sample();
			clearInterval(timer);
			current = undefined;
			return phases;
		}
	};
}

export interface Slowdown {
	/** Continues every process and stops slowing them down. */
	stop(): void;
}

/**
 * Slows the browser whose root process is `root` about `factor` times: in each 2 ms × `factor`
 * period its processes run for 2 ms and are stopped for the rest. The tree is read again every
 * 300 ms, since the browser starts processes (a worker's, a new page's) as it goes. Processes
 * whose command line matches `spare` (a WebDriver server, which is not the browser) run freely.
 */
export function slowDown(root: number, factor: number, spare?: RegExp): Slowdown {
	const runMs = 2;
	const stopMs = runMs * (factor - 1);
	let pids: number[] = [];
	let listedAt = 0;
	let stopped = false;
	let ended = false;
	const signal = (sig: NodeJS.Signals) => {
		for (const pid of pids) {
			try {
				process.kill(pid, sig);
			} catch {
				// The process ended since the tree was read: nothing to stop or continue.
			}
		}
	};
	const tick = () => {
		if (ended) return;
		if (!stopped) {
			if (Date.now() - listedAt > 300) {
				pids = processTree(root)
					.filter((p) => !spare?.test(p.args))
					.map((p) => p.pid);
				listedAt = Date.now();
			}
			signal('SIGSTOP');
			stopped = true;
			setTimeout(tick, stopMs);
		} else {
			signal('SIGCONT');
			stopped = false;
			setTimeout(tick, runMs);
		}
	};
	// A benchmark that ends abruptly must not leave a browser stopped for good.
	const release = () => signal('SIGCONT');
	process.once('exit', release);
	tick();
	return {
		stop() {
			ended = true;
			signal('SIGCONT');
			process.off('exit', release);
		}
	};
}
