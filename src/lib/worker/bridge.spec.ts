import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { WorkerBridge, type TaskContext } from './bridge';
import { WorkerEndedError, WorkerStalledError } from '$lib/errors';

/** A fake worker whose tasks settle when the test says so. */
function fakeWorkers() {
	const started: { terminated: boolean; cancelled: string[] }[] = [];
	const pending = new Map<string, { resolve: (v: string) => void; task: TaskContext }>();
	const start = () => {
		const state = { terminated: false, cancelled: [] as string[] };
		started.push(state);
		return {
			api: {
				cancel: (taskId: string) => {
					state.cancelled.push(taskId);
				},
				work: (task: TaskContext) =>
					new Promise<string>((resolve) => pending.set(task.taskId, { resolve, task })),
				echo: (value: string) => Promise.resolve(value),
				fail: () => Promise.reject(new Error('bad row')),
				throwNow: (): Promise<string> => {
					throw new Error('sync throw');
				}
			},
			terminate: () => {
				state.terminated = true;
			}
		};
	};
	return { start, started, pending };
}

function page() {
	const target = new EventTarget();
	return {
		target,
		hide: () => target.dispatchEvent(new Event('pagehide')),
		show: () => target.dispatchEvent(new Event('pageshow'))
	};
}

describe('WorkerBridge', () => {
	beforeEach(() => vi.useFakeTimers());
	afterEach(() => vi.useRealTimers());

	it('starts the worker on the first call only, and reuses it', async () => {
		const w = fakeWorkers();
		const bridge = new WorkerBridge({ start: w.start });
		expect(w.started).toHaveLength(0);
		expect(bridge.started).toBe(false);
		await expect(bridge.call((api) => api.echo('a'))).resolves.toBe('a');
		await expect(bridge.call((api) => api.echo('b'))).resolves.toBe('b');
		expect(w.started).toHaveLength(1);
	});

	it('passes failures through, synchronous throws included, and keeps the worker', async () => {
		const w = fakeWorkers();
		const bridge = new WorkerBridge({ start: w.start });
		await expect(bridge.call((api) => api.fail())).rejects.toThrow('bad row');
		await expect(bridge.call((api) => api.throwNow())).rejects.toThrow('sync throw');
		expect(w.started[0].terminated).toBe(false);
	});

	it('ends the worker after idleMs without calls, and starts a new one for the next call', async () => {
		const w = fakeWorkers();
		const bridge = new WorkerBridge({ start: w.start, idleMs: 1000 });
		await bridge.call((api) => api.echo('x'));
		await vi.advanceTimersByTimeAsync(999);
		expect(w.started[0].terminated).toBe(false);
		await vi.advanceTimersByTimeAsync(2);
		expect(w.started[0].terminated).toBe(true);
		await bridge.call((api) => api.echo('y'));
		expect(w.started).toHaveLength(2);
	});

	it('never ends a worker for idleness while a call is in flight', async () => {
		const w = fakeWorkers();
		const bridge = new WorkerBridge({ start: w.start, idleMs: 100 });
		const call = bridge.call((api, task) => api.work(task));
		await vi.advanceTimersByTimeAsync(10_000);
		expect(w.started[0].terminated).toBe(false);
		[...w.pending.values()][0].resolve('done');
		await expect(call).resolves.toBe('done');
		await vi.advanceTimersByTimeAsync(101);
		expect(w.started[0].terminated).toBe(true);
	});

	it('aborting rejects at once with AbortError and asks the worker to cancel that task', async () => {
		const w = fakeWorkers();
		const bridge = new WorkerBridge({ start: w.start });
		const controller = new AbortController();
		const call = bridge.call((api, task) => api.work(task), { signal: controller.signal });
		const [taskId] = [...w.pending.keys()];
		controller.abort();
		await expect(call).rejects.toMatchObject({ name: 'AbortError' });
		expect(w.started[0].cancelled).toEqual([taskId]);
		// The worker's late answer is ignored (the call settled once).
		w.pending.get(taskId)!.resolve('late');
		expect(w.started[0].terminated).toBe(false);
	});

	it('rejects a call whose signal is already aborted without starting a worker', async () => {
		const w = fakeWorkers();
		const bridge = new WorkerBridge({ start: w.start });
		await expect(
			bridge.call((api) => api.echo('x'), { signal: AbortSignal.abort() })
		).rejects.toMatchObject({ name: 'AbortError' });
		expect(w.started).toHaveLength(0);
	});

	it('the watchdog ends a worker that stops beating, and the call rejects with WorkerStalledError', async () => {
		const w = fakeWorkers();
		const bridge = new WorkerBridge({ start: w.start });
		const other = bridge.call((api, task) => api.work(task));
		const call = bridge.call((api, task) => api.work(task), { watchdogMs: 1000 });
		const rejected = expect(call).rejects.toBeInstanceOf(WorkerStalledError);
		const otherRejected = expect(other).rejects.toBeInstanceOf(WorkerStalledError);
		const [, watched] = [...w.pending.values()];
		// Beats through a callback keep it alive.
		for (let i = 0; i < 5; i++) {
			await vi.advanceTimersByTimeAsync(800);
			(watched.task.callback(() => 'progress') as () => string)();
		}
		expect(w.started[0].terminated).toBe(false);
		await vi.advanceTimersByTimeAsync(1500);
		await rejected;
		await otherRejected;
		expect(w.started[0].terminated).toBe(true);
		expect(bridge.started).toBe(false);
		await expect(bridge.call((api) => api.echo('fresh'))).resolves.toBe('fresh');
		expect(w.started).toHaveLength(2);
	});

	it('terminate() rejects the calls in flight instead of leaving them pending', async () => {
		const w = fakeWorkers();
		const bridge = new WorkerBridge({ start: w.start });
		const call = bridge.call((api, task) => api.work(task));
		bridge.terminate();
		await expect(call).rejects.toBeInstanceOf(WorkerEndedError);
		expect(w.started[0].terminated).toBe(true);
	});

	it('pagehide ends the worker at once, calls in flight included; none starts until pageshow', async () => {
		const w = fakeWorkers();
		const p = page();
		const bridge = new WorkerBridge({ start: w.start, page: p.target, idleMs: Infinity });
		const call = bridge.call((api, task) => api.work(task));
		p.hide();
		expect(w.started[0].terminated).toBe(true);
		await expect(call).rejects.toBeInstanceOf(WorkerEndedError);
		// A call made while the page is hidden (a retry after that rejection) starts nothing.
		await expect(bridge.call((api) => api.echo('hidden'))).rejects.toBeInstanceOf(WorkerEndedError);
		expect(w.started).toHaveLength(1);
		// Shown again from the back/forward cache: the next call starts a worker.
		p.show();
		await expect(bridge.call((api) => api.echo('again'))).resolves.toBe('again');
		expect(w.started).toHaveLength(2);
		p.hide();
		expect(w.started[1].terminated).toBe(true);
	});

	it('close() ends the worker and starts none again: later calls reject at once', async () => {
		const w = fakeWorkers();
		const bridge = new WorkerBridge({ start: w.start });
		const inFlight = bridge.call((api, task) => api.work(task));
		bridge.close();
		await expect(inFlight).rejects.toBeInstanceOf(WorkerEndedError);
		expect(w.started[0].terminated).toBe(true);
		// A call retried after the rejection (as the sync runner retries a drain) starts nothing.
		await expect(bridge.call((api) => api.echo('late'))).rejects.toBeInstanceOf(WorkerEndedError);
		expect(w.started).toHaveLength(1);
		expect(bridge.started).toBe(false);
	});

	it('wraps callbacks with the proxy it was given', async () => {
		const w = fakeWorkers();
		const proxied: unknown[] = [];
		const bridge = new WorkerBridge({
			start: w.start,
			proxy: (fn) => {
				proxied.push(fn);
				return fn;
			}
		});
		await bridge.call((api, task) => {
			task.callback(() => 1);
			return api.echo('x');
		});
		// The heartbeat and the callback.
		expect(proxied).toHaveLength(2);
	});
});
