/**
 * The stored contact and how imported values land on it: created new, or merged into an existing
 * contact under the *update* policy (non-empty imported values overwrite, tags are merged).
 */
import { mergeTags } from './tags';

/** Values a row brings; a field absent or '' brings nothing. */
export interface ContactFields {
	firstName?: string;
	lastName?: string;
	email?: string;
	company?: string;
	tags?: readonly string[];
	timezone?: string;
	/** Who in the team the contact belongs to: a member's email or name. */
	owner?: string;
	/**
	 * The zone the row's phone number lies in, for a row with none of its own: it fills a contact
	 * that has no time zone and never replaces one (it is derived, not a value the file brought).
	 */
	timezoneFromPhone?: string;
	custom?: Record<string, string>;
}

/** A stored contact. The E.164 phone is its key (duplicates are found by it). */
export interface Contact {
	phone: string;
	firstName?: string;
	lastName?: string;
	email?: string;
	company?: string;
	tags: readonly string[];
	timezone?: string;
	/** Who in the team the contact belongs to: a member's email or name. */
	owner?: string;
	custom: Record<string, string>;
	createdAt: number;
	updatedAt: number;
	/**
	 * The device whose write this version is, when it is another device's (pulled from the
	 * backend); absent for this device's own writes. With `updatedAt` it is the contact's version
	 * for last writer wins, and it tells the outbox not to push another device's write back.
	 */
	updatedBy?: string;
	/** The import that created the contact, if one did. */
	createdByJob?: string;
	/** The last import that created or updated the contact. */
	lastJobId?: string;
}

/**
 * Index fields that schema v3–v5 stored on every contact. Used only by the v3 upgrade of the
 * database, whose result must not change (a shipped upgrade is never edited); schema v6 has no
 * such indexes (search, segments and the list are served by index chunks, see index-chunk.ts).
 * What it computes:
 * - `sortName`: "last first", else company, else the phone after every named contact;
 * - `search`: lower-cased prefix targets — each name and company word, the email, `t:<tag>` per
 *   tag and `i:<import id>` for the imports that wrote it.
 * One multi-entry index serves search, tag filter and import filter, so writes pay for one index.
 * The phone has no token: it is the primary key, whose order answers a phone prefix search, and
 * each index entry costs write time.
 */
export function withIndexes(contact: Contact): Contact & { sortName: string; search: string[] } {
	const lower = (v?: string) => (v ?? '').toLowerCase();
	const first = lower(contact.firstName);
	const last = lower(contact.lastName);
	const company = lower(contact.company);
	const named = `${last} ${first}`.trim() || company;
	const tokens = new Set<string>();
	// Words, not whole phrases: "ada k" is answered by the prefix "ada" and a filter on "k", so
	// whole names and company names need no entries of their own (each entry costs write time).
	for (const text of [first, last, company]) {
		for (const w of text.split(/[\s,;.()]+/)) if (w) tokens.add(w);
	}
	if (contact.email) tokens.add(lower(contact.email));
	for (const t of contact.tags ?? []) tokens.add(`t:${t.toLowerCase()}`);
	if (contact.createdByJob) tokens.add(`i:${contact.createdByJob}`);
	if (contact.lastJobId) tokens.add(`i:${contact.lastJobId}`);
	return { ...contact, sortName: named || `\uffff${contact.phone}`, search: [...tokens] };
}

const SCALARS = ['firstName', 'lastName', 'email', 'company', 'timezone', 'owner'] as const;

/** A new contact from imported values. */
export function newContact(
	phone: string,
	fields: ContactFields,
	now: number,
	jobId?: string
): Contact {
	const contact: Contact = {
		phone,
		tags: fields.tags ?? [],
		custom: { ...fields.custom },
		createdAt: now,
		updatedAt: now,
		createdByJob: jobId,
		lastJobId: jobId
	};
	for (const key of SCALARS) if (fields[key]) contact[key] = fields[key];
	if (!contact.timezone && fields.timezoneFromPhone) contact.timezone = fields.timezoneFromPhone;
	return contact;
}

/**
 * Merges imported values into an existing contact (the *update* policy). Returns the merged copy
 * and whether any value changed; `existing` is not modified.
 */
export function mergeContact(
	existing: Contact,
	fields: ContactFields,
	now: number,
	jobId?: string
): { contact: Contact; changed: boolean } {
	const contact: Contact = {
		...existing,
		tags: [...(existing.tags ?? [])],
		custom: { ...existing.custom }
	};
	let changed = false;
	for (const key of SCALARS) {
		const value = fields[key];
		if (value && value !== existing[key]) {
			contact[key] = value;
			changed = true;
		}
	}
	if (!contact.timezone && fields.timezoneFromPhone) {
		contact.timezone = fields.timezoneFromPhone;
		changed = true;
	}
	if (fields.tags && fields.tags.length > 0) {
		const merged = mergeTags(contact.tags, fields.tags);
		if (merged.length !== contact.tags.length) changed = true;
		contact.tags = merged;
	}
	for (const [key, value] of Object.entries(fields.custom ?? {})) {
		if (value && customValue(contact, key) !== value) {
			contact.custom[key] = value;
			changed = true;
		}
	}
	if (changed) {
		contact.updatedAt = nextVersion(existing, now);
		// This device's write now.
		delete contact.updatedBy;
	}
	contact.lastJobId = jobId ?? existing.lastJobId;
	return { contact, changed };
}

/**
 * Undoes an import's update of one contact: every field the import changed goes back to its value
 * before the import, unless it changed again since (then the later value stays).
 */
export function revertContact(current: Contact, before: Contact, after: Contact): Contact {
	const out: Contact = { ...current, tags: [...current.tags], custom: { ...current.custom } };
	for (const key of SCALARS) {
		if (current[key] === after[key] && before[key] !== after[key]) {
			if (before[key] === undefined) delete out[key];
			else out[key] = before[key];
		}
	}
	if (sameList(current.tags, after.tags)) out.tags = [...before.tags];
	const keys = new Set([...Object.keys(before.custom), ...Object.keys(after.custom)]);
	for (const key of keys) {
		const was = customValue(before, key);
		if (customValue(current, key) === customValue(after, key) && was !== customValue(after, key)) {
			if (was === undefined) delete out.custom[key];
			else out.custom[key] = was;
		}
	}
	out.lastJobId = before.lastJobId;
	out.updatedAt = before.updatedAt;
	return out;
}

function sameList(a: readonly string[], b: readonly string[]): boolean {
	return a.length === b.length && a.every((v, i) => v === b[i]);
}

/**
 * A custom field's value, or undefined. Reads own properties only: a key such as `constructor`
 * must not find Object.prototype's member on a contact that has no such value.
 */
export function customValue(contact: Pick<Contact, 'custom'>, key: string): string | undefined {
	return Object.hasOwn(contact.custom, key) ? contact.custom[key] : undefined;
}

/** The name a contact is shown by: first and last name, else company, else phone. */
export function displayName(
	contact: Pick<Contact, 'firstName' | 'lastName' | 'company' | 'phone'>
): string {
	const name = [contact.firstName, contact.lastName].filter(Boolean).join(' ');
	return name || contact.company || contact.phone;
}

/**
 * The time to stamp on a new write of `existing` made at `now`: never earlier than, nor equal to,
 * its last write. The backend keeps the write with the later time (last writer wins), so two
 * changes of one contact within the same millisecond, or after the clock moved back, still reach
 * it in the order they were made.
 */
export function nextVersion(existing: { updatedAt: number } | undefined, now: number): number {
	return existing ? Math.max(now, existing.updatedAt + 1) : now;
}
