/**
 * What sync needs to know, and the rules on it: the settings a person enters, the state the engine
 * keeps, whether a backend URL can be used, and whether sync can run. Pure: stored by
 * db/sync-config-repo.ts.
 */

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

/** Whether sync can run: enabled, with a URL and a token. */
export function isConfigured(c: SyncConfig): boolean {
	return c.enabled && c.url !== '' && c.token !== '';
}
