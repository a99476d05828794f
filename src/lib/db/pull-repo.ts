/**
 * Changes pulled from the backend, written through the same local storage path as every other
 * change to contacts: the contacts, their index chunk (so search, segments and the list see them
 * at once) and the key epoch (so a running import trusts no stale key snapshot), in one
 * transaction with the pull cursor. A page is applied exactly once: a reload mid-pull resumes
 * from the cursor of the last page that committed. Pulled writes queue nothing in the outbox, so
 * they are never pushed back.
 */
import type { ChangesPage } from '$lib/protocol/sync';
import { planPull, type HeldLocally, type PullPlan } from '$lib/domain/pull-merge';
import { mergeSkipped, type FeedRestart, type SkippedChange } from '$lib/domain/sync-config';
import type { CallaroDb, OutboxRecord } from './database';
import { contactTables, writeContactChange } from './contact-writes';
import { getSyncState, setSyncState } from './sync-config-repo';
import {
	readKeyEpoch,
	readTombstoneEpoch,
	snapshotKeys,
	snapshotTombstoneKeys,
	type KeySnapshot
} from './contact-keys';

const CURSOR = 'pullCursor';

interface CursorRecord {
	/** The backend the cursor belongs to: another backend's feed starts again from 0. */
	url: string;
	cursor: number;
	/** The feed the cursor is a position in (a backend with feed identities says it). */
	feedId?: string;
	/**
	 * The horizon `gen` of the page the cursor came from (protocol/sync.ts, horizonSchema), sent
	 * back with the cursor so the backend knows whether tombstones were removed since. Written in
	 * the page's transaction, with the cursor it belongs to.
	 */
	gen?: number;
}

async function readCursorRecord(db: CallaroDb): Promise<CursorRecord | undefined> {
	return (await db.settings.get(CURSOR))?.value as CursorRecord | undefined;
}

/** The feed this device's cursor for `url` belongs to, when the backend named one. */
export async function readFeedId(db: CallaroDb, url: string): Promise<string | undefined> {
	const saved = await readCursorRecord(db);
	return saved?.url === url ? saved.feedId : undefined;
}

/** Notes the feed of `url` the cursor belongs to (the first time a backend names it). */
export function noteFeedId(db: CallaroDb, url: string, feedId: string): Promise<void> {
	return db.transaction('rw', db.settings, async () => {
		const saved = await readCursorRecord(db);
		const kept = saved?.url === url ? saved : { cursor: 0 };
		await db.settings.put({ key: CURSOR, value: { ...kept, url, feedId } });
	});
}

/** Phones per resend record: about an import batch's worth, so parts stay small. */
const RESYNC_CHUNK = 2000;

/**
 * The backend's feed was replaced (a restore, a new database), or this device's cursor is behind
 * the feed's horizon (`feedId` then the cursor's own, if any): the cursor means nothing there.
 * In one transaction the cursor starts again from 0 in the new feed, and everything this device
 * holds (every contact, pulled ones included, and every tombstone with its time) is queued to be
 * sent again, so the backend gets back what it lost; the server's last-writer rule drops what it
 * already has. The sync state notes it (`feedRestarted`: how many contacts and deletes were
 * queued, and `why`) for Settings to say.
 */
export function restartFeed(
	db: CallaroDb,
	url: string,
	feedId: string | undefined,
	at: number,
	why: Pick<FeedRestart, 'reason' | 'message'> = {}
): Promise<void> {
	return db.transaction('rw', [db.settings, db.contacts, db.tombstones, db.outbox], async () => {
		await db.settings.put({ key: CURSOR, value: { url, cursor: 0, feedId } });
		const phones = (await db.contacts.toCollection().primaryKeys()) as string[];
		const tombstones = await db.tombstones.toArray();
		// Keys unique to this device's resend: another device resends to the same feed too, and a
		// key the server has seen with another body is refused.
		const run = crypto.randomUUID();
		let n = 0;
		const record = (part: Partial<OutboxRecord>): OutboxRecord => ({
			id: `resync:${run}:${n++}`,
			jobId: 'resync',
			phones: [],
			status: 'pending',
			attempts: 0,
			createdAt: at,
			resync: true,
			...part
		});
		const records: OutboxRecord[] = [];
		for (let i = 0; i < phones.length; i += RESYNC_CHUNK)
			records.push(record({ phones: phones.slice(i, i + RESYNC_CHUNK) }));
		for (let i = 0; i < tombstones.length; i += RESYNC_CHUNK) {
			const page = tombstones.slice(i, i + RESYNC_CHUNK);
			records.push(record({ deletes: page.map((t) => ({ phone: t.phone, deletedAt: t.at })) }));
		}
		await db.outbox.bulkAdd(records);
		// Told with the restart itself: a drain stopped after it (a failed request, the page
		// reloaded) finds the feed known by the next drain and would never say it again.
		await setSyncState(db, {
			...(await getSyncState(db)),
			feedRestarted: { at, contacts: phones.length, deletes: tombstones.length, ...why }
		});
	});
}

/** Where the pull from `url` stands (0: from the start). */
export async function readPullCursor(db: CallaroDb, url: string): Promise<number> {
	return (await readPullPosition(db, url)).cursor;
}

/** Where the pull from `url` stands, with the horizon `gen` the cursor was read at. */
export async function readPullPosition(
	db: CallaroDb,
	url: string
): Promise<{ cursor: number; gen?: number }> {
	const saved = await readCursorRecord(db);
	return saved?.url === url ? { cursor: saved.cursor, gen: saved.gen } : { cursor: 0 };
}

const SKIPPED = 'skippedChanges';

/** The settings keys of a pull (cursor and feed, skipped changes): a fresh start forgets them. */
export const PULL_KEYS: readonly string[] = [CURSOR, SKIPPED];

/** The feed's changes this device could not read (the latest kept, and how many in all). */
export async function readSkippedChanges(
	db: CallaroDb
): Promise<{ count: number; changes: SkippedChange[] }> {
	return (
		((await db.settings.get(SKIPPED))?.value as
			{ count: number; changes: SkippedChange[] } | undefined) ?? { count: 0, changes: [] }
	);
}

/**
 * Which phones this device holds a contact or a tombstone for, known for a pull of many pages
 * without asking IndexedDB phone by phone: a `bulkGet` of a page's 1,000 phones in contacts and
 * tombstones took about 150 ms in Chromium, nearly half of applying the page, and on a first pull
 * always answers "none". The same rule as an import's key snapshot (contact-keys.ts): each table
 * is trusted while its epoch is the one read with it (plus the pull's own bumps); a snapshot some
 * other writer has moved past is dropped, and its phones are asked of IndexedDB again. A phone
 * the snapshot holds but IndexedDB no longer does (deleted since) costs only a lookup.
 */
export interface PullKeys {
	contacts: KeySnapshot | null;
	tombstones: KeySnapshot | null;
}

/** Reads both tables' keys, for a pull with pages still to come. */
export async function snapshotPullKeys(db: CallaroDb): Promise<PullKeys> {
	const [contacts, tombstones] = await Promise.all([snapshotKeys(db), snapshotTombstoneKeys(db)]);
	return { contacts, tombstones };
}

/** The phones of `phones` a snapshot may hold (all of them without a snapshot). */
function mayHold(snapshot: KeySnapshot | null, phones: readonly string[]): string[] {
	if (!snapshot) return [...phones];
	return phones.filter((p) => snapshot.phones.has(p));
}

/**
 * Applies a page pulled from `url` after cursor `since`, and moves the cursor to the page's
 * `next`, in one transaction. Returns null, changing nothing, when the cursor is no longer
 * `since` (another tab applied the page first). `keys`, when given, spares the lookups of
 * phones it knows are not held, and is kept up to date with what the page wrote.
 */
export async function applyPulledPage(
	db: CallaroDb,
	url: string,
	since: number,
	page: ChangesPage,
	ownDevice: string,
	skipped: readonly SkippedChange[] = [],
	keys?: PullKeys
): Promise<PullPlan | null> {
	let bumped: { keys?: number; tombstones?: number } = {};
	let trusted: PullKeys = { contacts: null, tombstones: null };
	const plan = await db.transaction('rw', contactTables(db), async () => {
		const saved = await readCursorRecord(db);
		if ((saved?.url === url ? saved.cursor : 0) !== since) return null;
		// Unreadable changes are listed with the page that skipped them; a phone read now
		// replaces its earlier skipped change.
		const before = await readSkippedChanges(db);
		if (skipped.length > 0 || before.changes.length > 0) {
			const read = new Set(page.changes.map((c) => c.phone));
			const after = mergeSkipped(before, read, skipped);
			if (after.count === 0) await db.settings.delete(SKIPPED);
			else await db.settings.put({ key: SKIPPED, value: after });
		}
		const phones = [...new Set(page.changes.map((c) => c.phone))];
		if (keys) {
			const [keyEpoch, tombstoneEpoch] = await Promise.all([
				readKeyEpoch(db),
				readTombstoneEpoch(db)
			]);
			// Another writer added a contact or a tombstone since the snapshot: ask IndexedDB.
			if (keys.contacts?.epoch !== keyEpoch) keys.contacts = null;
			if (keys.tombstones?.epoch !== tombstoneEpoch) keys.tombstones = null;
			trusted = { ...keys };
		}
		const contactPhones = mayHold(trusted.contacts, phones);
		const tombstonePhones = mayHold(trusted.tombstones, phones);
		const [contacts, tombstones] = await Promise.all([
			contactPhones.length > 0 ? db.contacts.bulkGet(contactPhones) : [],
			tombstonePhones.length > 0 ? db.tombstones.bulkGet(tombstonePhones) : []
		]);
		const held = new Map<string, HeldLocally>();
		for (const phone of phones) held.set(phone, {});
		contacts.forEach((c) => c && held.set(c.phone, { ...held.get(c.phone), contact: c }));
		tombstones.forEach((t) => t && held.set(t.phone, { ...held.get(t.phone), tombstone: t }));
		const plan = planPull(page.changes, held, ownDevice);
		// The device's clock moves past every pulled version (`at`), so its next change of any of
		// these contacts is newer than what it saw (a Lamport clock over the devices' clocks).
		// Pulled writes queue nothing in the outbox (no `sync`), so they are never pushed back.
		bumped = await writeContactChange(db, {
			puts: plan.puts,
			deletes: plan.deletes,
			tombstones: plan.tombstones,
			clearTombstones: plan.clearTombstones,
			newKeys: plan.newKeys,
			at: plan.latestAt
		});
		const feedId = saved?.url === url ? saved.feedId : undefined;
		// A page of another feed than the cursor's (the backend was replaced mid-pull) is not
		// applied: the next drain sees the new feed and starts over from it.
		if (feedId && page.feedId && page.feedId !== feedId)
			throw new Error('the backend’s change feed was replaced during the pull; it starts over');
		await db.settings.put({
			key: CURSOR,
			value: { url, cursor: page.next, feedId: feedId ?? page.feedId, gen: page.horizon?.gen }
		});
		return plan;
	});
	// Only once the page committed: the snapshots learn what it wrote and move to its epochs (an
	// aborted page leaves them at theirs, and the next page then distrusts them: slower, exact).
	if (plan && keys) {
		if (trusted.contacts && keys.contacts === trusted.contacts) {
			for (const c of plan.puts) trusted.contacts.phones.setIfAbsent(c.phone, 0);
			if (bumped.keys !== undefined) trusted.contacts.epoch = bumped.keys;
		}
		if (trusted.tombstones && keys.tombstones === trusted.tombstones) {
			for (const t of plan.tombstones) trusted.tombstones.phones.setIfAbsent(t.phone, 0);
			if (bumped.tombstones !== undefined) trusted.tombstones.epoch = bumped.tombstones;
		}
	}
	return plan;
}
