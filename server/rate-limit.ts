/**
 * Per-token rate limits: a token bucket per token, in this process's memory. A bucket holds up
 * to `burst` requests and refills at `perSecond`; a request takes one, and a request that finds
 * the bucket empty is refused (not counted) with the seconds until one is back (`Retry-After`).
 *
 * Invariants:
 * - A bucket is one token's: one token's burst never takes from another's, whatever their
 *   workspaces.
 * - Keys are token hashes (tokens.ts), so the limiter holds no token.
 * - Memory stays bounded by the tokens seen recently: a bucket that has refilled to full is the
 *   same as no bucket, so such buckets are dropped, at most once per `SWEEP_MS`.
 * - Several server processes each keep their own buckets: a token's limit is per process.
 */

/** A limit: a bucket's size and its refill rate. */
export interface RateLimit {
	/** Requests per second, sustained. */
	perSecond: number;
	/** Requests at once, from a full bucket. */
	burst: number;
}

/** The server's default: generous for a device syncing, and a cap on any one token's flood. */
export const DEFAULT_RATE_LIMIT: RateLimit = { perSecond: 50, burst: 100 };

/** How often full buckets are dropped. */
const SWEEP_MS = 10_000;

/** The answer for one request: allowed, or refused with the whole seconds to wait. */
export type RateDecision = { allowed: true } | { allowed: false; retryAfterSeconds: number };

export interface RateLimiter {
	/** Takes one request from `key`'s bucket, if it has one. */
	take(key: string): RateDecision;
	/** How many buckets are held (for tests). */
	size(): number;
}

/** A limiter for `limit`; `now` (milliseconds) is the clock, replaceable in tests. */
export function createRateLimiter(
	limit: RateLimit,
	now: () => number = () => performance.now()
): RateLimiter {
	if (!(limit.perSecond > 0) || !(limit.burst >= 1))
		throw new RangeError('A rate limit needs perSecond > 0 and burst >= 1.');
	const buckets = new Map<string, { tokens: number; at: number }>();
	let swept = now();
	const refilled = (bucket: { tokens: number; at: number }, t: number) =>
		Math.min(limit.burst, bucket.tokens + ((t - bucket.at) / 1000) * limit.perSecond);
	return {
		take(key) {
			const t = now();
			if (t - swept > SWEEP_MS) {
				swept = t;
				for (const [k, bucket] of buckets)
					if (refilled(bucket, t) >= limit.burst) buckets.delete(k);
			}
			const bucket = buckets.get(key);
			const tokens = bucket ? refilled(bucket, t) : limit.burst;
			if (tokens < 1) {
				if (bucket) Object.assign(bucket, { tokens, at: t });
				return {
					allowed: false,
					retryAfterSeconds: Math.max(1, Math.ceil((1 - tokens) / limit.perSecond))
				};
			}
			if (bucket) Object.assign(bucket, { tokens: tokens - 1, at: t });
			else buckets.set(key, { tokens: tokens - 1, at: t });
			return { allowed: true };
		},
		size: () => buckets.size
	};
}
