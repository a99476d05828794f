/**
 * Reading and editing contacts. Search, tag filter and import filter are all served by the one
 * multi-entry `search` index (see `withIndexes`), so they stay fast at a million contacts.
 */
import { getCountryCallingCode, type CountryCode } from 'libphonenumber-js/max';
import { newContact, withIndexes, type Contact, type ContactFields } from '$lib/domain/contact';
import { isSupportedCountry, normalizePhone } from '$lib/domain/phone';
import { normalizeEmail } from '$lib/domain/email';
import { normalizeTimezone } from '$lib/domain/timezone';
import { parseTags } from '$lib/domain/tags';
import { cleanText } from '$lib/domain/text';
import type { CallaroDb } from './database';
import { bumpKeyEpoch } from './contact-keys';

/** What the contact list shows: everyone, or one tag, or one import. */
export type ContactFilter =
	{ kind: 'all' } | { kind: 'tag'; tag: string } | { kind: 'import'; jobId: string };
export type ContactSort = 'name' | 'phone';

/** Total number of contacts. */
export function contactCount(db: CallaroDb): Promise<number> {
	return db.contacts.count();
}

function filterToken(filter: ContactFilter): string | null {
	if (filter.kind === 'tag') return `t:${filter.tag.toLowerCase()}`;
	if (filter.kind === 'import') return `i:${filter.jobId}`;
	return null;
}

/** How many contacts a filter shows. */
export function filteredCount(db: CallaroDb, filter: ContactFilter): Promise<number> {
	const token = filterToken(filter);
	return token ? db.contacts.where('search').equals(token).count() : db.contacts.count();
}

/** One page of the list, in the chosen order (filtered lists are in phone order). */
export function contactPage(
	db: CallaroDb,
	filter: ContactFilter,
	sort: ContactSort,
	offset: number,
	limit: number
): Promise<Contact[]> {
	const token = filterToken(filter);
	const collection = token
		? db.contacts.where('search').equals(token)
		: db.contacts.orderBy(sort === 'name' ? 'sortName' : ':id');
	return collection.offset(offset).limit(limit).toArray();
}

/**
 * Digit prefixes a phone-like query can match in the stored E.164 phones: the digits as typed, and
 * with the default country's calling code in front (a national number, its trunk 0 dropped).
 */
export function phonePrefixes(query: string, defaultCountry?: string): string[] {
	const digits = query.replace(/\D/g, '');
	if (digits.length < 3) return [];
	const prefixes = new Set([digits.replace(/^00/, '')]);
	if (!query.trim().startsWith('+') && defaultCountry && isSupportedCountry(defaultCountry)) {
		prefixes.add(getCountryCallingCode(defaultCountry as CountryCode) + digits.replace(/^0/, ''));
	}
	return [...prefixes];
}

/**
 * Contacts matching `query` by prefix: any word of the first name, last name or company, the full
 * name, the email, or the phone in any format (normalised with the default country). Words after
 * the first narrow the result (every word must start some token).
 */
export async function searchContacts(
	db: CallaroDb,
	query: string,
	limit = 100,
	defaultCountry?: string
): Promise<Contact[]> {
	const q = query.trim().toLowerCase();
	if (q === '') return [];
	if (/^[\d\s()+\-.]+$/.test(q)) {
		const prefixes = phonePrefixes(q, defaultCountry);
		if (prefixes.length === 0) return [];
		// The primary key is the E.164 phone: '+' and the digits, so its order serves the prefix.
		return db.contacts
			.where(':id')
			.startsWithAnyOf(prefixes.map((p) => `+${p}`))
			.limit(limit)
			.toArray();
	}
	const words = q.split(/\s+/);
	const first = q.includes('@') ? q : words[0];
	const rest = q.includes('@') ? [] : words.slice(1);
	return db.contacts
		.where('search')
		.startsWith(first)
		.distinct()
		.filter((c) => rest.every((w) => (c.search ?? []).some((t) => t.startsWith(w))))
		.limit(limit)
		.toArray();
}

/** One contact by its E.164 phone. */
export function getContact(db: CallaroDb, phone: string): Promise<Contact | undefined> {
	return db.contacts.get(phone);
}

/** What the edit form sends: raw text, validated here by the import's rules. */
export interface ContactEdit {
	phone: string;
	firstName: string;
	lastName: string;
	email: string;
	company: string;
	tags: string;
	timezone: string;
	custom: Record<string, string>;
}

/**
 * Saves an edited contact, validated by the same rules as an import. A changed phone moves the
 * contact to its new key (refused if another contact has it). Returns the saved contact's phone;
 * throws an Error whose message names the field at fault.
 */
export async function saveContact(
	db: CallaroDb,
	original: Contact,
	edit: ContactEdit,
	defaultCountry: string
): Promise<string> {
	const phone = normalizePhone(edit.phone, defaultCountry);
	if (!phone.ok) throw new Error(`Phone: ${phone.reason}.`);
	const email = normalizeEmail(edit.email);
	if (!email.ok) throw new Error(`Email: ${email.reason}.`);
	const tz = normalizeTimezone(edit.timezone);
	if (!tz.ok) throw new Error(`Timezone: ${tz.reason}.`);
	const custom: Record<string, string> = {};
	for (const [key, value] of Object.entries(edit.custom)) {
		const clean = cleanText(value);
		if (clean) custom[key] = clean;
	}
	const fields: ContactFields = {
		firstName: cleanText(edit.firstName),
		lastName: cleanText(edit.lastName),
		company: cleanText(edit.company),
		email: email.email,
		timezone: tz.timezone,
		tags: parseTags(edit.tags),
		custom
	};
	const base = newContact(phone.e164, fields, Date.now());
	const saved: Contact = withIndexes({
		...base,
		createdAt: original.createdAt,
		createdByJob: original.createdByJob,
		lastJobId: original.lastJobId
	});
	await db.transaction('rw', db.contacts, db.settings, async () => {
		if (phone.e164 !== original.phone) {
			if (await db.contacts.get(phone.e164)) {
				throw new Error(`Phone: another contact already has ${phone.e164}.`);
			}
			await db.contacts.delete(original.phone);
			// A new key: a running import must not trust its snapshot of keys any more.
			await bumpKeyEpoch(db);
		}
		await db.contacts.put(saved);
	});
	return saved.phone;
}

/** Deletes a contact. */
export async function deleteContact(db: CallaroDb, phone: string): Promise<void> {
	await db.contacts.delete(phone);
}
