/**
 * The job state machine: queued → running ⇄ paused → completed | failed | cancelled.
 * A paused job can also be cancelled; finished jobs do not move.
 */
import type { JobStatus } from './import-job';

const NEXT: Record<JobStatus, readonly JobStatus[]> = {
	queued: ['running', 'paused', 'cancelled', 'failed'],
	running: ['paused', 'completed', 'failed', 'cancelled'],
	paused: ['running', 'cancelled', 'failed'],
	completed: [],
	failed: [],
	cancelled: []
};

/** Whether a job may move from `from` to `to`. */
export function canTransition(from: JobStatus, to: JobStatus): boolean {
	return NEXT[from].includes(to);
}

/** Whether the job is still to run (a runner should pick it up). */
export function isRunnable(status: JobStatus): boolean {
	return status === 'queued' || status === 'running';
}

/** Whether the job reached an end state. */
export function isFinished(status: JobStatus): boolean {
	return NEXT[status].length === 0;
}
