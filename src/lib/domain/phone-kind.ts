/**
 * A phone number's type for calling: mobile, landline, VoIP, toll-free or unknown, from
 * libphonenumber-js's `max` metadata (the type `normalizePhone` already computes for every row).
 *
 * It is a pure function of the E.164 number (and of the metadata), so it is derived where it is
 * needed and never stored: contacts stored before it existed need no upgrade, and a newer
 * metadata release changes every place that shows it at once.
 */
import { normalizePhone } from './phone';

export const PHONE_KINDS = ['mobile', 'landline', 'voip', 'toll_free', 'unknown'] as const;
export type PhoneKind = (typeof PHONE_KINDS)[number];

/**
 * The kind of a libphonenumber-js number type. `FIXED_LINE_OR_MOBILE` (every US and Canadian
 * number: their plans do not tell the two apart) and the rarer types are `unknown`.
 */
export function kindOfType(type: string | undefined): PhoneKind {
	switch (type) {
		case 'MOBILE':
			return 'mobile';
		case 'FIXED_LINE':
			return 'landline';
		case 'VOIP':
			return 'voip';
		case 'TOLL_FREE':
			return 'toll_free';
		default:
			return 'unknown';
	}
}

/** The kind of a stored E.164 phone (`unknown` for one the metadata no longer finds valid). */
export function phoneKindOf(e164: string): PhoneKind {
	const phone = normalizePhone(e164);
	return phone.ok ? kindOfType(phone.type) : 'unknown';
}
