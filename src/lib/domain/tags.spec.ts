import { describe, expect, it } from 'vitest';
import { mergeTags, parseTags } from './tags';

describe('parseTags', () => {
	it('splits on , ; and |, trims and drops empties', () => {
		expect(parseTags(' vip, lead;west | ,, ')).toEqual(['vip', 'lead', 'west']);
	});
	it('de-duplicates case-insensitively keeping the first spelling', () => {
		expect(parseTags('VIP, vip, Vip, new')).toEqual(['VIP', 'new']);
	});
	it("reads Google's ::: labels and drops its system labels", () => {
		expect(parseTags('* myContacts ::: Friends ::: * starred ::: Work')).toEqual([
			'Friends',
			'Work'
		]);
	});
	it("reads Outlook's ; categories", () => {
		expect(parseTags('Business;Hot Lead')).toEqual(['Business', 'Hot Lead']);
	});
	it('is empty for an empty cell', () => {
		expect(parseTags('')).toEqual([]);
	});
});

describe('mergeTags', () => {
	it('unions existing and incoming tags', () => {
		expect(mergeTags(['vip', 'East'], ['east', 'new'])).toEqual(['vip', 'East', 'new']);
	});
});
