/**
 * Calling hours: whom the team may call now. A workspace sets a window of local time
 * (`from`–`to`, the contact's own wall clock, default 08:00–21:00); a contact is callable now when
 * its zone is known, the wall-clock time in that zone lies in the window, and its phone is not on
 * the do-not-call list. A contact without a known zone is never callable: guessing would call
 * someone at 3 a.m.
 *
 * Zone rules come from the IANA data the browser carries (`Intl.DateTimeFormat`), daylight saving
 * included, so a zone's offset is never computed here. Pure: the clock is an argument.
 *
 * The window includes `from` and excludes `to` (08:00–21:00 allows 20:59, not 21:00). A window
 * whose `from` is later than its `to` wraps midnight (22:00–06:00 is the night); `from === to`
 * is an empty window (nobody is callable), never the whole day.
 */

export interface CallingHours {
	/** `HH:MM`, 24-hour. */
	from: string;
	to: string;
}

export const DEFAULT_CALLING_HOURS: CallingHours = { from: '08:00', to: '21:00' };

const HH_MM = /^([01]\d|2[0-3]):([0-5]\d)$/;

/** Minutes after midnight of an `HH:MM` time, or null when it is not one. */
export function parseHhMm(value: string): number | null {
	const m = HH_MM.exec(value.trim());
	return m ? Number(m[1]) * 60 + Number(m[2]) : null;
}

/** `HH:MM` of a minute of the day. */
export function formatHhMm(minutes: number): string {
	const m = ((minutes % 1440) + 1440) % 1440;
	return `${String(Math.floor(m / 60)).padStart(2, '0')}:${String(m % 60).padStart(2, '0')}`;
}

/** Why a calling-hours window is not acceptable, or null when it is. */
export function callingHoursProblem(hours: CallingHours): string | null {
	if (parseHhMm(hours.from) === null)
		return `“${hours.from}” is not a time: write the start as HH:MM, e.g. 08:00.`;
	if (parseHhMm(hours.to) === null)
		return `“${hours.to}” is not a time: write the end as HH:MM, e.g. 21:00.`;
	if (hours.from === hours.to)
		return 'The calling hours start and end at the same time: nobody could be called.';
	return null;
}

/** A window in minutes of the day: [from, to), wrapping midnight when from > to. */
export interface MinuteWindow {
	from: number;
	to: number;
}

/** The window of `hours`; null when either end is not a time. */
export function minuteWindow(hours: CallingHours): MinuteWindow | null {
	const from = parseHhMm(hours.from);
	const to = parseHhMm(hours.to);
	return from === null || to === null ? null : { from, to };
}

/** Parses a `local_time between` value such as `09:00-17:00` (spaces and `–` allowed). */
export function parseWindow(value: string): MinuteWindow | null {
	const parts = value.split(/\s*[-–]\s*/);
	if (parts.length !== 2) return null;
	const from = parseHhMm(parts[0]);
	const to = parseHhMm(parts[1]);
	return from === null || to === null ? null : { from, to };
}

/** Whether a minute of the day lies in the window. */
export function inWindow(minute: number, window: MinuteWindow): boolean {
	if (window.from === window.to) return false;
	return window.from < window.to
		? minute >= window.from && minute < window.to
		: minute >= window.from || minute < window.to;
}

const formatters = new Map<string, Intl.DateTimeFormat | null>();

function formatter(zone: string): Intl.DateTimeFormat | null {
	let f = formatters.get(zone);
	if (f === undefined) {
		try {
			f = new Intl.DateTimeFormat('en-US', {
				timeZone: zone,
				hourCycle: 'h23',
				hour: '2-digit',
				minute: '2-digit'
			});
		} catch {
			// Not a zone this browser knows (a stored value from an older rule, or another
			// engine's data): its local time is unknown, which is what null says.
			f = null;
		}
		formatters.set(zone, f);
	}
	return f;
}

/**
 * The wall-clock minute of the day in `zone` at `now` (ms since the epoch), or null when the zone
 * is empty or unknown to this browser.
 */
export function localMinute(zone: string | undefined, now: number): number | null {
	if (!zone) return null;
	const f = formatter(zone);
	if (!f) return null;
	let hour = 0;
	let minute = 0;
	for (const part of f.formatToParts(now)) {
		if (part.type === 'hour') hour = Number(part.value) % 24;
		else if (part.type === 'minute') minute = Number(part.value);
	}
	return hour * 60 + minute;
}

/** The local time `HH:MM` in `zone` at `now`, or null when the zone is unknown. */
export function localTimeOf(zone: string | undefined, now: number): string | null {
	const minute = localMinute(zone, now);
	return minute === null ? null : formatHhMm(minute);
}

/** Whether a contact in `zone` may be called at `now` (the do-not-call list apart). */
export function withinCallingHours(
	zone: string | undefined,
	now: number,
	hours: CallingHours
): boolean {
	const window = minuteWindow(hours);
	const minute = localMinute(zone, now);
	return window !== null && minute !== null && inWindow(minute, window);
}

/**
 * The next instant after `now` at which some zone's wall clock crosses a minute: counts that
 * depend on local time are exact until then. Every zone in use today is offset from UTC by a
 * whole number of minutes, so the next UTC minute boundary is that instant.
 */
export function nextMinuteBoundary(now: number): number {
	return Math.floor(now / 60_000) * 60_000 + 60_000;
}
