/**
 * Runs this tab's share of import jobs. Every tab watches for runnable jobs (queued or running)
 * and asks for a Web Lock per job; the tab that holds the lock runs the job in its worker, the
 * others wait. When a tab closes (or crashes) its lock is released and a waiting tab takes over;
 * when the app is opened again, a job left `running` by a closed tab is resumed from its
 * checkpoint. The page never runs rows itself: it only follows the database.
 */
import { liveQuery } from 'dexie';
import type { CallaroDb } from '$lib/db/database';
import { transitionJob } from '$lib/db/jobs-repo';
import { isRunnable } from './job-state';

/** The slice of the worker the supervisor needs. */
export interface JobWorker {
	api: { runJob(jobId: string): Promise<unknown> };
	terminate(): void;
}

export interface SupervisorDeps {
	db: CallaroDb;
	startWorker: () => JobWorker;
	/** Web Locks; absent in some test environments (then this tab runs every job it sees). */
	locks?: Pick<LockManager, 'request'>;
}

/** Starts watching; returns a function that stops watching and ends the worker. */
export function startJobSupervisor({ db, startWorker, locks }: SupervisorDeps): () => void {
	const claimed = new Set<string>();
	let worker: JobWorker | null = null;
	let running = 0;
	let stopped = false;

	const run = async (id: string) => {
		const job = await db.jobs.get(id);
		if (stopped || !job || !isRunnable(job.status)) return;
		worker ??= startWorker();
		running++;
		try {
			await worker.api.runJob(id);
		} catch (error) {
			const reason = error instanceof Error ? error.message : String(error);
			await transitionJob(
				db,
				id,
				'paused',
				`The import stopped unexpectedly (${reason}). Press Resume to continue from the last saved row.`
			);
		} finally {
			running--;
			if (running === 0 && worker) {
				worker.terminate();
				worker = null;
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
		worker?.terminate();
		worker = null;
	};
}
