/**
 * Runs this tab's share of import jobs. Every tab watches for runnable jobs (queued or running)
 * and asks for a Web Lock per job; the tab that holds the lock runs the job in a worker of its
 * own, the others wait. When a tab closes (or crashes) its lock is released and a waiting tab
 * takes over; when the app is opened again, a job left `running` by a closed tab is resumed from
 * its checkpoint. The page never runs rows itself: it only follows the database.
 *
 * Watchdog: the runner beats after every slice it reads and every batch it commits. A run with no
 * beat for `watchdogMs` is stopped (its worker terminated, so nothing more is written) and the job
 * paused with a message, never left spinning.
 */
import { liveQuery } from 'dexie';
import type { CallaroDb } from '$lib/db/database';
import { transitionJob } from '$lib/db/jobs-repo';
import { isRunnable } from './job-state';

/** The slice of the worker the supervisor needs. */
export interface JobWorker {
	api: { runJob(jobId: string, onBeat?: () => void): Promise<unknown> };
	terminate(): void;
}

export interface SupervisorDeps {
	db: CallaroDb;
	startWorker: () => JobWorker;
	/** Wraps the heartbeat so the worker can call it (Comlink.proxy); identity in tests. */
	callback?: <F extends (...args: never[]) => unknown>(fn: F) => F;
	/** Web Locks; absent in some test environments (then this tab runs every job it sees). */
	locks?: Pick<LockManager, 'request'>;
	watchdogMs?: number;
}

export const WATCHDOG_MS = 60_000;

class Stalled extends Error {}

/** Starts watching; returns a function that stops watching and ends running workers. */
export function startJobSupervisor({
	db,
	startWorker,
	callback = (f) => f,
	locks,
	watchdogMs = WATCHDOG_MS
}: SupervisorDeps): () => void {
	const claimed = new Set<string>();
	const workers = new Set<JobWorker>();
	let stopped = false;

	const run = async (id: string) => {
		const job = await db.jobs.get(id);
		if (stopped || !job || !isRunnable(job.status)) return;
		const worker = startWorker();
		workers.add(worker);
		let lastBeat = Date.now();
		let timer: ReturnType<typeof setInterval> | undefined;
		const stalled = new Promise<never>((_, reject) => {
			timer = setInterval(
				() => {
					if (Date.now() - lastBeat > watchdogMs) reject(new Stalled());
				},
				Math.min(5000, watchdogMs / 4)
			);
		});
		try {
			await Promise.race([
				worker.api.runJob(
					id,
					callback(() => (lastBeat = Date.now()))
				),
				stalled
			]);
		} catch (error) {
			worker.terminate();
			const message =
				error instanceof Stalled
					? `The import made no progress for ${Math.round(watchdogMs / 1000)} seconds and was stopped. Press Resume to continue from the last saved row.`
					: `The import stopped unexpectedly (${error instanceof Error ? error.message : String(error)}). Press Resume to continue from the last saved row.`;
			await pauseWithRetry(id, message);
		} finally {
			clearInterval(timer);
			worker.terminate();
			workers.delete(worker);
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
				await new Promise((r) => setTimeout(r, Math.min(30_000, 1000 * 2 ** attempt)));
			}
		}
	};

	const claim = (id: string) => {
		if (claimed.has(id)) return;
		claimed.add(id);
		const work = locks ? locks.request(`callaro-job:${id}`, () => run(id)) : run(id);
		void Promise.resolve(work)
			.catch(() => undefined)
			.finally(() => claimed.delete(id));
	};

	const subscription = liveQuery(() =>
		db.jobs.where('status').anyOf('queued', 'running').primaryKeys()
	).subscribe({
		next: (ids) => ids.forEach((id) => claim(String(id))),
		error: () => undefined
	});

	return () => {
		stopped = true;
		subscription.unsubscribe();
		for (const w of workers) w.terminate();
		workers.clear();
	};
}
