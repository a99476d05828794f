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
	/** Rows to import by the zone they will have. */
	zones: Record<string, number>;
}

/**
 * The counts for the rows to import: every valid row, less those matching existing contacts when
 * they are skipped; zones are filled only with the option on.
 */
export function callingView(
	valid: CallingCounts,
	existing: CallingCounts,
	options: { skipExisting: boolean; fillTimezones: boolean }
): CallingView {
	const less = (a: number, b: number) => (options.skipExisting ? a - b : a);
	const kinds = {} as Record<PhoneKind, number>;
	for (const kind of PHONE_KINDS) kinds[kind] = less(valid.kinds[kind], existing.kinds[kind]);
	const missing = less(valid.zoneMissing, existing.zoneMissing);
	const placed = less(valid.zoneFromPhone, existing.zoneFromPhone);
	const zoneFilled = options.fillTimezones ? placed : 0;
	const zones: Record<string, number> = {};
	const add = (from: Record<string, number>, sign: number) => {
		for (const [zone, n] of Object.entries(from)) zones[zone] = (zones[zone] ?? 0) + sign * n;
	};
	add(valid.zones.own, 1);
	if (options.fillTimezones) add(valid.zones.phone, 1);
	if (options.skipExisting) {
		add(existing.zones.own, -1);
		if (options.fillTimezones) add(existing.zones.phone, -1);
	}
	return { kinds, zoneFilled, zoneEmpty: missing - zoneFilled, zones };
}

export interface CallableView {
	/** Rows to import whose local time is inside the calling hours at the clock given. */
	callable: number;
	/** Rows to import with no known zone: never callable. */
	unknownZone: number;
}

/**
 * How many rows to import may be called at `now`: a sum over the rows' zones.
 * @param rowsToImport the rows the Review will import (with or without existing contacts)
 */
export function callableView(
	view: Pick<CallingView, 'zones'>,
	rowsToImport: number,
	now: number,
	hours: CallingHours
): CallableView {
	let callable = 0;
	let known = 0;
	for (const [zone, n] of Object.entries(view.zones)) {
		// A name this browser does not know (another engine's data) is an unknown zone.
		if (n <= 0 || localMinute(zone, now) === null) continue;
		known += n;
		if (withinCallingHours(zone, now, hours)) callable += n;
	}
	return { callable, unknownZone: Math.max(0, rowsToImport - known) };
}
