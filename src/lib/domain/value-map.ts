/**
 * Value mapping: a mapped column with few distinct values (a time zone, tags, an owner, a custom
 * field) has each of its values mapped to a canonical one, as the spreadsheet importers map a
 * picklist. The Review collects each column's distinct values with their counts, suggests a
 * canonical value for each, and the person's mapping becomes a column rule of the patch
 * (fixes.ts), so it is saved with the job and applied as the file streams, exactly as fixes are.
 * Pure.
 */
import { customKeyOf, type Target } from './fields';
import { normalizeTimezone } from './timezone';

/** A column stops being offered once it has more distinct values than this. */
export const MAX_DISTINCT = 200;

const TAG_SPLIT = /[,;|]/;

/** Whether a column mapped to `target` may have its values mapped. */
export function mapsValues(target: Target): boolean {
	return (
		target === 'timezone' || target === 'tags' || target === 'owner' || customKeyOf(target) !== null
	);
}

/** The values of one cell as the column holds them: the tags of a tags cell, else the cell. */
export function cellValues(cell: string, tags: boolean): string[] {
	if (!tags) {
		const v = cell.trim();
		return v === '' ? [] : [v];
	}
	return cell
		.split(TAG_SPLIT)
		.map((t) => t.trim())
		.filter((t) => t !== '');
}

/** Distinct values per column, with counts, up to MAX_DISTINCT (then the column is dropped). */
export class DistinctValues {
	private readonly counts = new Map<number, Map<string, number>>();
	private readonly tags = new Set<number>();

	constructor(mapping: readonly Target[]) {
		mapping.forEach((target, column) => {
			if (!mapsValues(target)) return;
			this.counts.set(column, new Map());
			if (target === 'tags') this.tags.add(column);
		});
	}

	add(cells: readonly string[]): void {
		for (const [column, counts] of this.counts) {
			for (const value of cellValues(cells[column] ?? '', this.tags.has(column))) {
				counts.set(value, (counts.get(value) ?? 0) + 1);
				if (counts.size > MAX_DISTINCT) {
					this.counts.delete(column);
					break;
				}
			}
		}
	}

	/** Columns still offered, each with its values by count (most frequent first). */
	result(): ColumnValues[] {
		return [...this.counts]
			.filter(([, counts]) => counts.size > 0)
			.map(([column, counts]) => ({
				column,
				values: [...counts].sort((a, b) => b[1] - a[1] || (a[0] < b[0] ? -1 : a[0] > b[0] ? 1 : 0))
			}));
	}
}

export interface ColumnValues {
	column: number;
	/** [value, rows holding it], most frequent first. */
	values: [string, number][];
}

/**
 * Abbreviations and names people write for a zone. An abbreviation is never an IANA zone here:
 * the IANA `EST` is fixed UTC−5 with no daylight saving, which is not what a person writing EST
 * means for a contact in New York.
 */
const ZONE_ALIASES: Record<string, string> = {
	est: 'America/New_York',
	edt: 'America/New_York',
	eastern: 'America/New_York',
	'eastern time': 'America/New_York',
	et: 'America/New_York',
	cst: 'America/Chicago',
	cdt: 'America/Chicago',
	central: 'America/Chicago',
	'central time': 'America/Chicago',
	mst: 'America/Denver',
	mdt: 'America/Denver',
	mountain: 'America/Denver',
	'mountain time': 'America/Denver',
	pst: 'America/Los_Angeles',
	pdt: 'America/Los_Angeles',
	pacific: 'America/Los_Angeles',
	'pacific time': 'America/Los_Angeles',
	akst: 'America/Anchorage',
	hst: 'Pacific/Honolulu',
	gmt: 'Europe/London',
	bst: 'Europe/London',
	uk: 'Europe/London',
	wet: 'Europe/Lisbon',
	cet: 'Europe/Paris',
	cest: 'Europe/Paris',
	eet: 'Europe/Athens',
	eest: 'Europe/Athens',
	ist: 'Asia/Kolkata',
	jst: 'Asia/Tokyo',
	aest: 'Australia/Sydney',
	aedt: 'Australia/Sydney'
};

/** Zones by their city, lower-cased with spaces (`new york` → America/New_York). */
let cities: Map<string, string> | undefined;
function zoneOfCity(name: string): string | undefined {
	if (!cities) {
		cities = new Map();
		const zones =
			typeof Intl.supportedValuesOf === 'function' ? Intl.supportedValuesOf('timeZone') : [];
		for (const zone of zones) {
			const city = zone.split('/').pop()!.replace(/_/g, ' ').toLowerCase();
			if (!cities.has(city)) cities.set(city, zone);
		}
	}
	return cities.get(name);
}

const fold = (value: string) =>
	value
		.normalize('NFKD')
		.replace(/\p{M}/gu, '')
		.toLowerCase()
		.replace(/[^\p{L}\p{N}]+/gu, '');

/** A canonical zone for a value people write, or null when none is known. */
export function suggestZone(raw: string): string | null {
	const key = raw.trim().toLowerCase().replace(/\s+/g, ' ');
	const alias = ZONE_ALIASES[key];
	if (alias) return alias;
	const zone = normalizeTimezone(raw);
	if (zone.ok && zone.timezone && zone.timezone.includes('/')) return zone.timezone;
	return zoneOfCity(key) ?? null;
}

/**
 * Suggested canonical values for a column's values: a zone for a time zone column; otherwise the
 * most frequent spelling among the variants of each value (case, accents, spaces, punctuation:
 * `VIP`, `vip`, `V.I.P`), or a known value (`known`, e.g. the team's members) it matches.
 * Only values that would change are returned.
 */
export function suggestValues(
	target: Target,
	values: readonly [string, number][],
	known: readonly string[] = []
): Map<string, string> {
	const out = new Map<string, string>();
	if (target === 'timezone') {
		for (const [raw] of values) {
			const zone = suggestZone(raw);
			if (zone && zone !== raw) out.set(raw, zone);
		}
		return out;
	}
	const best = new Map<string, [string, number]>();
	if (target === 'owner')
		for (const [key, name] of ownerKeys(known)) best.set(key, [name, Infinity]);
	else for (const name of known) best.set(fold(name), [name, Number.POSITIVE_INFINITY]);
	for (const [raw, count] of values) {
		const key = fold(raw);
		if (key === '') continue;
		const seen = best.get(key);
		if (!seen || seen[1] < count) best.set(key, [raw, count]);
	}
	for (const [raw] of values) {
		const canonical = best.get(fold(raw))?.[0];
		if (canonical !== undefined && canonical !== raw) out.set(raw, canonical);
	}
	return out;
}

/**
 * The ways people write a team member in an owner column, each to the member's name as the
 * workspace holds it (often an email): the name itself; for an email, its local part
 * (`ana.ruiz@acme.com` ← `Ana Ruiz`, `ana_ruiz`); the words in either order (`Ruiz, Ana`); and the
 * first word alone (`Ana`) when only one member has it. All folded as `fold` does.
 */
export function ownerKeys(names: readonly string[]): Map<string, string> {
	const out = new Map<string, string>();
	const firsts = new Map<string, string | null>();
	for (const name of names) {
		const at = name.indexOf('@');
		const person = at > 0 ? name.slice(0, at) : name;
		const words = person.split(/[\s._\-,]+/).filter((w) => fold(w) !== '');
		for (const key of [fold(name), fold(person), fold([...words].reverse().join(''))])
			if (key !== '' && !out.has(key)) out.set(key, name);
		if (words.length > 1) {
			const first = fold(words[0]);
			firsts.set(first, firsts.has(first) && firsts.get(first) !== name ? null : name);
		}
	}
	for (const [first, name] of firsts) if (name !== null && !out.has(first)) out.set(first, name);
	return out;
}

/** The canonical form of one cell under a value map (tags: each tag of the cell). */
export function mapCell(cell: string, map: ReadonlyMap<string, string>, tags: boolean): string {
	if (map.size === 0) return cell;
	if (!tags) {
		const mapped = map.get(cell.trim());
		return mapped === undefined ? cell : mapped;
	}
	const parts = cellValues(cell, true);
	let changed = false;
	const out = parts.map((t) => {
		const mapped = map.get(t);
		if (mapped === undefined) return t;
		changed = true;
		return mapped;
	});
	return changed ? out.join(', ') : cell;
}
