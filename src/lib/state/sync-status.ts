/**
 * The one-line sync status of Settings in the app's language. In English it reads exactly as the
 * UI contract names it (`Off`, `Synced`, `Pending N`, `Offline`, `Error: <message>`); a sync
 * failure's message is the sync engine's own.
 */
import { plural } from '$lib/format';
import { m } from '$lib/paraglide/messages';
import type { SyncState } from '$lib/domain/sync-config';

/** What the status line is made from. */
export interface StatusInput {
	configured: boolean;
	online: boolean;
	pending: number;
	failed: number;
	firstFailure?: string;
	state: SyncState;
}

/** "3 batches were refused by the server: <reason>", with the verb agreeing with the count. */
export function refusedBatches(count: string, n: number, reason: string | undefined): string {
	const words = { count, reason: reason ?? m.sync_no_reason() };
	return plural(n) === 'one' ? m.sync_refused_one(words) : m.sync_refused_other(words);
}

export function syncStatusLabel(s: StatusInput): string {
	if (!s.configured) return m.sync_state_off();
	if (!s.online) return m.sync_state_offline();
	if (s.state.lastError) return m.sync_state_error({ message: s.state.lastError });
	if (s.failed > 0) {
		// The count stays unformatted, as the status line has always shown it.
		const message = refusedBatches(String(s.failed), s.failed, s.firstFailure);
		return m.sync_state_error({ message });
	}
	if (s.pending > 0) return m.sync_state_pending({ count: String(s.pending) });
	return m.sync_state_synced();
}

export { changesCount, contactsCount } from '$lib/format';
