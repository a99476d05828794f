/**
 * Notices a database the browser deleted. Browsers evict a site's storage on their own: Safari
 * after 7 days without a visit (unless the app is on the Home Screen), any engine when the disk
 * runs low and the storage is not persistent. The app would then open on an empty history as if
 * nothing had happened.
 *
 * Each database gets an id in its settings, and a marker outside IndexedDB (localStorage, which
 * Chromium does not evict with IndexedDB) remembers it with the last visit and the sync backend's
 * URL (never the token). A database that has no id while the marker names one was deleted since.
 * Where the engine clears both together (Safari's 7-day rule), nothing is left to tell: Settings
 * says so beside the storage's persistence.
 */
import { m } from '$lib/paraglide/messages';
import { withDeadline } from '$lib/errors';
import type { CallaroDb } from './database';
import { getSyncConfig, setSyncConfig } from './sync-config-repo';

export const MARKER_KEY = 'callaro-import:store';
const STORE_ID = 'storeId';

/** The part of `localStorage` the marker needs (absent where storage is blocked). */
export interface KeyValue {
	getItem(key: string): string | null;
	setItem(key: string, value: string): void;
}

interface Marker {
	storeId: string;
	lastSeen: number;
	syncUrl?: string;
}

export interface EvictionReport {
	/** The last visit the deleted database saw. */
	lastSeen: number;
	/** The sync backend that holds the workspace, when sync was set up. */
	syncUrl?: string;
}

function readMarker(memory: KeyValue): Marker | null {
	try {
		const value = JSON.parse(memory.getItem(MARKER_KEY) ?? 'null') as Partial<Marker> | null;
		return value && typeof value.storeId === 'string' && typeof value.lastSeen === 'number'
			? (value as Marker)
			: null;
	} catch {
		// An unreadable marker tells nothing: it is replaced below.
		return null;
	}
}

/**
 * Checks this start against the marker and renews it. Returns what was lost when the database
 * was deleted since the last visit; the backend's URL is then put back in the sync settings
 * (the person enters the token to pull the workspace back).
 */
export async function checkEviction(
	db: CallaroDb,
	memory: KeyValue,
	now = Date.now(),
	newId: () => string = () => crypto.randomUUID()
): Promise<EvictionReport | null> {
	const marker = readMarker(memory);
	const stored = (await db.settings.get(STORE_ID))?.value;
	let syncUrl = (await getSyncConfig(db)).url || undefined;
	let report: EvictionReport | null = null;
	let storeId: string;
	if (typeof stored === 'string') {
		storeId = stored;
	} else {
		storeId = newId();
		await db.settings.put({ key: STORE_ID, value: storeId });
		if (marker) {
			report = { lastSeen: marker.lastSeen, syncUrl: marker.syncUrl };
			if (marker.syncUrl && !syncUrl) {
				await setSyncConfig(db, { url: marker.syncUrl, token: '', enabled: false });
				syncUrl = marker.syncUrl;
			}
		}
	}
	memory.setItem(MARKER_KEY, JSON.stringify({ storeId, lastSeen: now, syncUrl } satisfies Marker));
	return report;
}

/** How long this start's first read may take before the person is told storage does not answer. */
export const STORAGE_ANSWER_MS = 20_000;

/**
 * `checkEviction`, once every store has answered a read within `ms`: WebKit can leave a
 * transaction of a page it ended open for good, its stores locked until the browser quits
 * (database.ts), and then every read of this start would wait forever with nothing shown. The
 * person is told instead (`DeadlineError` with the stuck message). The open itself has no deadline:
 * an upgrade of a large database may take a while.
 */
export async function checkEvictionInTime(
	db: CallaroDb,
	memory: KeyValue,
	ms = STORAGE_ANSWER_MS
): Promise<EvictionReport | null> {
	await db.open();
	// One read over every store: a store locked by a transaction that never ends holds it back.
	let probe: { abort(): void } | undefined;
	const read = db.transaction('r', db.tables, (tx) => {
		probe = tx;
		return db.settings.get(STORE_ID);
	});
	try {
		await withDeadline(read, ms, m.notice_storage_stuck());
	} catch (error) {
		// Left waiting, the read would hold back every later write to any store (a transaction
		// waits for the earlier ones whose stores it shares): it ends here, and its abort is the
		// expected outcome, not a second failure.
		read.catch(() => undefined);
		try {
			probe?.abort();
		} catch {
			// It ended between the deadline and now: there is nothing left to hold anything back.
		}
		throw error;
	}
	return checkEviction(db, memory);
}

/** What the person reads about a deleted database. */
export function evictionMessage(report: EvictionReport, locale?: string): string {
	const when = new Date(report.lastSeen).toLocaleDateString(locale, { dateStyle: 'long' });
	const lost = m.storage_evicted({ when });
	const settings = m.nav_settings();
	return report.syncUrl
		? `${lost} ${m.storage_evicted_synced({ url: report.syncUrl, settings, sync: m.settings_sync(), enabled: m.sync_enabled() })}`
		: `${lost} ${m.storage_evicted_local({ storage: m.settings_storage(), settings })}`;
}
