/**
 * Storage full: a QuotaExceededError (as the browser raises it, or wrapped in the transaction's
 * AbortError as Dexie reports it) pauses the job with a message saying how much space the rest
 * needs; nothing of the failed batch is written; Resume finishes exactly once space is back.
 */
import { describe, expect, it } from 'vitest';
import { transitionJob } from '$lib/db/jobs-repo';
import { runJob } from './runner';
import { interceptedDb, numberedCsv, queueJob } from '$support/test-db';

function quotaError(wrapped: boolean): Error {
	const quota = new DOMException('The quota has been exceeded.', 'QuotaExceededError');
	if (!wrapped) return quota;
	return Object.assign(new Error('Transaction aborted'), { name: 'AbortError', inner: quota });
}

function diskThatFills(afterWrites: number, wrapped: boolean) {
	const state = { writes: 0, full: true };
	const db = interceptedDb((name, t) => ({
		...t,
		mutate: (req) => {
			// Contacts are the bulk of the data: they hit the limit; small writes still fit.
			if (name === 'contacts' && state.full && ++state.writes > afterWrites) {
				return Promise.reject(quotaError(wrapped));
			}
			return t.mutate(req);
		}
	}));
	return { db, state };
}

describe('runner when storage is full', () => {
	for (const wrapped of [false, true]) {
		it(`pauses with the space needed, then resumes exactly (${wrapped ? 'AbortError wrapping it' : 'QuotaExceededError'})`, async () => {
			const { db, state } = diskThatFills(3, wrapped);
			const job = await queueJob(db, numberedCsv(1000), ['phone', 'first_name']);
			await db.jobs.update(job.id, { totalRows: 1000 });
			expect(await runJob(db, job.id, { batchSize: 100 })).toBe('paused');
			const paused = (await db.jobs.get(job.id))!;
			expect(paused.message).toMatch(
				/ran out of storage space.*Nothing was half-written.*needs about 1 MB more/
			);
			expect(paused.counts.processed).toBe(300);
			expect(await db.contacts.count()).toBe(300);
			expect(paused.checkpointRow).toBe(301);

			state.full = false;
			await transitionJob(db, job.id, 'running');
			expect(await runJob(db, job.id, { batchSize: 100 })).toBe('completed');
			expect((await db.jobs.get(job.id))!.counts).toMatchObject({ processed: 1000, created: 1000 });
			expect(await db.contacts.count()).toBe(1000);
		});
	}
});
