/**
 * The bulk reads behind the contacts list, search and segment exports. They live apart from the
 * edit rules (contacts-repo.ts), so that the worker answers its first contact query without
 * loading the validation libraries (phone metadata, the email schema) an edit needs.
 */
import type { Contact } from '$lib/domain/contact';
import type { CallaroDb } from './database';

/** The contacts with these phones, in their order; a phone with no contact is left out. */
export async function getContacts(db: CallaroDb, phones: string[]): Promise<Contact[]> {
	return (await db.contacts.bulkGet(phones)).filter((c): c is Contact => c !== undefined);
}

/** The contacts with these phones, in their order, `undefined` where none is stored. */
export function getContactSlots(db: CallaroDb, phones: string[]): Promise<(Contact | undefined)[]> {
	return db.contacts.bulkGet(phones);
}
