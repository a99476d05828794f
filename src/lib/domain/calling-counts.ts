/**
 * What the Review tells about calling the rows it will import: how many numbers of each kind, and
 * how many rows have no time zone of their own and how many of those their number places.
 *
 * The pass counts every valid row, and apart the ones that match existing contacts, so that the
 * Review can show the counts for either existing-contacts policy and for the time zone option
 * on or off without reading the file again.
 */
import { PHONE_KINDS, type PhoneKind } from './phone-kind';

export interface CallingCounts {
	kinds: Record<PhoneKind, number>;
	/** Rows with no time zone of their own (no column, or an empty cell). */
	zoneMissing: number;
	/** Of those, rows whose number lies in one zone. */
	zoneFromPhone: number;
}

export function emptyCallingCounts(): CallingCounts {
	const kinds = {} as Record<PhoneKind, number>;
	for (const kind of PHONE_KINDS) kinds[kind] = 0;
	return { kinds, zoneMissing: 0, zoneFromPhone: 0 };
}

/**
 * Counts one valid row.
 * @param zone the row's zone from its phone: undefined when the row names its own zone, null when
 *   its number lies in several or none is known
 */
export function countCallingRow(
	counts: CallingCounts,
	kind: PhoneKind,
	zone: string | null | undefined
): void {
	counts.kinds[kind]++;
	if (zone === undefined) return;
	counts.zoneMissing++;
	if (zone !== null) counts.zoneFromPhone++;
}

export interface CallingView {
	kinds: Record<PhoneKind, number>;
	/** Rows to import whose time zone the import fills from the number. */
	zoneFilled: number;
	/** Rows to import that will have no time zone. */
	zoneEmpty: number;
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
	return { kinds, zoneFilled, zoneEmpty: missing - zoneFilled };
}
