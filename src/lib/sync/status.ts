/**
 * The one-line sync status shown in Settings: `Off`, `Synced`, `Pending N`, `Offline` or `Error: <message>`.
 */
import { type SyncState } from '$lib/domain/sync-config';

export interface StatusInput {
	configured: boolean;
	online: boolean;
	pending: number;
	failed: number;
	firstFailure?: string;
	state: SyncState;
}

export function syncStatusText(s: StatusInput): string {
	if (!s.configured) return 'Off';
	if (!s.online) return 'Offline';
	if (s.state.lastError) return `Error: ${s.state.lastError}`;
	if (s.failed > 0) {
		return `Error: ${s.failed} ${s.failed === 1 ? 'batch was' : 'batches were'} refused by the server: ${s.firstFailure ?? 'no reason given'}`;
	}
	if (s.pending > 0) return `Pending ${s.pending}`;
	return 'Synced';
}
