/**
 * Reading contacts for the list and detail pages.
 */
import type { Contact } from '$lib/domain/contact';
import type { CallaroDb } from './database';

/** Total number of contacts. */
export function contactCount(db: CallaroDb): Promise<number> {
	return db.contacts.count();
}

/**
 * Contacts matching `query` (case-insensitive prefix of first name, last name, full name, email,
 * company, or the phone's digits), at most `limit`, in phone order. An empty query lists the first
 * contacts. The scan stops as soon as `limit` matches are found.
 */
export function searchContacts(db: CallaroDb, query: string, limit = 50): Promise<Contact[]> {
	const q = query.trim().toLowerCase();
	if (q === '') return db.contacts.limit(limit).toArray();
	const digits = q.replace(/\D/g, '');
	const phoneQuery = digits.length >= 3 && /^[\d\s()+\-.]+$/.test(q) ? digits : null;
	const starts = (v: string | undefined) => !!v && v.toLowerCase().startsWith(q);
	return db.contacts
		.filter((c) => {
			if (phoneQuery) {
				const e164 = c.phone.slice(1);
				return e164.startsWith(phoneQuery) || e164.includes(phoneQuery);
			}
			const full = [c.firstName, c.lastName].filter(Boolean).join(' ');
			return (
				starts(c.firstName) ||
				starts(c.lastName) ||
				starts(full) ||
				starts(c.email) ||
				starts(c.company)
			);
		})
		.limit(limit)
		.toArray();
}

/** One contact by its E.164 phone. */
export function getContact(db: CallaroDb, phone: string): Promise<Contact | undefined> {
	return db.contacts.get(phone);
}
