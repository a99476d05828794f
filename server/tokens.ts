/**
 * Tokens and ids. A token is 32 random bytes (base64url): too many to guess, so one SHA-256 of it
 * is all a store keeps, and looking that hash up is the comparison (no token, nor anything a
 * token can be recovered from, is ever stored). Ids are random too: a workspace's or member's id
 * says nothing about how many others exist.
 */
import { createHash, randomBytes, timingSafeEqual } from 'node:crypto';

/** A new bearer token: shown once, to whoever it is made for. */
export function newToken(): string {
	return randomBytes(32).toString('base64url');
}

/** What a store keeps of `token`: its SHA-256, hex. */
export function hashToken(token: string): string {
	return createHash('sha256').update(token).digest('hex');
}

/** A new id with `prefix` (`ws_`, `mem_`): 96 random bits. */
export function newId(prefix: string): string {
	return `${prefix}${randomBytes(12).toString('base64url')}`;
}

/**
 * A new change feed id: 16 random bytes, as 32 lowercase hex characters (the form schema.ts's
 * version 5 gives the workspaces it finds). Opaque to clients, which only compare it.
 */
export function newFeedId(): string {
	return randomBytes(16).toString('hex');
}

/** Whether `given` is `expected`, in time that does not depend on where they differ. */
export function sameToken(given: string, expected: string): boolean {
	const a = createHash('sha256').update(given).digest();
	const b = createHash('sha256').update(expected).digest();
	return timingSafeEqual(a, b);
}
