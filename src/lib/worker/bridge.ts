/**
 * The one way the app reaches a worker. A bridge owns one worker's whole life:
 * - lazy start: the worker is created on the first call, never at module scope (prerendering runs
 *   in Node, which has no Worker);
 * - cancellation: a call takes an `AbortSignal`; aborting asks the worker to stop the task (by its
 *   task id) and rejects the call at once with an `AbortError`;
 * - a watchdog: a call with `watchdogMs` must beat (through `task.beat` or any `task.callback`)
 *   at least that often, or the worker is terminated, since a stuck worker cannot be asked to stop,
 *   and the call rejects with `WorkerStalledError`;
 * - termination when idle (`idleMs` after the last call settles), and at once when the page hides
 *   (`pagehide`: it is being left, or kept in the back/forward cache), calls in flight included.
 *   No worker starts again until the page shows again: WebKit never releases the transaction of
 *   a worker the page's end kills mid-write, and its stores stay locked for every later page. This
 *   listener is the bridge's own, so it holds from the worker's first start, before any page
 *   code has mounted.
 *
 * Invariant: every call settles exactly once. Terminating the worker rejects the calls still in
 * flight (a terminated Comlink worker would leave them pending forever), and the next call starts
 * a new worker.
 */
import { abortError, WorkerEndedError, WorkerStalledError } from '$lib/errors';

/** A started worker: its API (Comlink-wrapped in the app, a plain object in tests) and its end. */
export interface WorkerHandle<Api> {
	api: Api;
	terminate(): void;
}

/** What every worker API offers: stopping a task by its id at its next slice. */
export interface CancellableApi {
	cancel(taskId: string): unknown;
}

type Callback = (...args: never[]) => unknown;

/** Handed to each call: its task id, and callbacks the worker may call back. */
export interface TaskContext {
	taskId: string;
	/** A heartbeat for the worker to call; it feeds the watchdog. */
	beat: () => void;
	/** Wraps `fn` so the worker can call it back; every call also feeds the watchdog. */
	callback<F extends Callback>(fn: F): F;
}

export interface CallOptions {
	signal?: AbortSignal;
	/** The worker is stopped when the call goes this long without a beat. */
	watchdogMs?: number;
}

export interface BridgeOptions<Api> {
	start: () => WorkerHandle<Api>;
	/** How long the worker outlives its last call (default 60 s; `Infinity` keeps it). */
	idleMs?: number;
	/** Makes a callback callable from the worker (`Comlink.proxy`); identity in tests. */
	proxy?: <F extends Callback>(fn: F) => F;
	/** Where `pagehide` is heard (the window); absent in Node. */
	page?: Pick<EventTarget, 'addEventListener' | 'removeEventListener'>;
	now?: () => number;
}

interface Running<Api> {
	handle: WorkerHandle<Api>;
	/** Rejects each call in flight on this worker. */
	pending: Set<(error: Error) => void>;
}

let tasks = 0;

export class WorkerBridge<Api extends CancellableApi> {
	private worker: Running<Api> | null = null;
	/** Set by `close`: no worker starts again. */
	private closed = false;
	/** Between `pagehide` and `pageshow`: no worker starts. */
	private hidden = false;
	private inFlight = 0;
	private idleTimer: ReturnType<typeof setTimeout> | undefined;
	private readonly idleMs: number;
	private readonly proxy: <F extends Callback>(fn: F) => F;
	private readonly now: () => number;
	private readonly onPageHide = () => {
		this.hidden = true;
		this.terminate();
	};
	private readonly onPageShow = () => {
		this.hidden = false;
	};

	constructor(private readonly options: BridgeOptions<Api>) {
		this.idleMs = options.idleMs ?? 60_000;
		this.proxy = options.proxy ?? ((fn) => fn);
		this.now = options.now ?? Date.now;
		options.page?.addEventListener('pagehide', this.onPageHide);
		options.page?.addEventListener('pageshow', this.onPageShow);
	}

	/** Whether a worker is running now. */
	get started(): boolean {
		return this.worker !== null;
	}

	/** Runs `run` against the worker (starting it if needed); see the header for the guarantees. */
	call<R>(run: (api: Api, task: TaskContext) => Promise<R>, options: CallOptions = {}): Promise<R> {
		const { signal, watchdogMs } = options;
		if (signal?.aborted) return Promise.reject(abortError(signal));
		if (this.closed || this.hidden) return Promise.reject(new WorkerEndedError());
		const worker = this.ensure();
		clearTimeout(this.idleTimer);
		this.inFlight++;
		const taskId = `task-${++tasks}`;
		let lastBeat = this.now();
		const beat = () => {
			lastBeat = this.now();
		};
		const task: TaskContext = {
			taskId,
			beat: this.proxy(beat),
			callback: (fn) =>
				this.proxy(((...args: never[]) => {
					beat();
					return fn(...args);
				}) as typeof fn)
		};
		return new Promise<R>((resolve, reject) => {
			let settled = false;
			let watchdog: ReturnType<typeof setInterval> | undefined;
			const settle = (done: () => void) => {
				if (settled) return;
				settled = true;
				clearInterval(watchdog);
				signal?.removeEventListener('abort', onAbort);
				worker.pending.delete(end);
				this.inFlight--;
				if (this.inFlight === 0) this.scheduleIdle();
				done();
			};
			const end = (error: Error) => settle(() => reject(error));
			const onAbort = () => {
				// Best effort: a worker that has ended or already finished the task has nothing to stop.
				Promise.resolve(worker.handle.api.cancel(taskId)).catch(() => undefined);
				end(abortError(signal));
			};
			worker.pending.add(end);
			signal?.addEventListener('abort', onAbort, { once: true });
			if (watchdogMs !== undefined) {
				watchdog = setInterval(
					() => {
						if (this.now() - lastBeat > watchdogMs) {
							this.terminateWorker(worker, new WorkerStalledError(watchdogMs));
						}
					},
					Math.max(10, Math.min(2000, watchdogMs / 4))
				);
			}
			let started: Promise<R>;
			try {
				started = run(worker.handle.api, task);
			} catch (error) {
				started = Promise.reject(error as Error);
			}
			started.then(
				(value) => settle(() => resolve(value)),
				(error: unknown) => settle(() => reject(error as Error))
			);
		});
	}

	/** Ends the worker now; calls in flight reject with `WorkerEndedError`. */
	terminate(): void {
		if (this.worker) this.terminateWorker(this.worker, new WorkerEndedError());
	}

	/**
	 * Ends the worker for good, for a page going away: every later call rejects at once with
	 * `WorkerEndedError` and starts no worker. A worker started then (a call retried after the
	 * one `terminate` rejected) would be killed by the page's end in the middle of its
	 * transactions, which WebKit never releases: the database stays locked for every later page.
	 */
	close(): void {
		this.closed = true;
		this.terminate();
	}

	private ensure(): Running<Api> {
		if (this.worker) return this.worker;
		this.worker = { handle: this.options.start(), pending: new Set() };
		return this.worker;
	}

	private terminateWorker(worker: Running<Api>, reason: Error): void {
		if (this.worker === worker) {
			this.worker = null;
			clearTimeout(this.idleTimer);
		}
		worker.handle.terminate();
		for (const end of [...worker.pending]) end(reason);
	}

	private scheduleIdle(): void {
		clearTimeout(this.idleTimer);
		if (!this.worker || this.idleMs === Infinity) return;
		const worker = this.worker;
		this.idleTimer = setTimeout(() => {
			if (this.inFlight === 0 && this.worker === worker) this.terminate();
		}, this.idleMs);
	}
}
