/**
 * Queries over every contact, answered by the worker's in-memory index (contact-index.ts): the
 * count, search, the list in name or phone order, segment counts, members and export, and custom
 * field usage. Contact records are read only for the rows shown or exported, by key.
 */
import { getContacts, getContactSlots } from '$lib/db/contact-reads';
import type { Contact } from '$lib/domain/contact';
import { customValue } from '$lib/domain/contact';
import {
	ContactIndex,
	type ContactFilter,
	type ContactSort,
	type PhonePrefixes
} from '$lib/domain/contact-index';
import { encodeChunk } from '$lib/domain/index-chunk';
import { csvLine } from '$lib/domain/csv-writer';
import { STANDARD_FIELDS, type CustomFieldDef } from '$lib/domain/fields';
import type { SegmentClock, SegmentDefinition } from '$lib/domain/segments';
import { DoNotCallSet } from '$lib/domain/do-not-call';
import type { CallaroDb } from '$lib/db/database';

/** Contacts read per request when a whole segment is exported. */
const EXPORT_PAGE = 2000;

/** Contacts by phone, in the order given (a phone deleted meanwhile is left out). */
function contactsOf(db: CallaroDb, phones: string[]): Promise<Contact[]> {
	return getContacts(db, phones);
}

/**
 * One page of the list and how many contacts the filter shows. A contact deleted since the index
 * was read stays in its place as `undefined` (the list shows it loading until the next refresh),
 * so the rows after it do not shift.
 */
export async function listPage(
	db: CallaroDb,
	index: ContactIndex,
	filter: ContactFilter,
	sort: ContactSort,
	offset: number,
	limit: number
): Promise<{ total: number; contacts: (Contact | undefined)[] }> {
	const start = performance.now();
	const view = index.view(filter, sort);
	const ids = view.slice(offset, offset + limit);
	// The view's sort is built on first use: recorded so that a cold list open can be explained.
	performance.measure('list view', { start });
	return {
		total: view.length,
		contacts: await getContactSlots(
			db,
			Array.from(ids, (id) => index.phoneOf(id))
		)
	};
}

/** Up to `limit` contacts matching a search, sorted by name. */
export async function searchContacts(
	db: CallaroDb,
	index: ContactIndex,
	query: string,
	limit: number,
	defaultCountry?: string
): Promise<Contact[]> {
	const prefixes = await phonePrefixesFor(query, defaultCountry);
	const ids = index.sortByName(index.search(query, limit, prefixes));
	return contactsOf(
		db,
		Array.from(ids, (id) => index.phoneOf(id))
	);
}

/** How a query's phone-like part becomes E.164 digit prefixes (none for a name, say). */
async function phonePrefixesFor(query: string, defaultCountry?: string): Promise<PhonePrefixes> {
	// The phone metadata loads on the first phone-like search only (three digits or more, the
	// least phonePrefixes reads), so that a name search after a reload never waits on it.
	const phone = /(\d\D*){3}/.test(query) ? await import('$lib/domain/phone') : undefined;
	return (q) => phone?.phonePrefixes(q, defaultCountry) ?? [];
}

/**
 * A search over an index still being read (`IndexReader.partial`): up to `limit` contacts that
 * match now, in name order, from the chunks read so far. The chunks not read yet may hold a
 * newer version of a row found, or its deletion, so each contact is read as it is stored and
 * tested again by the same rule (a one-contact-per-row index over the records read): a contact
 * returned always matches, though some that match are not found yet.
 */
export async function searchReadSoFar(
	db: CallaroDb,
	partial: ContactIndex,
	query: string,
	limit: number,
	defaultCountry?: string
): Promise<Contact[]> {
	const prefixes = await phonePrefixesFor(query, defaultCountry);
	const ids = partial.search(query, limit, prefixes);
	const stored = await contactsOf(
		db,
		Array.from(ids, (id) => partial.phoneOf(id))
	);
	if (stored.length === 0) return [];
	const now = new ContactIndex();
	now.apply(encodeChunk(stored));
	return Array.from(
		now.sortByName(now.search(query, stored.length, prefixes)),
		(row) => stored[row]
	);
}

/** The phones of the segment's contacts, in phone order. */
export function segmentPhones(
	index: ContactIndex,
	def: SegmentDefinition,
	clock?: SegmentClock,
	doNotCall?: DoNotCallSet
): string[] {
	return Array.from(index.ids(def, clock, doNotCall), (id) => index.phoneOf(id)).sort();
}

/**
 * The segment's contacts as a formula-safe CSV (the same writer as the error report). Streams:
 * each page of contacts becomes a Blob of its own at once, so the browser can keep the bytes out
 * of the worker's heap, and one page of contacts is in memory at a time.
 */
export async function exportSegment(
	db: CallaroDb,
	index: ContactIndex,
	def: SegmentDefinition,
	fields: CustomFieldDef[],
	clock?: SegmentClock,
	doNotCall: DoNotCallSet = DoNotCallSet.EMPTY
): Promise<Blob> {
	const parts: Blob[] = [
		new Blob([csvLine([...STANDARD_FIELDS, 'do_not_call', ...fields.map((f) => f.key)])])
	];
	const phones = segmentPhones(index, def, clock, doNotCall);
	for (let start = 0; start < phones.length; start += EXPORT_PAGE) {
		let text = '';
		for (const c of await contactsOf(db, phones.slice(start, start + EXPORT_PAGE))) {
			text += csvLine([
				c.phone,
				c.firstName ?? '',
				c.lastName ?? '',
				c.email ?? '',
				c.company ?? '',
				c.tags.join(', '),
				c.timezone ?? '',
				c.owner ?? '',
				doNotCall.has(c.phone) ? 'yes' : 'no',
				...fields.map((f) => customValue(c, f.key) ?? '')
			]);
		}
		parts.push(new Blob([text]));
	}
	return new Blob(parts, { type: 'text/csv;charset=utf-8' });
}
