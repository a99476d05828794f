/**
 * Reading one contact and editing contacts. Every write appends its index chunk in the same
 * transaction (contact-index-repo.ts); lists, search and segments are the worker's (contact-scan).
 */
import { newContact, type Contact } from '$lib/domain/contact';
import { checkEdit, type ContactEditText } from '$lib/domain/field-rules';
import type { CallaroDb } from './database';
import { changeTime, contactTables, writeContactChange } from './contact-writes';
import { editId } from './outbox-repo';

/** One contact by its E.164 phone. */
export function getContact(db: CallaroDb, phone: string): Promise<Contact | undefined> {
	return db.contacts.get(phone);
}

/** Which of these phones have a contact (keys only: no contact is read). */
export async function existingPhones(db: CallaroDb, phones: string[]): Promise<Set<string>> {
	return new Set((await db.contacts.where(':id').anyOf(phones).primaryKeys()) as string[]);
}

/** What the edit form sends: raw text, validated by the import's rules (domain/field-rules). */
export type ContactEdit = ContactEditText;

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
	const checked = checkEdit(edit, defaultCountry);
	if (!checked.ok) throw new Error(checked.message);
	const { fields } = checked;
	const phone = { e164: checked.phone };
	const moved = phone.e164 !== original.phone;
	let saved: Contact | undefined;
	await db.transaction('rw', contactTables(db), async () => {
		const at = await changeTime(db, Date.now(), [original]);
		if (moved && (await db.contacts.get(phone.e164))) {
			throw new Error(`Phone: another contact already has ${phone.e164}.`);
		}
		saved = {
			...newContact(phone.e164, fields, at),
			createdAt: original.createdAt,
			createdByJob: original.createdByJob,
			lastJobId: original.lastJobId
		};
		// Synced with the edit itself: the new version, and the old phone's delete if it moved
		// (a new key: a running import must not trust its snapshot of keys any more).
		await writeContactChange(db, {
			puts: [saved],
			deletes: moved ? [original.phone] : [],
			newKeys: moved,
			at,
			sync: { id: editId(at), jobId: 'edit' }
		});
	});
	return saved!.phone;
}

/** Deletes a contact (with its tombstone, and queues the delete for sync, in one transaction). */
export async function deleteContact(db: CallaroDb, phone: string): Promise<void> {
	await db.transaction('rw', contactTables(db), async () => {
		const at = await changeTime(db, Date.now(), [await db.contacts.get(phone)]);
		await writeContactChange(db, {
			puts: [],
			deletes: [phone],
			newKeys: false,
			at,
			sync: { id: editId(at), jobId: 'edit' }
		});
	});
}
