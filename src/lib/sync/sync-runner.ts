/**
 * When the sync engine runs: on app start, on the `online` event, when the page becomes visible,
 * when a batch lands in the outbox, when the settings change, after a backoff delay, and every
 * minute. One tab drains at a time (a Web Lock); the others skip. The drain itself runs in the
 * app worker (worker/api.ts `syncDrain`): this module only decides when, on the page.
 */
import { pendingChangeCount } from '$lib/db/outbox-repo';
import { listCustomFields } from '$lib/db/custom-fields-repo';
import { getSyncConfig } from '$lib/db/sync-config-repo';
import { liveQuery } from 'dexie';
import type { CallaroDb } from '$lib/db/database';
import type { DrainResult } from './engine';

export interface SyncRunnerDeps {
	db: CallaroDb;
	/** One push-and-pull pass (the app's runs in its worker; tests pass an engine's). */
	drain: (online: boolean) => Promise<DrainResult>;
	locks?: Pick<LockManager, 'request'>;
	online?: () => boolean;
	periodMs?: number;
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
	onError = () => {}
}: SyncRunnerDeps): () => void {
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
					lock ? drain(online()) : null
				) as Promise<DrainResult | null>)
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
	// New batches, changed settings and custom fields defined here all show up here (a field's
	// definition is pushed by the drain, ahead of the contacts that use it).
	const pending = liveQuery(async () => [
		await pendingChangeCount(db),
		JSON.stringify(await getSyncConfig(db)),
		(await listCustomFields(db)).map((f) => `${f.key}:${f.label}`).join('\n')
	]).subscribe({ next: () => kick(), error: onError });

	return () => {
		stopped = true;
		clearTimeout(timer);
		pending.unsubscribe();
		window.removeEventListener('online', kick);
		document.removeEventListener('visibilitychange', onVisible);
	};
}
