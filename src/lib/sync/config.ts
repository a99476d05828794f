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
	/** A pull with pages still to come: changes received so far, and the total expected. */
	pull?: { received: number; total: number };
}

const CONFIG = 'syncConfig';
const STATE = 'syncState';

export async function getSyncConfig(db: CallaroDb): Promise<SyncConfig> {
	const v = (await db.settings.get(CONFIG))?.value as Partial<SyncConfig> | undefined;
	return { url: v?.url ?? '', token: v?.token ?? '', enabled: v?.enabled ?? false };
}

/**
 * Hosts that plain http:// may reach. The app's Content-Security-Policy (`connect-src` in
 * svelte.config.js) allows https: anywhere and http: to these hosts only; a URL it would block
 * must be refused here, or sync would retry a blocked request forever as a "network error".
 */
const HTTP_HOSTS = new Set(['localhost', '127.0.0.1']);

/**
 * Why a backend URL cannot be used, or null when it can: it must be https://, or http:// to
 * localhost or 127.0.0.1.
 */
export function backendUrlProblem(url: string): string | null {
	let parsed: URL;
	try {
		parsed = new URL(url);
	} catch {
		return `“${url}” is not a URL. Use the backend's address, e.g. https://sync.example.com or http://localhost:8787.`;
	}
	if (parsed.protocol === 'https:') return null;
	if (parsed.protocol !== 'http:')
		return 'The backend URL must start with https:// (or http:// for localhost).';
	if (HTTP_HOSTS.has(parsed.hostname)) return null;
	return `Use https:// for a backend on another machine: the browser blocks plain http:// to ${parsed.hostname}, so nothing would sync. http:// works only for localhost or 127.0.0.1.`;
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
