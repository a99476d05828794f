/**
 * Full scans over contacts, page by page in primary-key order (runs in the worker): segment counts,
 * segment members, segment export, and how many contacts hold a custom field. Cancellable between
 * pages; memory holds one page at a time (plus the matching phones when members are asked for).
 */
import { customValue, type Contact } from '$lib/domain/contact';
import { csvLine } from '$lib/domain/csv-writer';
import { STANDARD_FIELDS, type CustomFieldDef } from '$lib/domain/fields';
import { matchesSegment, type SegmentDefinition } from '$lib/domain/segments';
import type { CallaroDb } from '$lib/db/database';

const PAGE = 10_000;

export class Cancelled extends Error {}

/** Calls `visit` for every contact, page by page; stops when `isCancelled()` turns true. */
export async function scanContacts(
	db: CallaroDb,
	visit: (page: Contact[]) => void,
	isCancelled: () => boolean = () => false
): Promise<void> {
	let after: string | undefined;
	for (;;) {
		if (isCancelled()) throw new Cancelled();
		const page = await (
			after === undefined ? db.contacts.orderBy(':id') : db.contacts.where(':id').above(after)
		)
			.limit(PAGE)
			.toArray();
		if (page.length === 0) return;
		visit(page);
		after = page[page.length - 1].phone;
	}
}

/** How many contacts the segment holds. */
export async function countSegment(
	db: CallaroDb,
	def: SegmentDefinition,
	isCancelled?: () => boolean
): Promise<number> {
	let n = 0;
	await scanContacts(
		db,
		(page) => {
			for (const c of page) if (matchesSegment(c, def)) n++;
		},
		isCancelled
	);
	return n;
}

/** The phones of the segment's contacts, in phone order. */
export async function segmentPhones(db: CallaroDb, def: SegmentDefinition): Promise<string[]> {
	const phones: string[] = [];
	await scanContacts(db, (page) => {
		for (const c of page) if (matchesSegment(c, def)) phones.push(c.phone);
	});
	return phones;
}

/** The segment's contacts as a formula-safe CSV (the same writer as the error report). */
export async function exportSegment(
	db: CallaroDb,
	def: SegmentDefinition,
	fields: CustomFieldDef[]
): Promise<Blob> {
	const parts = [csvLine([...STANDARD_FIELDS, ...fields.map((f) => f.key)])];
	await scanContacts(db, (page) => {
		let text = '';
		for (const c of page) {
			if (!matchesSegment(c, def)) continue;
			text += csvLine([
				c.phone,
				c.firstName ?? '',
				c.lastName ?? '',
				c.email ?? '',
				c.company ?? '',
				c.tags.join(', '),
				c.timezone ?? '',
				...fields.map((f) => customValue(c, f.key) ?? '')
			]);
		}
		parts.push(text);
	});
	return new Blob(parts, { type: 'text/csv;charset=utf-8' });
}

/** How many contacts hold a value for a custom field. */
export async function customFieldUsage(db: CallaroDb, key: string): Promise<number> {
	let n = 0;
	await scanContacts(db, (page) => {
		for (const c of page) if (customValue(c, key)) n++;
	});
	return n;
}
