/**
 * The app's one error convention: every failure a person should know about is turned into text by
 * `messageOf` and shown by `ErrorNotice.svelte` (inline, beside what failed) or, for failures with
 * no place of their own (a live query, a background action), by the app-wide notices in the layout.
 */

/** The text shown to people for an error of any kind. */
export function messageOf(error: unknown): string {
	if (isQuotaError(error)) {
		return 'The browser has no more storage for this site. Free some space, then try again.';
	}
	if (error instanceof Error) return error.message || error.name;
	if (typeof error === 'string') return error;
	return String(error);
}

/** A write refused because the origin's storage is full. */
export function isQuotaError(error: unknown): boolean {
	const name = (error as { name?: unknown } | null)?.name;
	const inner = (error as { inner?: { name?: unknown } } | null)?.inner?.name;
	return name === 'QuotaExceededError' || inner === 'QuotaExceededError';
}

/** The rejection of work the caller cancelled: expected, never shown as a failure. */
export function isAbort(error: unknown): boolean {
	return (error as { name?: unknown } | null)?.name === 'AbortError';
}

/** An `AbortError` for a cancelled signal (its reason, when it is one already). */
export function abortError(signal?: AbortSignal): Error {
	const reason: unknown = signal?.reason;
	if (reason instanceof Error && reason.name === 'AbortError') return reason;
	return new DOMException('The operation was cancelled.', 'AbortError');
}

/** A worker stopped by its watchdog: it made no progress for `ms`. */
export class WorkerStalledError extends Error {
	override readonly name = 'WorkerStalledError';
	constructor(readonly ms: number) {
		super(`It made no progress for ${Math.round(ms / 1000)} seconds and was stopped.`);
	}
}

/** A worker ended (the page left, or the app stopped it) while a call was in flight. */
export class WorkerEndedError extends Error {
	override readonly name = 'WorkerEndedError';
	constructor() {
		super('The background worker was stopped before it finished.');
	}
}
