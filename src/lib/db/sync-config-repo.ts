/**
 * Sync settings and state, stored on the device (the settings table) and shared by every tab
 * through live queries. The token is kept here only: never logged, never put in a URL.
 */
import type { CallaroDb } from './database';
import { backendUrlProblem, type SyncConfig, type SyncState } from '$lib/domain/sync-config';

const CONFIG = 'syncConfig';
const STATE = 'syncState';

export async function getSyncConfig(db: CallaroDb): Promise<SyncConfig> {
	const v = (await db.settings.get(CONFIG))?.value as Partial<SyncConfig> | undefined;
	return { url: v?.url ?? '', token: v?.token ?? '', enabled: v?.enabled ?? false };
}

/** Saves the sync settings; the URL must pass `backendUrlProblem`. */
export async function setSyncConfig(db: CallaroDb, config: SyncConfig): Promise<void> {
	const url = config.url.trim();
	const problem = url === '' ? null : backendUrlProblem(url);
	if (problem) throw new Error(problem);
	await db.settings.put({
		key: CONFIG,
		value: { url, token: config.token.trim(), enabled: config.enabled }
	});
}

/** Forgets the sync state (a fresh start with another workspace); call inside a transaction. */
export function clearSyncState(db: CallaroDb): Promise<void> {
	return db.settings.delete(STATE);
}

export async function getSyncState(db: CallaroDb): Promise<SyncState> {
	return ((await db.settings.get(STATE))?.value as SyncState | undefined) ?? { attempt: 0 };
}

export async function setSyncState(db: CallaroDb, state: SyncState): Promise<void> {
	await db.settings.put({ key: STATE, value: state });
}
