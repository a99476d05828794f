/**
 * When the sync engine runs: on app start, on the `online` event, when the page becomes visible,
 * when a batch lands in the outbox, when the settings change, after a backoff delay, and every
 * minute. One tab drains at a time (a Web Lock); the others skip.
 */
import { pendingChangeCount } from '$lib/db/outbox-repo';
import { getSyncConfig } from '$lib/db/sync-config-repo';
import { liveQuery } from 'dexie';
import type { CallaroDb } from '$lib/db/database';
import { SyncEngine, type DrainResult } from './engine';
import type { Transport } from './transport';
import type { PageApplier } from './pull-page';

export interface SyncRunnerDeps {
	db: CallaroDb;
	transport: Transport;
	locks?: Pick<LockManager, 'request'>;
	online?: () => boolean;
	periodMs?: number;
	/**
	 * Failures the engine could not record in the sync state (it records every failure of a push
	 * there, so this is for the unexpected: a broken database, a lock that could not be taken).
	 */
	onError?: (error: unknown) => void;
	/** Applies pulled pages (the app passes its worker's); in process when absent. */
	applyPage?: PageApplier;
}

/** Starts the runner; returns a function that stops it. */
export function startSyncRunner({
	db,
	transport,
	locks,
	online = () => navigator.onLine,
	periodMs = 60_000,
	onError = () => {},
	applyPage
}: SyncRunnerDeps): () => void {
	const engine = new SyncEngine({ db, transport, online, applyPage });
	let timer: ReturnType<typeof setTimeout> | undefined;
	let running = false;
	let again = false;
	let stopped = false;

	const schedule = (result: DrainResult | null) => {
		clearTimeout(timer);
		if (stopped) return;
		const delay = result?.kind === 'retry' ? result.inMs : periodMs;
		timer = setTimeout(kick, delay);
	};

	const drainOnce = (): Promise<DrainResult | null> =>
		locks
			? (locks.request('callaro-sync', { ifAvailable: true }, (lock) =>
					lock ? engine.drain() : null
				) as Promise<DrainResult | null>)
			: engine.drain();

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
	// New batches and changed settings both show up here.
	const pending = liveQuery(async () => [
		await pendingChangeCount(db),
		JSON.stringify(await getSyncConfig(db))
	]).subscribe({ next: () => kick(), error: onError });

	return () => {
		stopped = true;
		clearTimeout(timer);
		pending.unsubscribe();
		window.removeEventListener('online', kick);
		document.removeEventListener('visibilitychange', onVisible);
	};
}
