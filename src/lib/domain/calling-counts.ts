/**
 * What the Review tells about calling the rows it will import: how many numbers of each kind, and
 * how many rows have no time zone of their own and how many of those their number places.
 *
 * The pass counts every valid row, and apart the ones that match existing contacts, so that the
 * Review can show the counts for either existing-contacts policy and for the time zone option
 * on or off without reading the file again.
 */
import { localMinute, withinCallingHours, type CallingHours } from './calling-hours';
import { PHONE_KINDS, type PhoneKind } from './phone-kind';

export interface CallingCounts {
	kinds: Record<PhoneKind, number>;
	/** Rows with no time zone of their own (no column, or an empty cell). */
	zoneMissing: number;
	/** Of those, rows whose number lies in one zone. */
	zoneFromPhone: number;
	/**
	 * Rows by zone: `own` those naming a valid zone, `phone` those placed by their number. A few
	 * hundred zones at most, so the callable count at any clock is a sum over them, with no
	 * second pass over the file.
	 */
	zones: { own: Record<string, number>; phone: Record<string, number> };
}

export function emptyCallingCounts(): CallingCounts {
	const kinds = {} as Record<PhoneKind, number>;
	for (const kind of PHONE_KINDS) kinds[kind] = 0;
	return { kinds, zoneMissing: 0, zoneFromPhone: 0, zones: { own: {}, phone: {} } };
}

const bump = (counts: Record<string, number>, zone: string) => {
	counts[zone] = (counts[zone] ?? 0) + 1;
};

/**
 * Counts one valid row.
 * @param zone the row's zone from its phone: undefined when the row names its own zone, null when
 *   its number lies in several or none is known
 */
export function countCallingRow(
	counts: CallingCounts,
	kind: PhoneKind,
	zone: string | null | undefined,
	ownZone?: string
): void {
	counts.kinds[kind]++;
	if (zone === undefined) {
		if (ownZone) bump(counts.zones.own, ownZone);
		return;
	}
	counts.zoneMissing++;
	if (zone !== null) {
		counts.zoneFromPhone++;
		bump(counts.zones.phone, zone);
	}
}

export interface CallingView {
	kinds: Record<PhoneKind, number>;
	/** Rows to import whose time zone the import fills from the number. */
	zoneFilled: number;
	/** Rows to import that will have no time zone. */
	zoneEmpty: number;
	/** Rows to import by the zone they will have, less those on the do-not-call list. */
	zones: Record<string, number>;
}

/** The counts of the rows that are both valid and on the do-not-call list, and of those existing. */
export interface ListedCounts {
	valid: CallingCounts;
	existing: CallingCounts;
}

export interface CallingOptions {
	skipExisting: boolean;
	fillTimezones: boolean;
	/** Rows on the do-not-call list are skipped, not imported flagged. */
	skipDoNotCall?: boolean;
}

/** `a` less `b` when `on`, count by count (zones: those the fill option gives). */
function net(a: CallingCounts, b: CallingCounts, on: boolean, fill: boolean) {
	const sign = on ? 1 : 0;
	const kinds = {} as Record<PhoneKind, number>;
	for (const kind of PHONE_KINDS) kinds[kind] = a.kinds[kind] - sign * b.kinds[kind];
	const zones: Record<string, number> = {};
	const add = (from: Record<string, number>, k: number) => {
		for (const [zone, n] of Object.entries(from)) zones[zone] = (zones[zone] ?? 0) + k * n;
	};
	add(a.zones.own, 1);
	add(b.zones.own, -sign);
	if (fill) {
		add(a.zones.phone, 1);
		add(b.zones.phone, -sign);
	}
	return {
		kinds,
		missing: a.zoneMissing - sign * b.zoneMissing,
		placed: a.zoneFromPhone - sign * b.zoneFromPhone,
		zones
	};
}

/**
 * The counts for the rows to import: every valid row, less those matching existing contacts when
 * they are skipped, less the listed ones when they are skipped; zones are filled only with the
 * option on. Listed rows are never callable, so they are out of `zones` either way.
 */
export function callingView(
	valid: CallingCounts,
	existing: CallingCounts,
	options: CallingOptions,
	listed?: ListedCounts
): CallingView {
	const fill = options.fillTimezones;
	const all = net(valid, existing, options.skipExisting, fill);
	const out = listed && net(listed.valid, listed.existing, options.skipExisting, fill);
	const kinds = { ...all.kinds };
	let { missing, placed } = all;
	const zones = { ...all.zones };
	if (out) {
		for (const [zone, n] of Object.entries(out.zones)) zones[zone] = (zones[zone] ?? 0) - n;
		if (options.skipDoNotCall) {
			for (const kind of PHONE_KINDS) kinds[kind] -= out.kinds[kind];
			missing -= out.missing;
			placed -= out.placed;
		}
	}
	const zoneFilled = fill ? placed : 0;
	return { kinds, zoneFilled, zoneEmpty: missing - zoneFilled, zones };
}

export interface CallableView {
	/** Rows to import whose local time is inside the calling hours at the clock given. */
	callable: number;
	/** Rows to import with no known zone: never callable. */
	unknownZone: number;
}

/** How many rows to import may be called at `now`: a sum over the rows' zones. */
export function callableView(
	view: Pick<CallingView, 'zones' | 'zoneEmpty'>,
	now: number,
	hours: CallingHours
): CallableView {
	let callable = 0;
	// A stored name this browser does not know (another engine's data) is an unknown zone too.
	let unknown = view.zoneEmpty;
	for (const [zone, n] of Object.entries(view.zones)) {
		if (n <= 0) continue;
		if (localMinute(zone, now) === null) unknown += n;
		else if (withinCallingHours(zone, now, hours)) callable += n;
	}
	return { callable, unknownZone: unknown };
}
