/**
 * Timezones: an IANA zone name, matched case-insensitively; links (aliases) such as
 * `US/Eastern` or the renamed `Asia/Calcutta` and `Europe/Kiev` are stored under the current IANA
 * name. Canonical names come from @vvo/tzdb (current tzdata), not from the browser's ICU, which
 * still reports older names (Chromium says `Asia/Calcutta`).
 */
import { timeZonesNames } from '@vvo/tzdb';

/** IANA `backward` links and common spellings → current canonical zone. */
const ALIASES: Record<string, string> = {
	UTC: 'UTC',
	'Etc/UTC': 'UTC',
	'Etc/UCT': 'UTC',
	UCT: 'UTC',
	'Etc/Universal': 'UTC',
	Universal: 'UTC',
	'Etc/Zulu': 'UTC',
	Zulu: 'UTC',
	Z: 'UTC',
	GMT: 'UTC',
	'Etc/GMT': 'UTC',
	'Etc/GMT0': 'UTC',
	'Etc/Greenwich': 'UTC',
	Greenwich: 'UTC',
	'US/Eastern': 'America/New_York',
	'US/Central': 'America/Chicago',
	'US/Mountain': 'America/Denver',
	'US/Pacific': 'America/Los_Angeles',
	'US/Alaska': 'America/Anchorage',
	'US/Hawaii': 'Pacific/Honolulu',
	'US/Arizona': 'America/Phoenix',
	'US/East-Indiana': 'America/Indiana/Indianapolis',
	'US/Indiana-Starke': 'America/Indiana/Knox',
	'US/Michigan': 'America/Detroit',
	'US/Aleutian': 'America/Adak',
	'US/Samoa': 'Pacific/Pago_Pago',
	EST5EDT: 'America/New_York',
	CST6CDT: 'America/Chicago',
	MST7MDT: 'America/Denver',
	PST8PDT: 'America/Los_Angeles',
	'Canada/Atlantic': 'America/Halifax',
	'Canada/Central': 'America/Winnipeg',
	'Canada/Eastern': 'America/Toronto',
	'Canada/Mountain': 'America/Edmonton',
	'Canada/Newfoundland': 'America/St_Johns',
	'Canada/Pacific': 'America/Vancouver',
	'Canada/Saskatchewan': 'America/Regina',
	'Canada/Yukon': 'America/Whitehorse',
	'Mexico/General': 'America/Mexico_City',
	'Mexico/BajaNorte': 'America/Tijuana',
	'Mexico/BajaSur': 'America/Mazatlan',
	'Brazil/East': 'America/Sao_Paulo',
	'Brazil/West': 'America/Manaus',
	'Chile/Continental': 'America/Santiago',
	'Australia/ACT': 'Australia/Sydney',
	'Australia/NSW': 'Australia/Sydney',
	'Australia/Canberra': 'Australia/Sydney',
	'Australia/North': 'Australia/Darwin',
	'Australia/Queensland': 'Australia/Brisbane',
	'Australia/South': 'Australia/Adelaide',
	'Australia/Tasmania': 'Australia/Hobart',
	'Australia/Victoria': 'Australia/Melbourne',
	'Australia/West': 'Australia/Perth',
	'Asia/Calcutta': 'Asia/Kolkata',
	'Asia/Saigon': 'Asia/Ho_Chi_Minh',
	'Asia/Katmandu': 'Asia/Kathmandu',
	'Asia/Rangoon': 'Asia/Yangon',
	'Asia/Dacca': 'Asia/Dhaka',
	'Asia/Thimbu': 'Asia/Thimphu',
	'Asia/Ulan_Bator': 'Asia/Ulaanbaatar',
	'Asia/Macao': 'Asia/Macau',
	'Asia/Ujung_Pandang': 'Asia/Makassar',
	'Asia/Ashkhabad': 'Asia/Ashgabat',
	'Asia/Chongqing': 'Asia/Shanghai',
	'Asia/Chungking': 'Asia/Shanghai',
	'Asia/Choibalsan': 'Asia/Ulaanbaatar',
	'Asia/Harbin': 'Asia/Shanghai',
	'Asia/Tel_Aviv': 'Asia/Jerusalem',
	'Asia/Istanbul': 'Europe/Istanbul',
	'Europe/Kiev': 'Europe/Kyiv',
	'Europe/Belfast': 'Europe/London',
	'Europe/Nicosia': 'Asia/Nicosia',
	'Europe/Tiraspol': 'Europe/Chisinau',
	'America/Buenos_Aires': 'America/Argentina/Buenos_Aires',
	'America/Catamarca': 'America/Argentina/Catamarca',
	'America/Cordoba': 'America/Argentina/Cordoba',
	'America/Jujuy': 'America/Argentina/Jujuy',
	'America/Mendoza': 'America/Argentina/Mendoza',
	'America/Godthab': 'America/Nuuk',
	'America/Indianapolis': 'America/Indiana/Indianapolis',
	'America/Fort_Wayne': 'America/Indiana/Indianapolis',
	'America/Louisville': 'America/Kentucky/Louisville',
	'America/Knox_IN': 'America/Indiana/Knox',
	'America/Montreal': 'America/Toronto',
	'America/Shiprock': 'America/Denver',
	'America/Ensenada': 'America/Tijuana',
	'America/Santa_Isabel': 'America/Tijuana',
	'America/Porto_Acre': 'America/Rio_Branco',
	'America/Atka': 'America/Adak',
	'America/Virgin': 'America/St_Thomas',
	'Atlantic/Faeroe': 'Atlantic/Faroe',
	'Atlantic/Jan_Mayen': 'Europe/Oslo',
	'Pacific/Truk': 'Pacific/Chuuk',
	'Pacific/Yap': 'Pacific/Chuuk',
	'Pacific/Ponape': 'Pacific/Pohnpei',
	'Pacific/Samoa': 'Pacific/Pago_Pago',
	'Pacific/Enderbury': 'Pacific/Kanton',
	'Pacific/Johnston': 'Pacific/Honolulu',
	'Africa/Asmera': 'Africa/Asmara',
	'Africa/Timbuktu': 'Africa/Bamako',
	'Antarctica/South_Pole': 'Pacific/Auckland',
	Cuba: 'America/Havana',
	Egypt: 'Africa/Cairo',
	Eire: 'Europe/Dublin',
	GB: 'Europe/London',
	'GB-Eire': 'Europe/London',
	Hongkong: 'Asia/Hong_Kong',
	Iceland: 'Atlantic/Reykjavik',
	Iran: 'Asia/Tehran',
	Israel: 'Asia/Jerusalem',
	Jamaica: 'America/Jamaica',
	Japan: 'Asia/Tokyo',
	Libya: 'Africa/Tripoli',
	NZ: 'Pacific/Auckland',
	'NZ-CHAT': 'Pacific/Chatham',
	Navajo: 'America/Denver',
	PRC: 'Asia/Shanghai',
	Poland: 'Europe/Warsaw',
	Portugal: 'Europe/Lisbon',
	ROC: 'Asia/Taipei',
	ROK: 'Asia/Seoul',
	Singapore: 'Asia/Singapore',
	Turkey: 'Europe/Istanbul',
	'W-SU': 'Europe/Moscow'
};

const BY_LOWER = new Map<string, string>();
for (const name of timeZonesNames) BY_LOWER.set(name.toLowerCase(), name);
for (const [alias, canonical] of Object.entries(ALIASES))
	BY_LOWER.set(alias.toLowerCase(), canonical);

export type TimezoneResult = { ok: true; timezone: string } | { ok: false; reason: string };

/** Cleans one timezone cell; empty input is `{ ok: true, timezone: '' }`. */
export function normalizeTimezone(raw: string): TimezoneResult {
	// Files repeat a handful of zones: answer repeats from a small cache (results are immutable).
	const hit = seen.get(raw);
	if (hit) return hit;
	const result = lookup(raw);
	if (seen.size >= 1000) seen.clear();
	seen.set(raw, result);
	return result;
}

const seen = new Map<string, TimezoneResult>();

function lookup(raw: string): TimezoneResult {
	const text = raw.trim().replace(/\s+/g, '_');
	if (text === '') return { ok: true, timezone: '' };
	const canonical = BY_LOWER.get(text.toLowerCase());
	if (canonical) return { ok: true, timezone: canonical };
	return { ok: false, reason: 'Not a time zone name (use an IANA name such as America/New_York)' };
}
