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

/**
 * Whether storage ran out: a QuotaExceededError anywhere in the chain of causes (Dexie wraps the
 * browser's error in the transaction's AbortError, sometimes more than once).
 */
export function isQuotaError(error: unknown): boolean {
	let e = error as
		{ name?: string; message?: string; inner?: unknown; cause?: unknown } | undefined;
	for (let depth = 0; e && typeof e === 'object' && depth < 6; depth++) {
		if (e.name === 'QuotaExceededError' || /quota/i.test(String(e.message ?? ''))) return true;
		e = (e.inner ?? e.cause) as typeof e;
	}
	return false;
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

/** A browser call that did not answer in time (WebKit's IndexedDB has been seen to stall). */
export class DeadlineError extends Error {
	override readonly name = 'DeadlineError';
}

/**
 * `promise`, or a `DeadlineError` with `message` after `ms`: a person never waits on a browser
 * call that does not answer. The call itself goes on; its late result is dropped.
 */
export function withDeadline<T>(promise: Promise<T>, ms: number, message: string): Promise<T> {
	let timer: ReturnType<typeof setTimeout> | undefined;
	const late = new Promise<never>((_, reject) => {
		timer = setTimeout(() => reject(new DeadlineError(message)), ms);
	});
	return Promise.race([promise, late]).finally(() => clearTimeout(timer));
}
