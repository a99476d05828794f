import { describe, expect, it } from 'vitest';
import {
	customValue,
	displayName,
	mergeContact,
	newContact,
	revertContact,
	withIndexes
} from './contact';

describe('newContact', () => {
	it('keeps only non-empty values', () => {
		const c = newContact('+14155552671', { firstName: 'Ada', email: '', tags: ['vip'] }, 5, 'job1');
		expect(c).toEqual({
			phone: '+14155552671',
			firstName: 'Ada',
			tags: ['vip'],
			custom: {},
			createdAt: 5,
			updatedAt: 5,
			createdByJob: 'job1',
			lastJobId: 'job1'
		});
	});
});

describe('newContact with a zone from the phone', () => {
	it('takes it when the row has no zone of its own, never over one', () => {
		expect(newContact('+12125550123', { timezoneFromPhone: 'America/New_York' }, 1).timezone).toBe(
			'America/New_York'
		);
		const own = { timezone: 'Europe/Paris', timezoneFromPhone: 'America/New_York' };
		expect(newContact('+12125550123', own, 1).timezone).toBe('Europe/Paris');
	});
});

describe('mergeContact', () => {
	const existing = newContact(
		'+14155552671',
		{ firstName: 'Ada', lastName: 'King', tags: ['VIP'], custom: { region: 'West' } },
		1,
		'old'
	);

	it('overwrites with non-empty values, merges tags and custom fields', () => {
		const { contact, changed } = mergeContact(
			existing,
			{ firstName: 'Augusta', lastName: '', tags: ['vip', 'new'], custom: { source: 'Fair' } },
			9,
			'job2'
		);
		expect(changed).toBe(true);
		expect(contact.firstName).toBe('Augusta');
		expect(contact.lastName).toBe('King');
		expect(contact.tags).toEqual(['VIP', 'new']);
		expect(contact.custom).toEqual({ region: 'West', source: 'Fair' });
		expect(contact.updatedAt).toBe(9);
		expect(contact.createdByJob).toBe('old');
		expect(existing.tags).toEqual(['VIP']);
	});

	it("makes a changed contact this device's write, and leaves an unchanged one as it was", () => {
		const pulled = { ...existing, updatedBy: 'other-device' };
		const changed = mergeContact(pulled, { firstName: 'New' }, 9);
		expect(changed.contact.updatedBy).toBeUndefined();
		const same = mergeContact(pulled, { firstName: 'Ada' }, 9);
		expect(same.changed).toBe(false);
		expect(same.contact.updatedBy).toBe('other-device');
		expect(same.contact.updatedAt).toBe(existing.updatedAt);
	});

	it('fills a time zone from the phone only where the contact has none', () => {
		const filled = mergeContact(existing, { timezoneFromPhone: 'America/Los_Angeles' }, 9);
		expect(filled.changed).toBe(true);
		expect(filled.contact.timezone).toBe('America/Los_Angeles');
		const zoned = { ...existing, timezone: 'Europe/Paris' };
		const kept = mergeContact(zoned, { timezoneFromPhone: 'America/Los_Angeles' }, 9);
		expect(kept.changed).toBe(false);
		expect(kept.contact.timezone).toBe('Europe/Paris');
		const imported = mergeContact(
			zoned,
			{ timezone: 'Asia/Tokyo', timezoneFromPhone: 'America/Los_Angeles' },
			9
		);
		expect(imported.contact.timezone).toBe('Asia/Tokyo');
	});

	it('reports no change when the same values come again', () => {
		const { changed, contact } = mergeContact(
			existing,
			{ firstName: 'Ada', tags: ['vip'], custom: { region: 'West' } },
			9
		);
		expect(changed).toBe(false);
		expect(contact.updatedAt).toBe(1);
	});
});

describe('displayName', () => {
	it('falls back from name to company to phone', () => {
		expect(displayName({ phone: '+1', firstName: 'Ada', lastName: 'King' })).toBe('Ada King');
		expect(displayName({ phone: '+1', company: 'Acme' })).toBe('Acme');
		expect(displayName({ phone: '+1' })).toBe('+1');
	});
});

describe('customValue', () => {
	it('never returns inherited members for keys like constructor', () => {
		const c = newContact('+1', {}, 0);
		expect(customValue(c, 'constructor')).toBeUndefined();
		const d = newContact('+1', { custom: { constructor: 'x' } }, 0);
		expect(customValue(d, 'constructor')).toBe('x');
		expect(mergeContact(c, { custom: { constructor: 'y' } }, 1).contact.custom).toEqual({
			constructor: 'y'
		});
	});
});

describe('revertContact', () => {
	const before = newContact(
		'+1',
		{ firstName: 'Ada', tags: ['vip'], custom: { region: 'West' } },
		1,
		'a'
	);
	const { contact: after } = mergeContact(
		before,
		{
			firstName: 'Augusta',
			email: 'a@x.io',
			tags: ['new'],
			custom: { region: 'East', source: 'Fair' }
		},
		2,
		'b'
	);

	it('puts back every field the import changed', () => {
		expect(revertContact(after, before, after)).toEqual(before);
	});

	it('keeps a value that changed again after the import', () => {
		const later = {
			...after,
			firstName: 'Ada Lovelace',
			custom: { ...after.custom, region: 'North' }
		};
		const reverted = revertContact(later, before, after);
		expect(reverted.firstName).toBe('Ada Lovelace');
		expect(reverted.custom).toEqual({ region: 'North' });
		expect(reverted.email).toBeUndefined();
		expect(reverted.tags).toEqual(['vip']);
	});
});

describe('withIndexes (the v3 upgrade only)', () => {
	it('derives the sort name and the search tokens', () => {
		const c = withIndexes(
			newContact(
				'+14155552671',
				{
					firstName: 'Mary Ann',
					lastName: 'King',
					email: 'MA@x.io',
					company: 'Acme Corp',
					tags: ['VIP']
				},
				0,
				'j1'
			)
		);
		expect(c.sortName).toBe('king mary ann');
		expect(c.search).toEqual(['mary', 'ann', 'king', 'acme', 'corp', 'ma@x.io', 't:vip', 'i:j1']);
		expect(withIndexes(newContact('+1415', {}, 0)).sortName).toBe('\uffff+1415');
	});
});
