/**
 * The do-not-call list as this device keeps it: the sorted keys in one settings record (8 MB for
 * a million numbers: one write, one read, never a record per number), and a small record with its
 * size and a version that moves with every change, which readers check before reloading the list.
 */
import { DoNotCallSet } from '$lib/domain/do-not-call';
import type { CallaroDb } from './database';

const LIST_KEY = 'doNotCall';
const META_KEY = 'doNotCallMeta';

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

/** Adds `numbers` to the stored list; returns the new meta and how many were new. */
export async function addToDoNotCall(
	db: CallaroDb,
	numbers: DoNotCallSet
): Promise<{ meta: DoNotCallMeta; added: number }> {
	return db.transaction('rw', db.settings, async () => {
		const { set } = await readDoNotCall(db);
		const meta = await writeDoNotCall(db, set.union(numbers));
		return { meta, added: meta.count - set.size };
	});
}

/** Empties the list. */
export function clearDoNotCall(db: CallaroDb): Promise<DoNotCallMeta> {
	return writeDoNotCall(db, DoNotCallSet.EMPTY);
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
