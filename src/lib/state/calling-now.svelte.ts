/**
 * The clock and calling hours that "callable now" and "local time" are computed at. One instance
 * per tab: the layout starts the clock and feeds the workspace's calling hours from the database.
 *
 * The clock ticks at every UTC minute boundary (every zone in use is a whole number of minutes
 * from UTC, so no local wall clock changes in between): counts that depend on local time follow
 * the clock within a second of the minute, without a reload.
 */
import {
	DEFAULT_CALLING_HOURS,
	localTimeOf,
	nextMinuteBoundary,
	type CallingHours
} from '$lib/domain/calling-hours';
import type { SegmentClock } from '$lib/domain/segments';
import { callableView, type CallableView, type CallingView } from '$lib/domain/calling-counts';

/** The timer the clock runs on (the browser's, or a test's). */
export interface Timer {
	now(): number;
	setTimeout(run: () => void, ms: number): unknown;
	clearTimeout(handle: unknown): void;
}

const browserTimer: Timer = {
	now: () => Date.now(),
	setTimeout: (run, ms) => setTimeout(run, ms),
	clearTimeout: (handle) => clearTimeout(handle as ReturnType<typeof setTimeout>)
};

export class CallingNow {
	#now = $state(Date.now());
	#hours = $state.raw<CallingHours>(DEFAULT_CALLING_HOURS);

	get now(): number {
		return this.#now;
	}

	get hours(): CallingHours {
		return this.#hours;
	}

	noteHours(hours: CallingHours): void {
		if (hours.from !== this.#hours.from || hours.to !== this.#hours.to)
			this.#hours = { from: hours.from, to: hours.to };
	}

	/** Starts ticking at each minute boundary; returns the stop. */
	start(timer: Timer = browserTimer): () => void {
		let handle: unknown;
		const tick = () => {
			const now = timer.now();
			this.#now = now;
			// A little past the boundary, so that a timer firing early still lands after it.
			handle = timer.setTimeout(tick, nextMinuteBoundary(now) - now + 50);
		};
		tick();
		return () => timer.clearTimeout(handle);
	}

	/** The Review's callable count for the rows to import, at the current minute. */
	callable(view: Pick<CallingView, 'zones' | 'zoneEmpty'>): CallableView {
		return callableView(view, this.#now, this.#hours);
	}

	/** The clock segments are counted at (a plain copy, fit to send to the worker). */
	segmentClock(): SegmentClock {
		return { now: this.#now, hours: { ...this.#hours } };
	}

	/** A contact's local time now, or null without a known zone. */
	localTime(zone: string | undefined): string | null {
		return localTimeOf(zone, this.#now);
	}
}

export const callingNow = new CallingNow();
