/**
 * How a drain's requests fail, as the engine acts on them: try again later (network errors,
 * 408, 429, 5xx), the token refused (401), or a request this token may not make (403).
 */
export class RetryLater extends Error {
	constructor(
		message: string,
		public readonly afterMs?: number
	) {
		super(message);
	}
}

export class AuthRefused extends Error {}

/** A request the token may not make (a member defining a custom field): the server's reason. */
export class Forbidden extends Error {}
