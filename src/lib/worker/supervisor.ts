/**
 * Runs this tab's share of import jobs. Every tab watches for runnable jobs (queued or running)
 * and asks for a Web Lock per job; the tab that holds the lock runs the job in a worker of its
 * own, the others wait. When a tab closes (or crashes) its lock is released and a waiting tab
 * takes over; when the app is opened again, a job left `running` by a closed tab is resumed from
 * its checkpoint. The page never runs rows itself: it only follows the database.
 *
 * Watchdog: the runner beats after every slice it reads and every batch it commits. A run with no
 * beat for `watchdogMs` is stopped by its worker bridge (the worker terminated, so nothing more is
 * written) and the job paused with a message, never left spinning. Each job runs in a worker of
 * its own, so that stopping one never touches another job or the app's shared worker.
 */
import { liveQuery } from 'dexie';
import { m } from '$lib/paraglide/messages';
import { formatNumber } from '$lib/format';
import type { CallaroDb } from '$lib/db/database';
import { getJob, runnableJobIds, transitionJob } from '$lib/db/jobs-repo';
import { messageOf, WorkerStalledError } from '$lib/errors';
import { WorkerBridge, type WorkerHandle } from './bridge';
import { isRunnable } from '$lib/domain/job-state';

/** The slice of the worker API the supervisor needs. */
export interface JobApi {
	runJob(jobId: string, onBeat?: () => void): Promise<unknown>;
	cancel(taskId: string): unknown;
}

export interface SupervisorDeps {
	db: CallaroDb;
	startWorker: () => WorkerHandle<JobApi>;
	/** Wraps the heartbeat so the worker can call it (Comlink.proxy); identity in tests. */
	callback?: <F extends (...args: never[]) => unknown>(fn: F) => F;
	/** Web Locks; absent in some test environments (then this tab runs every job it sees). */
	locks?: Pick<LockManager, 'request'>;
	watchdogMs?: number;
	/** Failures with no job to record them on (watching the jobs table, taking a lock). */
	onError?: (error: unknown) => void;
	/** A run of `jobId` that ended by itself (finished, paused or cancelled), not by a failure. */
	onRunEnded?: (jobId: string) => void;
}

export const WATCHDOG_MS = 60_000;

/** Starts watching; returns a function that stops watching and ends running workers. */
export function startJobSupervisor({
	db,
	startWorker,
	callback = (f) => f,
	locks,
	watchdogMs = WATCHDOG_MS,
	onError = () => {},
	onRunEnded = () => {}
}: SupervisorDeps): () => void {
	const claimed = new Set<string>();
	const bridges = new Set<WorkerBridge<JobApi>>();
	let stopped = false;

	const run = async (id: string) => {
		const job = await getJob(db, id);
		if (stopped || !job || !isRunnable(job.status)) return;
		const bridge = new WorkerBridge({ start: startWorker, idleMs: Infinity, proxy: callback });
		bridges.add(bridge);
		try {
			await bridge.call((api, task) => api.runJob(id, task.beat), { watchdogMs });
			if (!stopped) onRunEnded(id);
		} catch (error) {
			const message =
				error instanceof WorkerStalledError
					? m.job_stalled({ seconds: formatNumber(Math.round(watchdogMs / 1000)) })
					: m.job_stopped({ reason: messageOf(error) });
			// Once stopped (the page is going away) nothing is recorded: the job stays runnable and
			// resumes from its checkpoint when the app opens again.
			if (!stopped) await pauseWithRetry(id, message);
		} finally {
			bridge.terminate();
			bridges.delete(bridge);
		}
	};

	/**
	 * Records the pause. With the disk full even this small write can fail: keep trying (the job
	 * stays claimed by this tab meanwhile, so no other tab starts it against a full disk).
	 */
	const pauseWithRetry = async (id: string, message: string) => {
		for (let attempt = 0; !stopped; attempt++) {
			try {
				await transitionJob(db, id, 'paused', message);
				return;
			} catch {
				// Not swallowed: this loop is the handling (wait, then write the pause again).
				await new Promise((r) => setTimeout(r, Math.min(30_000, 1000 * 2 ** attempt)));
			}
		}
	};

	const claim = (id: string) => {
		if (claimed.has(id)) return;
		claimed.add(id);
		const work = locks ? locks.request(`callaro-job:${id}`, () => run(id)) : run(id);
		void Promise.resolve(work)
			.catch(onError)
			.finally(() => claimed.delete(id));
	};

	const subscription = liveQuery(() => runnableJobIds(db)).subscribe({
		next: (ids) => ids.forEach((id) => claim(String(id))),
		error: onError
	});

	return () => {
		stopped = true;
		subscription.unsubscribe();
		for (const bridge of bridges) bridge.terminate();
		bridges.clear();
	};
}
