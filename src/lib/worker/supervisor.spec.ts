import { describe, expect, it } from 'vitest';
import { runJob } from '$lib/jobs/runner';
import { startJobSupervisor } from './supervisor';
import { freshDb, numberedCsv, queueJob } from '$support/test-db';

async function until(check: () => Promise<boolean>, ms = 5000) {
	const end = Date.now() + ms;
	while (Date.now() < end) {
		if (await check()) return;
		await new Promise((r) => setTimeout(r, 10));
	}
	throw new Error('timed out');
}

describe('startJobSupervisor', () => {
	it('runs a queued job and terminates its worker when done', async () => {
		const db = freshDb();
		let terminated = 0;
		const ended: string[] = [];
		const stop = startJobSupervisor({
			db,
			startWorker: () => ({
				api: { cancel: () => {}, runJob: (id) => runJob(db, id) },
				terminate: () => terminated++
			}),
			onRunEnded: (id) => ended.push(id)
		});
		const job = await queueJob(db, numberedCsv(25), ['phone', 'first_name']);
		await until(async () => (await db.jobs.get(job.id))?.status === 'completed');
		await until(async () => terminated === 1);
		expect(await db.contacts.count()).toBe(25);
		// Told once the run ended by itself (the page then keeps the list's first page).
		expect(ended).toEqual([job.id]);
		stop();
	});

	it('stops a run that makes no progress and pauses the job with a message', async () => {
		const db = freshDb();
		const job = await queueJob(db, numberedCsv(5), ['phone', 'first_name']);
		let terminated = 0;
		const stop = startJobSupervisor({
			db,
			watchdogMs: 200,
			startWorker: () => ({
				api: { cancel: () => {}, runJob: () => new Promise(() => {}) },
				terminate: () => terminated++
			})
		});
		await until(async () => (await db.jobs.get(job.id))?.status === 'paused');
		expect((await db.jobs.get(job.id))!.message).toMatch(/no progress.*Resume/);
		expect(terminated).toBeGreaterThan(0);
		stop();
	});

	it('pauses a job whose worker died, with a message', async () => {
		const db = freshDb();
		const job = await queueJob(db, numberedCsv(5), ['phone', 'first_name']);
		await db.jobs.update(job.id, { status: 'running' });
		const stop = startJobSupervisor({
			db,
			startWorker: () => ({
				api: { cancel: () => {}, runJob: () => Promise.reject(new Error('worker crashed')) },
				terminate: () => {}
			}),
			onRunEnded: () => {
				throw new Error('a failed run is not one that ended by itself');
			}
		});
		await until(async () => (await db.jobs.get(job.id))?.status === 'paused');
		expect((await db.jobs.get(job.id))!.message).toMatch(/worker crashed.*Resume/);
		stop();
	});
});
