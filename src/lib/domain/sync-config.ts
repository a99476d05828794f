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

/** A change of the feed this device could not read: skipped, and listed in Settings. */
export interface SkippedChange {
	/** The phone the change named ('' when it named none). */
	phone: string;
	seq?: number;
	reason: string;
}

/** How many skipped changes are kept to show (the count goes on past it). */
export const SKIPPED_KEPT = 200;

/**
 * The list of skipped changes after a page: a phone read now replaces its earlier skipped change
 * (a later, fixed version arrived), and the page's own skipped ones are added. Pure.
 */
export function mergeSkipped(
	before: { count: number; changes: SkippedChange[] },
	readPhones: ReadonlySet<string>,
	skipped: readonly SkippedChange[]
): { count: number; changes: SkippedChange[] } {
	const kept = before.changes.filter((c) => !readPhones.has(c.phone));
	const dropped = before.changes.length - kept.length;
	const changes = [...kept, ...skipped].slice(-SKIPPED_KEPT);
	return { count: Math.max(0, before.count - dropped) + skipped.length, changes };
}

/** The workspace and member a token belongs to, as the backend said (`GET /v1/me`). */
export interface SyncIdentity {
	workspaceId: string;
	workspaceName: string;
	memberId: string;
	memberName: string;
	role: 'owner' | 'member';
}

/** A restart of the pull from 0 with everything held sent again (see `SyncState`). */
export interface FeedRestart {
	at: number;
	contacts: number;
	deletes: number;
	reason?: 'horizon';
	message?: string;
}

export interface SyncState {
	/** Who the current token is, from the last drain that reached the backend. */
	identity?: SyncIdentity;
	/**
	 * A token of another workspace than the one this device's data belongs to: sync stops until
	 * the person uses this workspace's token again or starts afresh with the other.
	 */
	otherWorkspace?: SyncIdentity;
	/**
	 * The last time the pull started over from 0 and everything this device held was queued to be
	 * sent again: the backend's feed was found replaced (restored or new), or, with `reason`
	 * `horizon`, this device was away longer than the backend keeps deletes (`message`, the
	 * backend's, names how long).
	 */
	feedRestarted?: FeedRestart;
	/** The backend has no change feed: this device's changes go up, other devices' never come. */
	noFeed?: boolean;
	/** Custom fields the backend refused to define (only owners define them), with its reason. */
	refusedFields?: { key: string; message: string }[];
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
