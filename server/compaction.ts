/**
 * When compaction runs (store.ts, bounded history): once at start and then every `everyMs`
 * (hourly by default), each run the store's `compact` at the clock's time. Runs never overlap in
 * one process (a run still going when the next is due skips it); several processes on one
 * PostgreSQL database may run at once, which the store makes safe.
 */
import type { CompactionReport, Store } from './store';

export const COMPACT_EVERY_MS = 60 * 60 * 1000;

export interface CompactionSchedule {
	/** Milliseconds between runs (default hourly). */
	everyMs?: number;
	/** The clock the cutoff is taken from (tests move it). */
	now?: () => number;
	/** Told each run's report. */
	onRun?: (report: CompactionReport) => void;
	/** Told a run's failure; the schedule goes on (the next run tries again). */
	onError?: (error: unknown) => void;
}

/**
 * Starts compacting `store` now and on schedule; returns a function that stops it and resolves
 * once a run in progress has ended (so the store can then be closed under no compaction).
 */
export function startCompaction(
	store: Store,
	schedule: CompactionSchedule = {}
): () => Promise<void> {
	const { everyMs = COMPACT_EVERY_MS, now = Date.now, onRun, onError } = schedule;
	let running: Promise<void> | undefined;
	const run = () => {
		if (running) return;
		// A failed run leaves the database as the last chunk that committed (each chunk is its own
		// transaction and keeps the horizon's invariants), so the next run simply goes on.
		running = store
			.compact(now())
			.then(onRun, (error: unknown) => onError?.(error))
			.finally(() => (running = undefined));
	};
	run();
	const timer = setInterval(run, everyMs);
	// The schedule alone never keeps the process alive.
	timer.unref?.();
	return async () => {
		clearInterval(timer);
		await running;
	};
}
/** TOMBSTONE_DAYS as a number of days, or an error message. */
export function parseTombstoneDays(value: string | undefined, fallback: number): number | string {
	if (value === undefined || value === '') return fallback;
	const days = Number(value);
	if (!Number.isFinite(days) || days <= 0)
		return `TOMBSTONE_DAYS must be a number of days above 0, not “${value}”.`;
	return days;
}
