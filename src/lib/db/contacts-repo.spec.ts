import { describe, expect, it } from 'vitest';
import { threeContacts } from '$support/test-db';
import { deleteContact, saveContact } from './contacts-repo';
import { IndexReader } from './contact-index-repo';

const seeded = threeContacts;

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
		// The index follows in the same transaction: the old phone is gone, the new one found.
		const index = await new IndexReader(db).current();
		expect(index.size).toBe(3);
		expect(index.has('+14155550101')).toBe(false);
		expect(index.count({ groups: [[{ field: 'tags', operator: 'has_tag', value: 'B' }]] })).toBe(1);
	});

	it('deletes a contact and its index row together', async () => {
		const db = await seeded();
		const reader = new IndexReader(db);
		expect((await reader.current()).size).toBe(3);
		await deleteContact(db, '+442079460958');
		expect(await db.contacts.get('+442079460958')).toBeUndefined();
		expect((await reader.current()).size).toBe(2);
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
