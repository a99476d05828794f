/**
 * When the sync engine runs: when the live channel says the workspace's feed moved (another
 * device's change shows here within a second or two), on app start, on the `online` event, when
 * the page becomes visible, when a batch lands in the outbox, when the settings change, after a
 * backoff delay, and periodically: every minute while the live channel is open, every
 * `fallbackMs` while it is not (polling is how changes arrive then).
 *
 * One tab drains at a time (a Web Lock). A tab that finds the lock taken tries again shortly
 * rather than skipping: the drain holding it may have pulled just before the change it was told
 * of. The drain itself runs in the app worker (worker/api.ts `syncDrain`): this module only
 * decides when, on the page.
 */
import { getCallingHours } from '$lib/db/calling-hours-repo';
import { getDoNotCallMeta } from '$lib/db/do-not-call-repo';
import { pendingChangeCount } from '$lib/db/outbox-repo';
import { listCustomFields } from '$lib/db/custom-fields-repo';
import { getSyncConfig } from '$lib/db/sync-config-repo';
import { liveQuery } from 'dexie';
import type { CallaroDb } from '$lib/db/database';
import { isConfigured, type SyncConfig } from '$lib/domain/sync-config';
import type { DrainResult } from './engine';
import type { LiveState } from './live-channel';

/** Opens the live channel for a backend (live-channel.ts `openLiveChannel`); returns its close. */
export type LiveOpener = (
	backend: { url: string; token: string },
	onChange: () => void,
	onState: (state: LiveState) => void
) => () => void;

/** How often to poll while the live channel is not open. */
export const FALLBACK_POLL_MS = 15_000;
/** How soon a tab that found another tab draining tries again. */
const BUSY_RETRY_MS = 1000;

export interface SyncRunnerDeps {
	db: CallaroDb;
	/** One push-and-pull pass (the app's runs in its worker; tests pass an engine's). */
	drain: (online: boolean) => Promise<DrainResult>;
	locks?: Pick<LockManager, 'request'>;
	online?: () => boolean;
	periodMs?: number;
	fallbackMs?: number;
	/** The live channel; without it, the runner only polls. */
	openLive?: LiveOpener;
	/** The live channel's state, `off` when sync is off (for Settings). */
	onLiveState?: (state: LiveState | 'off') => void;
	/**
	 * Failures the engine could not record in the sync state (it records every failure of a push
	 * there, so this is for the unexpected: a broken database, a lock that could not be taken).
	 */
	onError?: (error: unknown) => void;
}

/** Starts the runner; returns a function that stops it. */
export function startSyncRunner({
	db,
	drain,
	locks,
	online = () => navigator.onLine,
	periodMs = 60_000,
	fallbackMs = FALLBACK_POLL_MS,
	openLive,
	onLiveState = () => {},
	onError = () => {}
}: SyncRunnerDeps): () => void {
	let timer: ReturnType<typeof setTimeout> | undefined;
	let running = false;
	let again = false;
	let stopped = false;
	let liveState: LiveState | 'off' = 'off';

	/** `busy`: another tab holds the drain lock. */
	const schedule = (result: DrainResult | 'busy' | null) => {
		clearTimeout(timer);
		if (stopped) return;
		const delay =
			result === 'busy'
				? BUSY_RETRY_MS
				: result?.kind === 'retry'
					? result.inMs
					: liveState === 'live'
						? periodMs
						: Math.min(periodMs, fallbackMs);
		timer = setTimeout(kick, delay);
	};

	const drainOnce = (): Promise<DrainResult | 'busy'> =>
		locks
			? (locks.request('callaro-sync', { ifAvailable: true }, (lock) =>
					lock ? drain(online()) : 'busy'
				) as Promise<DrainResult | 'busy'>)
			: drain(online());

	function kick() {
		if (stopped) return;
		if (running) {
			again = true;
			return;
		}
		running = true;
		void drainOnce()
			.catch((error: unknown) => {
				onError(error);
				return null;
			})
			.then((result) => {
				running = false;
				if (again) {
					again = false;
					kick();
				} else schedule(result);
			});
	}

	const onVisible = () => {
		if (document.visibilityState === 'visible') kick();
	};
	window.addEventListener('online', kick);
	document.addEventListener('visibilitychange', onVisible);
	// The live channel follows the settings: one channel per backend and token while sync is on.
	let liveKey = '';
	let closeLive: (() => void) | undefined;
	const setLiveState = (state: LiveState | 'off') => {
		const was = liveState;
		liveState = state;
		onLiveState(state);
		// The channel closed: polling takes over from now, not from the next long period.
		if (was === 'live' && state !== 'live' && !running) schedule(null);
	};
	const follow = (config: SyncConfig) => {
		const url = config.url.replace(/\/+$/, '');
		const key = openLive && isConfigured(config) ? JSON.stringify([url, config.token]) : '';
		if (key === liveKey) return;
		liveKey = key;
		closeLive?.();
		closeLive = undefined;
		setLiveState('off');
		if (key && openLive)
			closeLive = openLive({ url, token: config.token }, kick, (state) => {
				if (!stopped) setLiveState(state);
			});
	};
	// New batches, changed settings, custom fields defined here and the calling rules changed
	// here all show up here (a field's definition is pushed by the drain, ahead of the contacts
	// that use it). The outbox count, the fields and the rules are read only so that the query
	// runs again when they change; what it answers is the settings, which the live channel
	// follows.
	const pending = liveQuery(async () => {
		await pendingChangeCount(db);
		await listCustomFields(db);
		await getCallingHours(db);
		await getDoNotCallMeta(db);
		return getSyncConfig(db);
	}).subscribe({
		next: (config) => {
			follow(config);
			kick();
		},
		error: onError
	});

	return () => {
		stopped = true;
		clearTimeout(timer);
		closeLive?.();
		pending.unsubscribe();
		window.removeEventListener('online', kick);
		document.removeEventListener('visibilitychange', onVisible);
	};
}
