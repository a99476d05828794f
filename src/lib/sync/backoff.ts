/**
 * Retry timing for sync: exponential backoff from 1 s doubling to 5 min, with full jitter on the
 * upper half (so many devices coming back online do not retry in step), and `Retry-After` honoured.
 */
export const BASE_DELAY_MS = 1000;
export const MAX_DELAY_MS = 5 * 60 * 1000;

/** Delay before retry number `attempt` (0-based). `random` is in [0, 1). */
export function backoffDelay(attempt: number, random: number): number {
	const ceiling = Math.min(MAX_DELAY_MS, BASE_DELAY_MS * 2 ** Math.min(attempt, 20));
	return Math.round(ceiling / 2 + (ceiling / 2) * random);
}

/** `Retry-After` (seconds or an HTTP date) in milliseconds from `now`, or undefined. */
export function retryAfterMs(header: string | null | undefined, now: number): number | undefined {
	if (!header) return undefined;
	const seconds = Number(header);
	if (Number.isFinite(seconds)) return Math.max(0, Math.min(MAX_DELAY_MS, seconds * 1000));
	const date = Date.parse(header);
	return Number.isNaN(date) ? undefined : Math.max(0, Math.min(MAX_DELAY_MS, date - now));
}

/** Whether an HTTP status is worth retrying (network errors, 408, 429 and 5xx). */
export function isRetryableStatus(status: number): boolean {
	return status === 408 || status === 429 || status >= 500;
}
