import { describe, expect, it } from 'vitest';
import { canTransition, isFinished, isRunnable } from './job-state';

describe('job state machine', () => {
	it('allows the documented moves', () => {
		expect(canTransition('queued', 'running')).toBe(true);
		expect(canTransition('running', 'paused')).toBe(true);
		expect(canTransition('paused', 'running')).toBe(true);
		expect(canTransition('running', 'completed')).toBe(true);
		expect(canTransition('paused', 'cancelled')).toBe(true);
	});
	it('never moves a finished job', () => {
		for (const to of ['running', 'paused', 'queued'] as const) {
			expect(canTransition('completed', to)).toBe(false);
			expect(canTransition('cancelled', to)).toBe(false);
		}
		expect(canTransition('paused', 'completed')).toBe(false);
	});
	it('classifies statuses', () => {
		expect(isRunnable('running')).toBe(true);
		expect(isRunnable('paused')).toBe(false);
		expect(isFinished('failed')).toBe(true);
		expect(isFinished('paused')).toBe(false);
	});
});
