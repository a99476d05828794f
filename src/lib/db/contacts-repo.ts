/**
 * Reading one contact and editing contacts. Every write appends its index chunk in the same
 * transaction (contact-index-repo.ts); lists, search and segments are the worker's (contact-scan).
 */
import { newContact, type Contact, type ContactFields } from '$lib/domain/contact';
import { normalizePhone } from '$lib/domain/phone';
import { normalizeEmail } from '$lib/domain/email';
import { normalizeTimezone } from '$lib/domain/timezone';
import { parseTags } from '$lib/domain/tags';
import { cleanText } from '$lib/domain/text';
import { FIELD_LIMITS } from '$lib/domain/fields';
import type { CallaroDb } from './database';
import { changeTime, contactTables, writeContactChange } from './contact-writes';
import { editId } from './outbox-repo';

/** One contact by its E.164 phone. */
/** The contacts with these phones, in their order; a phone with no contact is left out. */
export async function getContacts(db: CallaroDb, phones: string[]): Promise<Contact[]> {
	return (await db.contacts.bulkGet(phones)).filter((c): c is Contact => c !== undefined);
}

export function getContact(db: CallaroDb, phone: string): Promise<Contact | undefined> {
	return db.contacts.get(phone);
}

/** The contacts with these phones, in their order, `undefined` where none is stored. */
export function getContactSlots(db: CallaroDb, phones: string[]): Promise<(Contact | undefined)[]> {
	return db.contacts.bulkGet(phones);
}

/** Which of these phones have a contact (keys only: no contact is read). */
export async function existingPhones(db: CallaroDb, phones: string[]): Promise<Set<string>> {
	return new Set((await db.contacts.where(':id').anyOf(phones).primaryKeys()) as string[]);
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
	// The backend's limits, checked like the import's, but refused here: the person is editing.
	const capped = (label: string, value: string, limit: number) => {
		if (value.length > limit)
			throw new Error(
				`${label}: ${value.length.toLocaleString('en-US')} characters; at most ${limit.toLocaleString('en-US')}.`
			);
		return value;
	};
	const custom: Record<string, string> = {};
	for (const [key, value] of Object.entries(edit.custom)) {
		const clean = capped(key, cleanText(value), FIELD_LIMITS.customValue);
		if (clean) custom[key] = clean;
	}
	const tags = parseTags(edit.tags);
	for (const tag of tags) capped('Tags', tag, FIELD_LIMITS.tag);
	if (tags.length > FIELD_LIMITS.tags)
		throw new Error(`Tags: ${tags.length} tags; at most ${FIELD_LIMITS.tags}.`);
	const fields: ContactFields = {
		firstName: capped('First name', cleanText(edit.firstName), FIELD_LIMITS.name),
		lastName: capped('Last name', cleanText(edit.lastName), FIELD_LIMITS.name),
		company: capped('Company', cleanText(edit.company), FIELD_LIMITS.company),
		email: capped('Email', email.email ?? '', FIELD_LIMITS.email) || undefined,
		timezone: tz.timezone,
		tags,
		custom
	};
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
