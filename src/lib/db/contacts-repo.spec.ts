import { describe, expect, it } from 'vitest';
import { newContact } from '$lib/domain/contact';
import { freshDb } from '$lib/jobs/test-support';
import {
	contactPage,
	filteredCount,
	phonePrefixes,
	saveContact,
	searchContacts
} from './contacts-repo';

async function seeded() {
	const db = freshDb();
	await db.contacts.bulkPut([
		newContact(
			'+14155550101',
			{
				firstName: 'Ada',
				lastName: 'King',
				email: 'ada@acme.io',
				company: 'Acme Corp',
				tags: ['VIP']
			},
			1,
			'j1'
		),
		newContact(
			'+14155550102',
			{ firstName: 'Bob', lastName: 'Adams', company: 'Initech', tags: ['vip', 'west'] },
			1,
			'j1'
		),
		newContact('+442079460958', { firstName: 'Cy', lastName: 'Lee' }, 1, 'j2')
	]);
	return db;
}

describe('searchContacts', () => {
	it('finds by prefix of any name word, full name, email and company', async () => {
		const db = await seeded();
		const names = async (q: string) => (await searchContacts(db, q)).map((c) => c.firstName).sort();
		expect(await names('ad')).toEqual(['Ada', 'Bob']);
		expect(await names('Ada K')).toEqual(['Ada']);
		expect(await names('ada@')).toEqual(['Ada']);
		expect(await names('initech')).toEqual(['Bob']);
		expect(await names('corp')).toEqual(['Ada']);
		expect(await names('zz')).toEqual([]);
	});

	it('finds by phone in any format, national numbers through the default country', async () => {
		const db = await seeded();
		const phones = async (q: string, country = 'US') =>
			(await searchContacts(db, q, 10, country)).map((c) => c.phone).sort();
		expect(await phones('(415) 555-0101')).toEqual(['+14155550101']);
		expect(await phones('+1 415 555')).toEqual(['+14155550101', '+14155550102']);
		expect(await phones('020 7946', 'GB')).toEqual(['+442079460958']);
		expect(await phones('0044 20 79')).toEqual(['+442079460958']);
		expect(phonePrefixes('12')).toEqual([]);
	});
});

describe('filters and pages', () => {
	it('filter by tag and by import, page by name', async () => {
		const db = await seeded();
		expect(await filteredCount(db, { kind: 'tag', tag: 'VIP' })).toBe(2);
		expect(await filteredCount(db, { kind: 'import', jobId: 'j2' })).toBe(1);
		expect((await contactPage(db, { kind: 'all' }, 'name', 0, 10)).map((c) => c.lastName)).toEqual([
			'Adams',
			'King',
			'Lee'
		]);
		expect((await contactPage(db, { kind: 'all' }, 'name', 1, 1)).map((c) => c.lastName)).toEqual([
			'King'
		]);
	});
});

describe('saveContact', () => {
	const edit = {
		phone: '(415) 555-0199',
		firstName: ' Ada ',
		lastName: 'King',
		email: 'ADA@Acme.io',
		company: '',
		tags: 'a; b',
		timezone: 'US/Pacific',
		custom: { region: ' West ' }
	};

	it('validates like an import and moves the contact to a new phone', async () => {
		const db = await seeded();
		const original = (await db.contacts.get('+14155550101'))!;
		expect(await saveContact(db, original, edit, 'US')).toBe('+14155550199');
		expect(await db.contacts.get('+14155550101')).toBeUndefined();
		expect(await db.contacts.get('+14155550199')).toMatchObject({
			firstName: 'Ada',
			email: 'ADA@acme.io',
			tags: ['a', 'b'],
			timezone: 'America/Los_Angeles',
			custom: { region: 'West' },
			createdByJob: 'j1'
		});
	});

	it('names the field at fault', async () => {
		const db = await seeded();
		const original = (await db.contacts.get('+14155550101'))!;
		await expect(saveContact(db, original, { ...edit, phone: 'abc' }, 'US')).rejects.toThrow(
			/^Phone: Not a phone number/
		);
		await expect(saveContact(db, original, { ...edit, email: 'x@' }, 'US')).rejects.toThrow(
			/^Email:/
		);
		await expect(saveContact(db, original, { ...edit, timezone: 'Mars' }, 'US')).rejects.toThrow(
			/^Timezone:/
		);
		await expect(
			saveContact(db, original, { ...edit, phone: '+14155550102' }, 'US')
		).rejects.toThrow(/another contact already has/);
	});
});
