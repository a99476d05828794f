/**
 * Procedures written once for a synchronous database (better-sqlite3) and an asynchronous one
 * (node-postgres). A procedure is a generator: it hands each database call's result (a value or
 * a promise) to its driver with `yield* step(…)` and is resumed with what that result settles to.
 *
 * - `runSync` drives it within one synchronous call. A SQLite transaction therefore spans no
 *   await: nothing else runs on the store's one connection while it is open, and a SQLite store
 *   opens (migrates) synchronously.
 * - `runAsync` awaits each call, and throws a rejection into the procedure where the call was
 *   made, so its `try`/`catch` sees database errors as a synchronous one would.
 */

/** A database call's result: a value (SQLite) or a promise of it (PostgreSQL). */
export type Io<T> = T | Promise<T>;

/** A procedure (or part of one) that ends with a `T`. */
export type Steps<T> = Generator<unknown, T, unknown>;

/** The result of `io`, once the driver has it: `const rows = yield* step(db.read())`. */
export function* step<T>(io: Io<T>): Steps<T> {
	return (yield io) as T;
}

function isPromise(value: unknown): value is PromiseLike<unknown> {
	return typeof (value as PromiseLike<unknown> | null)?.then === 'function';
}

/** Runs `steps` to the end now; every call it makes must return a plain value. */
export function runSync<T>(steps: Steps<T>): T {
	let next = steps.next();
	while (!next.done) {
		if (isPromise(next.value))
			next = steps.throw(new TypeError('A synchronous procedure was handed a promise.'));
		else next = steps.next(next.value);
	}
	return next.value;
}

/** Runs `steps`, awaiting each call it makes in turn. */
export async function runAsync<T>(steps: Steps<T>): Promise<T> {
	let next = steps.next();
	while (!next.done) {
		let settled: unknown;
		try {
			settled = await next.value;
		} catch (error) {
			next = steps.throw(error);
			continue;
		}
		next = steps.next(settled);
	}
	return next.value;
}
