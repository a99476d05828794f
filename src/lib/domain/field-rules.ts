/**
 * The field rules, once: how each text field of a contact is cleaned and how long it may be. The
 * import applies them to every row (a value that breaks one is left out with a warning naming
 * its row and column, and the row is imported); an edit applies the same rules and refuses the
 * save with the field's message, since the person is there to correct it.
 *
 * The limits are the sync protocol's own, so no contact the app keeps is refused when it syncs.
 */
import type { ContactFields } from './contact';
import { normalizeEmail } from './email';
import { FIELD_LIMITS } from './fields';
import { normalizePhone } from './phone';
import { parseTags } from './tags';
import { cleanText } from './text';
import { normalizeTimezone } from './timezone';

/** The text fields the rules cover (a custom field's value is `custom`; one tag is `tag`). */
export type RuledField =
	'first_name' | 'last_name' | 'company' | 'owner' | 'email' | 'tag' | 'custom';

interface FieldRule {
	/** How the field is named to a person. */
	label: string;
	limit: number;
	/** The value the contact keeps, or why the cell holds none (the length is checked after). */
	clean(raw: string): string | { reason: string };
}

const plain = (raw: string) => cleanText(raw);

export const FIELD_RULES: Record<RuledField, FieldRule> = {
	first_name: { label: 'First name', limit: FIELD_LIMITS.name, clean: plain },
	last_name: { label: 'Last name', limit: FIELD_LIMITS.name, clean: plain },
	company: { label: 'Company', limit: FIELD_LIMITS.company, clean: plain },
	owner: { label: 'Owner', limit: FIELD_LIMITS.owner, clean: plain },
	email: {
		label: 'Email',
		limit: FIELD_LIMITS.email,
		clean(raw) {
			const email = normalizeEmail(raw);
			return email.ok ? email.email : { reason: email.reason };
		}
	},
	tag: { label: 'Tags', limit: FIELD_LIMITS.tag, clean: plain },
	custom: { label: 'Custom field', limit: FIELD_LIMITS.customValue, clean: plain }
};

/** The most tags a contact keeps. */
export const MAX_TAGS = FIELD_LIMITS.tags;

/** Why a value breaks its field's rule. */
export type FieldProblem =
	| { kind: 'invalid_email'; reason: string }
	| { kind: 'too_long'; length: number; limit: number; value: string };

/**
 * A field's value after its rule: the string the contact keeps (possibly empty), or the
 * problem. Allocates nothing when the value passes (the import runs this for every cell).
 */
export function applyFieldRule(field: RuledField, raw: string): string | FieldProblem {
	const rule = FIELD_RULES[field];
	const value = rule.clean(raw);
	if (typeof value !== 'string') return { kind: 'invalid_email', reason: value.reason };
	if (value.length > rule.limit) {
		return { kind: 'too_long', length: value.length, limit: rule.limit, value };
	}
	return value;
}

const count = (n: number) => n.toLocaleString('en-US');

/** The import's words for a problem: the value is left out, the row goes on. */
export function importReason(problem: FieldProblem): string {
	return problem.kind === 'too_long'
		? `${count(problem.length)} characters; the backend keeps at most ${count(problem.limit)}, so the value was left out`
		: problem.reason;
}

/** An edit's words for a problem: `label` is the field as the form names it. */
export function editRefusal(label: string, problem: FieldProblem): string {
	return problem.kind === 'too_long'
		? `${label}: ${count(problem.length)} characters; at most ${count(problem.limit)}.`
		: `${label}: ${problem.reason}.`;
}

/** What the contact form sends: every field as typed. */
export interface ContactEditText {
	phone: string;
	firstName: string;
	lastName: string;
	email: string;
	company: string;
	tags: string;
	timezone: string;
	/** Absent from forms written before the field existed: no owner. */
	owner?: string;
	custom: Record<string, string>;
}

/**
 * An edit through the same rules as an import: the contact's phone and fields, or the message
 * that refuses the save (it names the field at fault).
 */
export function checkEdit(
	edit: ContactEditText,
	defaultCountry: string
): { ok: true; phone: string; fields: ContactFields } | { ok: false; message: string } {
	const phone = normalizePhone(edit.phone, defaultCountry);
	if (!phone.ok) return { ok: false, message: `Phone: ${phone.reason}.` };
	const tz = normalizeTimezone(edit.timezone);
	if (!tz.ok) return { ok: false, message: `Timezone: ${tz.reason}.` };
	const refused = (label: string, field: RuledField, raw: string): string | { message: string } => {
		const value = applyFieldRule(field, raw);
		return typeof value === 'string' ? value : { message: editRefusal(label, value) };
	};
	const email = refused('Email', 'email', edit.email);
	if (typeof email !== 'string') return { ok: false, ...email };
	const custom: Record<string, string> = {};
	for (const [key, raw] of Object.entries(edit.custom)) {
		const value = refused(key, 'custom', raw);
		if (typeof value !== 'string') return { ok: false, ...value };
		if (value) custom[key] = value;
	}
	const tags = parseTags(edit.tags);
	for (const tag of tags) {
		const value = refused('Tags', 'tag', tag);
		if (typeof value !== 'string') return { ok: false, ...value };
	}
	if (tags.length > MAX_TAGS) {
		return { ok: false, message: `Tags: ${tags.length} tags; at most ${MAX_TAGS}.` };
	}
	const firstName = refused('First name', 'first_name', edit.firstName);
	if (typeof firstName !== 'string') return { ok: false, ...firstName };
	const lastName = refused('Last name', 'last_name', edit.lastName);
	if (typeof lastName !== 'string') return { ok: false, ...lastName };
	const company = refused('Company', 'company', edit.company);
	if (typeof company !== 'string') return { ok: false, ...company };
	const owner = refused('Owner', 'owner', edit.owner ?? '');
	if (typeof owner !== 'string') return { ok: false, ...owner };
	return {
		ok: true,
		phone: phone.e164,
		fields: {
			firstName,
			lastName,
			company,
			owner,
			email: email || undefined,
			timezone: tz.timezone,
			tags,
			custom
		}
	};
}
