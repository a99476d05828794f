import { describe, expect, it } from 'vitest';
import { backoffDelay, isRetryableStatus, MAX_DELAY_MS, retryAfterMs } from './backoff';

describe('backoff', () => {
	it('doubles from 1 s up to 5 min, jittered in the upper half', () => {
		expect(backoffDelay(0, 0)).toBe(500);
		expect(backoffDelay(0, 0.999)).toBeLessThanOrEqual(1000);
		expect(backoffDelay(3, 0.5)).toBe(6000);
		expect(backoffDelay(30, 0.999)).toBeLessThanOrEqual(MAX_DELAY_MS);
		expect(backoffDelay(30, 0)).toBe(MAX_DELAY_MS / 2);
	});
	it('reads Retry-After as seconds or a date', () => {
		expect(retryAfterMs('7', 0)).toBe(7000);
		expect(retryAfterMs(new Date(60_000).toUTCString(), 0)).toBe(60_000);
		expect(retryAfterMs('soon', 0)).toBeUndefined();
		expect(retryAfterMs(null, 0)).toBeUndefined();
	});
	it('retries 408, 429 and 5xx only', () => {
		expect([408, 429, 500, 503].every(isRetryableStatus)).toBe(true);
		expect([400, 401, 404, 413, 422].some(isRetryableStatus)).toBe(false);
	});
});
