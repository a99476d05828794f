/**
 * One page of the change feed, from its text to the device's storage: parsed and checked against
 * the protocol (readPage), then applied with the cursor (applyReadPage, db/pull-repo.ts). The
 * two are apart so that the engine can ask for the next page while this one is written. The app
 * runs both in its worker, so that reading and writing a page's contacts (structured clones into
 * and out of IndexedDB) never blocks the page; tests run them in process.
 */
import type { CallaroDb } from '$lib/db/database';
import { applyPulledPage, type PullKeys } from '$lib/db/pull-repo';
import { compactTombstones } from '$lib/db/horizon-repo';
import {
	changeSchema,
	changesEnvelopeSchema,
	describeIssues,
	type Change,
	type ChangesPage,
	type Horizon
} from '$lib/protocol/sync';
import type { SkippedChange } from '$lib/domain/sync-config';

/** What a page did, as the engine needs it for the next request and for progress. */
export interface PageOutcome {
	received: number;
	next: number;
	more: boolean;
	remaining?: number;
	/** The feed's horizon, when the backend has one. */
	horizon?: Horizon;
}

/** A page read and checked, not yet applied: what the next request needs is known already. */
export interface ReadPage {
	page: ChangesPage;
	skipped: SkippedChange[];
	received: number;
}

/**
 * Reads and checks the page `text` pulled after `since`; throws an Error whose message says what
 * is wrong with a page that cannot be used.
 */
export function readPage(text: string, since: number): ReadPage {
	let json: unknown;
	try {
		json = JSON.parse(text);
	} catch {
		throw new Error('the server sent changes that are not JSON');
	}
	const parsed = changesEnvelopeSchema.safeParse(json);
	if (!parsed.success)
		throw new Error(
			`the server sent changes this app cannot read (${describeIssues(parsed.error)})`
		);
	const envelope = parsed.data;
	// A feed whose cursor does not move would be read forever.
	if (envelope.more && envelope.next <= since)
		throw new Error(`the server's change feed did not move past ${since}`);
	const { changes, skipped } = readChanges(envelope.changes);
	return { page: { ...envelope, changes }, skipped, received: envelope.changes.length };
}

/**
 * Pages read one after another, as one: their changes in the feed's order, the last page's
 * cursor, horizon and count of what follows (each page starts where the one before it ended, and
 * all are of one feed).
 */
export function groupPages(reads: readonly ReadPage[]): ReadPage {
	if (reads.length === 1) return reads[0];
	const [first, last] = [reads[0], reads[reads.length - 1]];
	// Only a pull's first page counts what follows it; the pages after it in the group take
	// their changes off that count.
	const later = reads.slice(1).reduce((n, r) => n + r.received, 0);
	const remaining =
		first.page.remaining !== undefined ? first.page.remaining - later : last.page.remaining;
	return {
		page: { ...last.page, remaining, changes: reads.flatMap((r) => r.page.changes) },
		skipped: reads.flatMap((r) => r.skipped),
		received: reads.reduce((n, r) => n + r.received, 0)
	};
}

/**
 * Applies a page read from `url` after `since` (keys: the pull's snapshot of held phones, when it
 * has one). Returns null when another tab applied it first.
 */
export async function applyReadPage(
	db: CallaroDb,
	url: string,
	since: number,
	read: ReadPage,
	deviceId: string,
	keys?: PullKeys
): Promise<PageOutcome | null> {
	const { page, skipped } = read;
	const applied = await applyPulledPage(db, url, since, page, deviceId, skipped, keys);
	if (applied === null) return null;
	// Once a pull is done, tombstones older than the feed's history of deletes go (horizon-repo).
	if (!page.more && page.horizon) await compactTombstones(db, page.horizon.before);
	return {
		received: read.received,
		next: page.next,
		more: page.more,
		remaining: page.remaining,
		horizon: page.horizon
	};
}

/**
 * The changes of a page this app can read, and the ones it cannot: each with its phone (when the
 * change names one) and the reason, for Settings.
 */
export function readChanges(raw: readonly unknown[]): {
	changes: Change[];
	skipped: SkippedChange[];
} {
	const changes: Change[] = [];
	const skipped: SkippedChange[] = [];
	for (const item of raw) {
		const one = changeSchema.safeParse(item);
		if (one.success) {
			changes.push(one.data);
			continue;
		}
		const fields =
			typeof item === 'object' && item !== null ? (item as Record<string, unknown>) : {};
		skipped.push({
			phone: typeof fields.phone === 'string' ? fields.phone.slice(0, 40) : '',
			seq: typeof fields.seq === 'number' ? fields.seq : undefined,
			reason: describeIssues(one.error)
		});
	}
	return { changes, skipped };
}
