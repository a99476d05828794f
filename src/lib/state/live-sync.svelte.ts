/**
 * The live channel's state as Settings shows it: the sync runner (started by the layout) notes it,
 * the page renders `text`. One instance per tab, since each tab holds its own channel.
 */
import type { LiveState } from '$lib/sync/live-channel';
import { FALLBACK_POLL_MS } from '$lib/sync/sync-runner';
import { m } from '$lib/paraglide/messages';

export type LiveSyncState = LiveState | 'off';

const POLL_SECONDS = Math.round(FALLBACK_POLL_MS / 1000);

/** What a person reads for each state (null: sync is off, nothing to say). */
export function liveText(state: LiveSyncState): string | null {
	switch (state) {
		case 'off':
			return null;
		case 'live':
			return m.live_on();
		case 'connecting':
			return m.live_connecting();
		case 'down':
			return m.live_down({ seconds: POLL_SECONDS });
		case 'unsupported':
			return m.live_unsupported({ seconds: POLL_SECONDS });
		case 'refused':
			return m.live_refused();
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
