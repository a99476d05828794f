/**
 * The contacts list's first screen (its total and first page in name order) as the worker last
 * answered it, so that a cold open shows it at once, before the worker has read the contact index
 * (a second or more at a million contacts). It is exact or unused: it carries the seq of the last
 * index chunk it reflects and how many chunks there were then, and every contact write appends a
 * chunk in its own transaction (a compaction rewrites them all), so a snapshot whose seq is no
 * longer the last one describes another state of the contacts and is ignored.
 */
import type { Contact } from '$lib/domain/contact';
import type { CallaroDb } from './database';
import { latestIndexSeq } from './contact-index-repo';

export const LIST_SNAPSHOT_KEY = 'listSnapshot';
/** Rows kept: one page of the list (VirtualList's page size), more than any screen shows. */
export const SNAPSHOT_ROWS = 100;

export interface ListSnapshot {
	/** The last index chunk's seq when the page was answered. */
	seq: number;
	/** How many index chunks there were then. */
	chunks: number;
	/** Every contact (the unfiltered list's length). */
	total: number;
	/** The first contacts in name order, up to SNAPSHOT_ROWS (all of them when fewer). */
	contacts: Contact[];
}

/** The snapshot, when it still describes the stored contacts; otherwise null. */
export function readListSnapshot(db: CallaroDb): Promise<ListSnapshot | null> {
	return db.transaction('r', db.settings, db.contactIndex, async () => {
		const value = (await db.settings.get(LIST_SNAPSHOT_KEY))?.value as
			Partial<ListSnapshot> | undefined;
		if (!value || !Array.isArray(value.contacts) || typeof value.seq !== 'number') return null;
		const [last, chunks] = await Promise.all([latestIndexSeq(db), db.contactIndex.count()]);
		return last === value.seq && chunks === value.chunks ? (value as ListSnapshot) : null;
	});
}

/**
 * Keeps the unfiltered list's first page as answered from the index at `seq`. Nothing is written
 * when a chunk was added since: that page may no longer be the first.
 */
export function saveListSnapshot(
	db: CallaroDb,
	seq: number,
	total: number,
	contacts: readonly Contact[]
): Promise<void> {
	return db.transaction('rw', db.settings, db.contactIndex, async () => {
		const [last, chunks] = await Promise.all([latestIndexSeq(db), db.contactIndex.count()]);
		if (last !== seq) return;
		const value: ListSnapshot = {
			seq,
			chunks,
			total,
			contacts: contacts.slice(0, SNAPSHOT_ROWS)
		};
		await db.settings.put({ key: LIST_SNAPSHOT_KEY, value });
	});
}
