import { describe, expect, it } from 'vitest';
import {
	abortError,
	DeadlineError,
	isAbort,
	isQuotaError,
	messageOf,
	withDeadline,
	WorkerStalledError
} from './errors';

describe('messageOf', () => {
	it('gives an Error its message, a string itself, anything else its string', () => {
		expect(messageOf(new Error('bad row'))).toBe('bad row');
		expect(messageOf('offline')).toBe('offline');
		expect(messageOf(42)).toBe('42');
		expect(messageOf(new TypeError(''))).toBe('TypeError');
	});

	it('explains a full disk, also when Dexie wraps the browser error', () => {
		const quota = new DOMException('x', 'QuotaExceededError');
		expect(isQuotaError(quota)).toBe(true);
		expect(isQuotaError({ name: 'AbortError', inner: quota })).toBe(true);
		expect(messageOf(quota)).toMatch(/no more storage/);
	});

	it('names a stalled worker with its seconds', () => {
		expect(messageOf(new WorkerStalledError(30_000))).toMatch(/no progress for 30 seconds/);
	});
});

describe('abortError', () => {
	it('is an AbortError, the signal’s own reason when it is one', () => {
		expect(isAbort(abortError())).toBe(true);
		const signal = AbortSignal.abort();
		expect(abortError(signal)).toBe(signal.reason);
		expect(isAbort(new Error('x'))).toBe(false);
	});
});

describe('withDeadline', () => {
	it('answers with the call when it answers in time, else with a DeadlineError', async () => {
		await expect(withDeadline(Promise.resolve(7), 50, 'late')).resolves.toBe(7);
		const never = new Promise<number>(() => {});
		const late = withDeadline(never, 20, 'the storage did not answer');
		await expect(late).rejects.toBeInstanceOf(DeadlineError);
		await expect(late).rejects.toThrow('the storage did not answer');
		await expect(withDeadline(Promise.reject(new Error('refused')), 50, 'late')).rejects.toThrow(
			'refused'
		);
	});
});
