/**
 * One page of the change feed, from its text to the device's storage: parsed, checked against the
 * protocol and applied with the cursor (db/pull-repo.ts). The app runs this in its worker, so
 * that reading and writing a page's contacts (structured clones into and out of IndexedDB, about
 * 100 ms a page of 1,000) never blocks the page; tests run it in process.
 */
import type { CallaroDb } from '$lib/db/database';
import { applyPulledPage } from '$lib/db/pull-repo';
import { compactTombstones } from '$lib/db/horizon-repo';
import {
	changeSchema,
	changesEnvelopeSchema,
	describeIssues,
	type Change,
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

/** Applies a page; signature shared by the in-process version and the worker's. */
export type PageApplier = (
	url: string,
	since: number,
	text: string,
	deviceId: string
) => Promise<PageOutcome | null>;

/**
 * Applies the page `text` pulled from `url` after `since`. Returns null when another tab applied
 * it first; throws an Error whose message says what is wrong with a page that cannot be used.
 */
export async function applyPageText(
	db: CallaroDb,
	url: string,
	since: number,
	text: string,
	deviceId: string
): Promise<PageOutcome | null> {
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
	const page = { ...envelope, changes };
	const applied = await applyPulledPage(db, url, since, page, deviceId, skipped);
	if (applied === null) return null;
	// Once a pull is done, tombstones older than the feed's history of deletes go (horizon-repo).
	if (!page.more && page.horizon) await compactTombstones(db, page.horizon.before);
	return {
		received: envelope.changes.length,
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
