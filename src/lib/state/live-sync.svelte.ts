/**
 * The live channel's state as Settings shows it: the sync runner (started by the layout) notes it,
 * the page renders `text`. One instance per tab, since each tab holds its own channel.
 */
import type { LiveState } from '$lib/sync/live-channel';
import { FALLBACK_POLL_MS } from '$lib/sync/sync-runner';

export type LiveSyncState = LiveState | 'off';

const POLL_SECONDS = Math.round(FALLBACK_POLL_MS / 1000);

/** What a person reads for each state (null: sync is off, nothing to say). */
export function liveText(state: LiveSyncState): string | null {
	switch (state) {
		case 'off':
			return null;
		case 'live':
			return 'Live: changes from other devices show here within seconds.';
		case 'connecting':
			return 'Connecting the live channel…';
		case 'down':
			return `The live channel is down: checking for changes every ${POLL_SECONDS} s until it is back.`;
		case 'unsupported':
			return `This backend has no live channel: checking for changes every ${POLL_SECONDS} s.`;
		case 'refused':
			return 'The live channel was refused with this token: see the sync status above.';
	}
}

export class LiveSync {
	#state = $state<LiveSyncState>('off');

	get state(): LiveSyncState {
		return this.#state;
	}

	get text(): string | null {
		return liveText(this.#state);
	}

	note(state: LiveSyncState): void {
		this.#state = state;
	}
}

export const liveSync = new LiveSync();
