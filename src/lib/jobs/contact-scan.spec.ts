import Papa from 'papaparse';
import { describe, expect, it } from 'vitest';
import { newContact } from '$lib/domain/contact';
import { phonePrefixes } from '$lib/domain/phone';
import { IndexReader, putContacts } from '$lib/db/contact-index-repo';
import { freshDb, threeContacts } from '$support/test-db';
import { ContactIndex } from '$lib/domain/contact-index';
import { encodeChunk } from '$lib/domain/index-chunk';
import { deleteContact } from '$lib/db/contacts-repo';
import {
	exportSegment,
	listPage,
	searchContacts,
	searchReadSoFar,
	segmentPhones
} from './contact-scan';

async function seeded() {
	const db = await threeContacts();
	return { db, index: await new IndexReader(db).current() };
}

describe('searchContacts', () => {
	it('finds by prefix of any name word, full name, email and company', async () => {
		const { db, index } = await seeded();
		const names = async (q: string) =>
			(await searchContacts(db, index, q, 100)).map((c) => c.firstName);
		expect(await names('ad')).toEqual(['Bob', 'Ada']);
		expect(await names('Ada K')).toEqual(['Ada']);
		expect(await names('ada@')).toEqual(['Ada']);
		expect(await names('initech')).toEqual(['Bob']);
		expect(await names('corp')).toEqual(['Ada']);
		expect(await names('west')).toEqual(['Bob']);
		expect(await names('zz')).toEqual([]);
	});

	it('finds by phone in any format, national numbers through the default country', async () => {
		const { db, index } = await seeded();
		const phones = async (q: string, country = 'US') =>
			(await searchContacts(db, index, q, 10, country)).map((c) => c.phone).sort();
		expect(await phones('(415) 555-0101')).toEqual(['+14155550101']);
		expect(await phones('+1 415 555')).toEqual(['+14155550101', '+14155550102']);
		expect(await phones('020 7946', 'GB')).toEqual(['+442079460958']);
		expect(await phones('0044 20 79')).toEqual(['+442079460958']);
		expect(phonePrefixes('12')).toEqual([]);
	});
});

describe('searchReadSoFar', () => {
	it('returns only contacts that match as stored now, though the chunks read are older', async () => {
		const db = freshDb();
		const zoe = (phone: string, lastName: string) =>
			newContact(phone, { firstName: 'Zoë', lastName }, 0);
		const first = [
			zoe('+14155550101', 'Kept'),
			zoe('+14155550102', 'Renamed'),
			zoe('+14155550103', 'Deleted'),
			zoe('+14155550104', 'Edited')
		];
		await putContacts(db, first);
		// What the index read so far holds: the first chunk only.
		const partial = new ContactIndex();
		partial.apply(encodeChunk(first));
		// Then, in chunks not read yet: one no longer matches, one is gone, one changed and
		// still matches, and one new contact matches.
		await putContacts(db, [
			newContact('+14155550102', { firstName: 'Ada', lastName: 'Renamed' }, 0)
		]);
		await deleteContact(db, '+14155550103');
		await putContacts(db, [zoe('+14155550104', 'Changed')]);
		await putContacts(db, [zoe('+14155550105', 'New')]);
		const found = await searchReadSoFar(db, partial, 'zoë', 100);
		expect(found.map((c) => [c.phone, c.lastName])).toEqual([
			['+14155550104', 'Changed'],
			['+14155550101', 'Kept']
		]);
		// Exactly what a search over everything finds, but for the contact not read yet.
		const all = await searchContacts(db, await new IndexReader(db).current(), 'zoë', 100);
		expect(all.map((c) => c.phone)).toEqual(['+14155550104', '+14155550101', '+14155550105']);
		// By phone too, with the same check.
		const byPhone = await searchReadSoFar(db, partial, '(415) 555-010', 100, 'US');
		expect(byPhone.map((c) => c.phone).sort()).toEqual([
			'+14155550101',
			'+14155550102',
			'+14155550104'
		]);
	});
});

describe('listPage', () => {
	it('filters by tag and by import, pages in name order', async () => {
		const { db, index } = await seeded();
		expect((await listPage(db, index, { kind: 'tag', tag: 'VIP' }, 'name', 0, 10)).total).toBe(2);
		expect((await listPage(db, index, { kind: 'import', jobId: 'j2' }, 'name', 0, 10)).total).toBe(
			1
		);
		const names = async (offset: number, limit: number) =>
			(await listPage(db, index, { kind: 'all' }, 'name', offset, limit)).contacts.map(
				(c) => c?.lastName
			);
		expect(await names(0, 10)).toEqual(['Adams', 'King', 'Lee']);
		expect(await names(1, 1)).toEqual(['King']);
		// A contact deleted after the index was read keeps its place (no row shifts).
		await db.contacts.delete('+14155550101');
		expect(await names(0, 10)).toEqual(['Adams', undefined, 'Lee']);
	});
});

describe('segments', () => {
	// It checks an outcome, not a time: writing its contacts through fake IndexedDB takes a few
	// seconds on a quiet machine and more on a busy one, past vitest's 5 s default.
	it('lists and exports a segment as formula-safe CSV', async () => {
		const db = freshDb();
		await putContacts(
			db,
			Array.from({ length: 25_000 }, (_, i) =>
				newContact(
					`+1212${String(2000000 + i)}`,
					{
						firstName: i % 2 ? 'Odd' : 'Even',
						tags: i % 5 === 0 ? ['vip'] : [],
						custom: i % 3 === 0 ? { region: '=West' } : {}
					},
					0
				)
			)
		);
		const index = await new IndexReader(db).current();
		const def = {
			groups: [
				[
					{ field: 'tags' as const, operator: 'has_tag' as const, value: 'VIP' },
					{ field: 'first_name' as const, operator: 'equals' as const, value: 'even' }
				]
			]
		};
		expect(index.count(def)).toBe(2500);
		const phones = segmentPhones(index, def);
		expect(phones).toHaveLength(2500);
		expect(phones[0]).toBe('+12122000000');
		expect(index.usage('region')).toBe(8334);
		const csv = Papa.parse<string[]>(
			await (
				await exportSegment(db, index, def, [
					{ key: 'region', label: 'Region', type: 'text', createdAt: 0 }
				])
			).text(),
			{ skipEmptyLines: true }
		).data;
		expect(csv[0]).toEqual([
			'phone',
			'first_name',
			'last_name',
			'email',
			'company',
			'tags',
			'timezone',
			'owner',
			'do_not_call',
			'region'
		]);
		expect(csv).toHaveLength(2501);
		expect(csv[1][0]).toBe('+12122000000');
		expect(csv[1][8]).toBe('no');
		expect(csv[1][9]).toBe("'=West");
	}, 60_000);
});
