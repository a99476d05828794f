/**
 * Test support for the seeded fault-injection specs. Seeded fault injection: the runner over an IndexedDB whose reads and writes fail at random
 * points (a DBCore middleware throws; the batch's transaction aborts). After every fault the job is
 * resumed, as the supervisor would after a crash. Whatever the schedule, the end state — contacts,
 * counts and error rows — is exactly the state of a run without faults.
 */
import { expect } from 'vitest';
import type { CallaroDb } from '$lib/db/database';
import { transitionJob } from '$lib/db/jobs-repo';
import { IndexReader, putContacts } from '$lib/db/contact-index-repo';
import { runJob } from '$lib/jobs/runner';
import { seededRandom } from './seeded-random';
import { interceptedDb, queueJob } from './test-db';

/** Schedules in all; the specs split them in halves so that two test workers share them. */
export const FAULT_SCHEDULES = 1000;

const CSV = [
	'phone,first_name,email,tags,timezone',
	...Array.from({ length: 36 }, (_, i) => {
		const n = String(2000 + (i % 30)).padStart(4, '0'); // rows 32–37 repeat earlier phones
		if (i % 11 === 5) return `,NoPhone ${i},,,`;
		if (i % 13 === 7) return `12${i},Bad ${i},,,`;
		const email = i % 9 === 4 ? 'broken@' : `p${i}@example.com`;
		const tz = i % 10 === 3 ? 'Mars/Base' : 'US/Eastern';
		return `+1415555${n},Person ${i},${email},t${i % 4};shared,${tz}`;
	})
].join('\n');

function openDb(fault: () => boolean): CallaroDb {
	return interceptedDb((_, t) => ({
		...t,
		mutate: (req) => (fault() ? Promise.reject(new Error('injected write fault')) : t.mutate(req)),
		getMany: (req) => (fault() ? Promise.reject(new Error('injected read fault')) : t.getMany(req))
	}));
}

async function seedExisting(db: CallaroDb) {
	await putContacts(db, [
		{
			phone: '+14155552003',
			firstName: 'Old',
			tags: ['legacy'],
			custom: {},
			createdAt: 0,
			updatedAt: 0
		},
		{ phone: '+14155552010', lastName: 'Kept', tags: [], custom: {}, createdAt: 0, updatedAt: 0 }
	]);
}

async function endState(db: CallaroDb, jobId: string) {
	const job = (await db.jobs.get(jobId))!;
	// Job ids differ between databases: compare them as "this job".
	const mine = (id: string | undefined) => (id === jobId ? 'THIS JOB' : id);
	const contacts = (await db.contacts.orderBy(':id').toArray()).map((c) => ({
		...c,
		createdByJob: mine(c.createdByJob),
		lastJobId: mine(c.lastJobId)
	}));
	// The index read from the chunks describes exactly the stored contacts.
	const index = await new IndexReader(db).current();
	const indexed = Array.from(index.view({ kind: 'all' }, 'phone').slice(), (id) =>
		index.phoneOf(id)
	);
	expect(indexed).toEqual(contacts.map((c) => c.phone));
	const tagged = index.count({
		groups: [[{ field: 'tags', operator: 'has_tag', value: 'legacy' }]]
	});
	const errors = (await db.rowErrors.toArray()).filter((e) => e.jobId === jobId);
	return {
		status: job.status,
		counts: job.counts,
		contacts,
		tagged,
		errors: errors
			.map(({ row, kind, column, value, reason }) => ({ row, kind, column, value, reason }))
			.sort((a, b) => a.row - b.row || a.kind.localeCompare(b.kind)),
		undo: (await db.undoLog.toArray()).map((u) => u.phone).sort()
	};
}

async function runToEnd(db: CallaroDb, jobId: string) {
	for (let attempt = 0; attempt < 2000; attempt++) {
		try {
			const job = await db.jobs.get(jobId);
			if (job?.status === 'completed') return attempt;
			if (job?.status === 'paused') await transitionJob(db, jobId, 'running');
			await runJob(db, jobId, { batchSize: 4, now: () => 0 });
		} catch {
			// A fault outside a batch (reading the job, resuming it): try again, as a relaunch would.
		}
	}
	throw new Error('the job never completed');
}

/**
 * Runs the job under fault schedules `first`..`last` (each seed picks a fault rate and the points
 * that fail) and checks each end state against a run without faults.
 */
export async function checkFaultSchedules(first: number, last: number): Promise<void> {
	let faultsOn = false;
	const clean = openDb(() => false);
	await seedExisting(clean);
	const reference = await queueJob(clean, CSV, [
		'phone',
		'first_name',
		'email',
		'tags',
		'timezone'
	]);
	await runJob(clean, reference.id, { batchSize: 4, now: () => 0 });
	const expected = await endState(clean, reference.id);
	expect(expected.status).toBe('completed');
	expect(expected.counts.processed).toBe(36);
	await clean.delete();

	let totalFaults = 0;
	for (let seed = first; seed <= last; seed++) {
		const random = seededRandom(seed);
		// Each read and write fails with a rate of 5–25%. A batch is a dozen or more operations,
		// so a higher rate mostly repeats one batch hundreds of times (at 35%, one attempt in
		// several hundred gets through) without reaching a fault point a lower rate misses: 5–35%
		// took 4.4× as long for 2.8× the faults (40 schedules, 5,139 faults against 1,843).
		const p = 0.05 + random() * 0.2;
		let faults = 0;
		faultsOn = false;
		const db = openDb(() => {
			if (faultsOn && random() < p) {
				faults++;
				return true;
			}
			return false;
		});
		await seedExisting(db);
		const job = await queueJob(db, CSV, ['phone', 'first_name', 'email', 'tags', 'timezone']);
		faultsOn = true;
		await runToEnd(db, job.id);
		faultsOn = false;
		const got = await endState(db, job.id);
		expect(got, `seed ${seed}`).toEqual(expected);
		totalFaults += faults;
		await db.delete();
	}
	console.info(`schedules ${first}–${last}: ${totalFaults} injected faults, all exact`);
	expect(totalFaults).toBeGreaterThan(last - first + 1);
}
