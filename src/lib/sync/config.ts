/**
 * Sync settings and state, stored on the device (IndexedDB) and shared by every tab through
 * live queries. The token is kept here only: never logged, never put in a URL.
 */
import type { CallaroDb } from '$lib/db/database';

export interface SyncConfig {
	url: string;
	token: string;
	enabled: boolean;
}

export interface SyncState {
	/** A problem that needs a person (bad token, refused batches); cleared by a good drain. */
	lastError?: string;
	/** The last transient problem (network, 5xx), while retrying. */
	retrying?: string;
	retryAt?: number;
	attempt: number;
	lastSyncAt?: number;
}

const CONFIG = 'syncConfig';
const STATE = 'syncState';

export async function getSyncConfig(db: CallaroDb): Promise<SyncConfig> {
	const v = (await db.settings.get(CONFIG))?.value as Partial<SyncConfig> | undefined;
	return { url: v?.url ?? '', token: v?.token ?? '', enabled: v?.enabled ?? false };
}

/** Saves the sync settings; a URL must be http(s). */
export async function setSyncConfig(db: CallaroDb, config: SyncConfig): Promise<void> {
	const url = config.url.trim();
	if (url !== '') {
		let parsed: URL;
		try {
			parsed = new URL(url);
		} catch {
			throw new Error(
				`“${url}” is not a URL. Use the backend's address, e.g. http://localhost:8787.`
			);
		}
		if (parsed.protocol !== 'http:' && parsed.protocol !== 'https:') {
			throw new Error('The backend URL must start with http:// or https://.');
		}
	}
	await db.settings.put({
		key: CONFIG,
		value: { url, token: config.token.trim(), enabled: config.enabled }
	});
}

/** Whether sync can run: enabled, with a URL and a token. */
export function isConfigured(c: SyncConfig): boolean {
	return c.enabled && c.url !== '' && c.token !== '';
}

export async function getSyncState(db: CallaroDb): Promise<SyncState> {
	return ((await db.settings.get(STATE))?.value as SyncState | undefined) ?? { attempt: 0 };
}

export async function setSyncState(db: CallaroDb, state: SyncState): Promise<void> {
	await db.settings.put({ key: STATE, value: state });
}
