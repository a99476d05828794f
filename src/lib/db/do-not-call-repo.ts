/**
 * The do-not-call list as this device keeps it: the sorted keys in one settings record (8 MB for
 * a million numbers: one write, one read, never a record per number), and a small record with its
 * size and a version that moves with every change, which readers check before reloading the list.
 */
import { DoNotCallSet } from '$lib/domain/do-not-call';
import type { CallaroDb } from './database';

const LIST_KEY = 'doNotCall';
const META_KEY = 'doNotCallMeta';
const SYNC_KEY = 'doNotCallSync';

/**
 * The list's sync with the workspace: what was added here and not yet sent (`pending`, sorted
 * keys), a clear made here and not yet sent, and where this device's copy stands in the
 * backend's list (`cursor`, a list sequence of the feed `feedId` at `url`).
 * Invariant: every change to the list made on this device updates this record in its
 * transaction, so nothing added or cleared here is left unsent.
 */
export interface DoNotCallSync {
	pending: Float64Array;
	clear: boolean;
	cursor: number;
	url?: string;
	feedId?: string;
}

const NO_SYNC: DoNotCallSync = { pending: new Float64Array(0), clear: false, cursor: 0 };

export async function readDoNotCallSync(db: CallaroDb): Promise<DoNotCallSync> {
	const value = (await db.settings.get(SYNC_KEY))?.value as Partial<DoNotCallSync> | undefined;
	if (!value || !(value.pending instanceof Float64Array)) return NO_SYNC;
	return {
		pending: value.pending,
		clear: value.clear === true,
		cursor: Number(value.cursor) || 0,
		url: value.url,
		feedId: value.feedId
	};
}

function writeSync(db: CallaroDb, sync: DoNotCallSync): Promise<string> {
	return db.settings.put({ key: SYNC_KEY, value: sync });
}

export interface DoNotCallMeta {
	count: number;
	/** Moves with every change to the list (0: never set). */
	version: number;
	updatedAt: number;
}

const NO_LIST: DoNotCallMeta = { count: 0, version: 0, updatedAt: 0 };

export async function getDoNotCallMeta(db: CallaroDb): Promise<DoNotCallMeta> {
	const value = (await db.settings.get(META_KEY))?.value as Partial<DoNotCallMeta> | undefined;
	return value && typeof value.version === 'number'
		? {
				count: Number(value.count) || 0,
				version: value.version,
				updatedAt: Number(value.updatedAt) || 0
			}
		: NO_LIST;
}

export async function readDoNotCall(
	db: CallaroDb
): Promise<{ set: DoNotCallSet; version: number }> {
	return db.transaction('r', db.settings, async () => {
		const meta = await getDoNotCallMeta(db);
		const keys = (await db.settings.get(LIST_KEY))?.value;
		const set = keys instanceof Float64Array ? DoNotCallSet.fromKeys(keys) : DoNotCallSet.EMPTY;
		return { set, version: meta.version };
	});
}

/** Replaces the stored list with `set` (the list and its meta in one transaction). */
export async function writeDoNotCall(
	db: CallaroDb,
	set: DoNotCallSet,
	now = Date.now()
): Promise<DoNotCallMeta> {
	return db.transaction('rw', db.settings, async () => {
		const before = await getDoNotCallMeta(db);
		const meta = { count: set.size, version: before.version + 1, updatedAt: now };
		await db.settings.put({ key: LIST_KEY, value: set.keys() });
		await db.settings.put({ key: META_KEY, value: meta });
		return meta;
	});
}

/** Adds `numbers` to the stored list (and to what is to be sent); returns the new meta and how many were new. */
export async function addToDoNotCall(
	db: CallaroDb,
	numbers: DoNotCallSet
): Promise<{ meta: DoNotCallMeta; added: number }> {
	return db.transaction('rw', db.settings, async () => {
		const [{ set }, sync] = await Promise.all([readDoNotCall(db), readDoNotCallSync(db)]);
		const meta = await writeDoNotCall(db, set.union(numbers));
		const pending = DoNotCallSet.fromKeys(sync.pending).union(numbers).keys();
		await writeSync(db, { ...sync, pending });
		return { meta, added: meta.count - set.size };
	});
}

/** Empties the list (and the workspace's, at the next sync: what was to be sent goes too). */
export function clearDoNotCall(db: CallaroDb): Promise<DoNotCallMeta> {
	return db.transaction('rw', db.settings, async () => {
		const sync = await readDoNotCallSync(db);
		await writeSync(db, { ...sync, pending: new Float64Array(0), clear: true });
		return writeDoNotCall(db, DoNotCallSet.EMPTY);
	});
}

/**
 * Forgets the list, and what was to be sent of it, when this device starts afresh with another
 * workspace (within the caller's transaction): one workspace's list is never sent to another's.
 */
export async function forgetDoNotCall(db: CallaroDb): Promise<void> {
	await db.settings.delete(SYNC_KEY);
	await writeDoNotCall(db, DoNotCallSet.EMPTY);
}

/** The clear made here was sent (or refused: then the backend's list comes back from 0). */
export function settleDoNotCallClear(db: CallaroDb, refused: boolean): Promise<void> {
	return db.transaction('rw', db.settings, async () => {
		const sync = await readDoNotCallSync(db);
		await writeSync(db, { ...sync, clear: false, cursor: refused ? 0 : sync.cursor });
	});
}

/** `keys` (sorted) were sent: they leave what is to be sent. */
export function settleDoNotCallSent(db: CallaroDb, keys: Float64Array): Promise<void> {
	return db.transaction('rw', db.settings, async () => {
		const sync = await readDoNotCallSync(db);
		const sent = DoNotCallSet.fromKeys(keys);
		const pending = sync.pending.filter((k) => !sent.hasKey(k));
		await writeSync(db, { ...sync, pending });
	});
}

/**
 * The backend at `url` holds a list of another feed than this device's cursor (another backend,
 * or the same one restored): the cursor starts again from 0, and everything on this device's
 * list is to be sent again, so the backend gets back what it lost (it keeps a number once).
 */
export function restartDoNotCallSync(db: CallaroDb, url: string, feedId?: string): Promise<void> {
	return db.transaction('rw', db.settings, async () => {
		const [{ set }, sync] = await Promise.all([readDoNotCall(db), readDoNotCallSync(db)]);
		const pending = DoNotCallSet.fromKeys(sync.pending).union(set).keys();
		await writeSync(db, { pending, clear: false, cursor: 0, url, feedId });
	});
}

/**
 * Applies what a pull from the backend's list read after `since` (`replace`: the list was
 * cleared after it, or the pull began at 0, so this device's copy is the backend's list plus
 * what is still to be sent), and moves the cursor to `next`, in one transaction. Returns null,
 * changing nothing, when the cursor is no longer `since` (another tab pulled first).
 */
export function applyPulledDoNotCall(
	db: CallaroDb,
	since: number,
	pulled: { read: DoNotCallSet; replace: boolean; next: number }
): Promise<DoNotCallMeta | null> {
	return db.transaction('rw', db.settings, async () => {
		const [{ set }, sync, before] = await Promise.all([
			readDoNotCall(db),
			readDoNotCallSync(db),
			getDoNotCallMeta(db)
		]);
		if (sync.cursor !== since) return null;
		const read = pulled.read;
		const base = pulled.replace ? DoNotCallSet.fromKeys(sync.pending) : set;
		const after = base.union(read);
		await writeSync(db, { ...sync, cursor: pulled.next });
		const same = after.size === set.size && (pulled.replace ? sameKeys(after, set) : true);
		return same ? before : writeDoNotCall(db, after);
	});
}

function sameKeys(a: DoNotCallSet, b: DoNotCallSet): boolean {
	const [x, y] = [a.keys(), b.keys()];
	return x.length === y.length && x.every((k, i) => k === y[i]);
}

/**
 * The list as a reader in the worker holds it: read once, and again only when its version moved
 * (another tab or a sync changed it). Checking costs one small record.
 */
export class DoNotCallReader {
	private held: { set: DoNotCallSet; version: number } | null = null;
	constructor(private readonly db: CallaroDb) {}

	async current(): Promise<DoNotCallSet> {
		const { version } = await getDoNotCallMeta(this.db);
		if (!this.held || this.held.version !== version) this.held = await readDoNotCall(this.db);
		return this.held.set;
	}
}
