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
import type { CallaroDb } from './database';
import { bumpKeyEpoch } from './contact-keys';
import { appendIndexChunk } from './contact-index-repo';

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
	const saved: Contact = {
		...base,
		createdAt: original.createdAt,
		createdByJob: original.createdByJob,
		lastJobId: original.lastJobId
	};
	const moved = phone.e164 !== original.phone;
	await db.transaction('rw', db.contacts, db.settings, db.contactIndex, async () => {
		if (moved) {
			if (await db.contacts.get(phone.e164)) {
				throw new Error(`Phone: another contact already has ${phone.e164}.`);
			}
			await db.contacts.delete(original.phone);
			// A new key: a running import must not trust its snapshot of keys any more.
			await bumpKeyEpoch(db);
		}
		await db.contacts.put(saved);
		await appendIndexChunk(db, [saved], moved ? [original.phone] : []);
	});
	return saved.phone;
}

/** Deletes a contact. */
export async function deleteContact(db: CallaroDb, phone: string): Promise<void> {
	await db.transaction('rw', db.contacts, db.contactIndex, async () => {
		await db.contacts.delete(phone);
		await appendIndexChunk(db, [], [phone]);
	});
}
