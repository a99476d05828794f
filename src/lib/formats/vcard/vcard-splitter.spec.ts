import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import type { SourceRecord } from '../record';
import { suggestMapping } from '$lib/domain/suggest';
import { looksLikeVCard, VCARD_COLUMNS, VCardSplitter } from './vcard-splitter';

const FILE = readFileSync(
	new URL('../../../../tests/fixtures/phone-contacts.vcf', import.meta.url),
	'utf8'
);

function read(text: string, chunk = text.length): SourceRecord[] {
	const s = new VCardSplitter();
	const out: SourceRecord[] = [];
	for (let i = 0; i < text.length; i += chunk) out.push(...s.push(text.slice(i, i + chunk)));
	out.push(...s.push('', true));
	return out;
}

/** Each card as an object of its non-empty columns. */
function cards(records: SourceRecord[]) {
	return records
		.slice(1)
		.map((r) => Object.fromEntries(r.cells.flatMap((c, i) => (c ? [[VCARD_COLUMNS[i], c]] : []))));
}

describe('VCardSplitter', () => {
	it('gives the header as row 1 and card k as row k + 1', () => {
		const records = read(FILE);
		expect(records[0]).toEqual({ row: 1, cells: [...VCARD_COLUMNS] });
		expect(records.map((r) => r.row)).toEqual([1, 2, 3, 4, 5]);
	});

	it('reads an iPhone card: preferred phone first, groups dropped, the photo never kept', () => {
		const [john] = cards(read(FILE));
		expect(john).toEqual({
			'First Name': 'John',
			'Last Name': 'Appleseed',
			'Full Name': 'John Appleseed',
			Phone: '+1 (408) 555-0101',
			'Phone 2': '+1 408 555 0102',
			Email: 'john@example.com',
			Company: 'Apple Inc.',
			Categories: 'Friends, VIP'
		});
		expect(JSON.stringify(read(FILE))).not.toContain('9j/4AAQ');
	});

	it('reads a Google card: escapes, folded lines, address and title', () => {
		const ada = cards(read(FILE))[1];
		expect(ada).toMatchObject({
			'First Name': 'Ada',
			'Last Name': 'Lovelace',
			Phone: '+44 20 7946 0018',
			Email: 'ada@example.org',
			Company: 'Analytical Engines',
			'Job Title': 'Programmer',
			Address: "12 St James's Square, London, SW1Y 4JH, United Kingdom",
			Note: 'Met at the, conference\nSecond line of a long note that an exporter folds over two lines',
			Categories: 'myContacts, Clients'
		});
	});

	it('reads an Android 2.1 card: quoted-printable UTF-8 with soft breaks, bare PREF', () => {
		const jurgen = cards(read(FILE))[2];
		expect(jurgen).toMatchObject({
			'First Name': 'Jürgen',
			'Last Name': 'Müller',
			'Full Name': 'Jürgen Müller',
			Phone: '+49 151 23456789',
			'Phone 2': '030 1234567',
			Note: 'first line\r\nsecond line'
		});
	});

	it('reads a vCard 4.0 card: tel: URIs, PREF=1, quoted parameter lists', () => {
		const grace = cards(read(FILE))[3];
		expect(grace).toMatchObject({
			Phone: '+1-202-555-0198',
			'Phone 2': '+1-202-555-0199',
			Email: 'grace@navy.example'
		});
	});

	it('gives the same records at every chunk size, CRLF line ends included', () => {
		const crlf = FILE.replace(/\n/g, '\r\n');
		const whole = read(crlf);
		expect(cards(whole)).toEqual(cards(read(FILE)));
		for (const chunk of [1, 2, 3, 7, 64]) expect(read(crlf, chunk)).toEqual(whole);
	});

	it('keeps a card cut off by the end of the file, and one never ended before the next', () => {
		const text =
			'BEGIN:VCARD\nFN:First\nTEL:+1 202 555 0100\nBEGIN:VCARD\nFN:Second\nTEL:+1 202 555 0101';
		expect(cards(read(text)).map((c) => [c['Full Name'], c.Phone])).toEqual([
			['First', '+1 202 555 0100'],
			['Second', '+1 202 555 0101']
		]);
	});

	it('ignores lines that are not properties and text outside cards', () => {
		const text =
			'garbage before\nBEGIN:VCARD\nno colon here\n:empty name\nFN:Kept\nEND:VCARD\ntrailing\n';
		expect(cards(read(text))).toEqual([{ 'Full Name': 'Kept' }]);
	});

	it('puts phones past the third in Other phones', () => {
		const tels = ['1', '2', '3', '4', '5'].map((n) => `TEL:+1 202 555 010${n}`).join('\n');
		const [card] = cards(read(`BEGIN:VCARD\n${tels}\nEND:VCARD\n`));
		expect(card['Other phones']).toBe('+1 202 555 0104, +1 202 555 0105');
	});
});

describe('looksLikeVCard', () => {
	it('knows a vCard file by its first line, after a BOM or blank lines', () => {
		expect(looksLikeVCard(FILE)).toBe(true);
		expect(looksLikeVCard('\uFEFF\n\nbegin:vcard\r\nVERSION:3.0')).toBe(true);
		expect(looksLikeVCard('phone,name\nBEGIN:VCARD,x')).toBe(false);
	});
});

describe('the card columns', () => {
	it('map themselves to the standard fields; the rest wait for a choice', () => {
		const mapping = suggestMapping([...VCARD_COLUMNS], []);
		const byColumn = Object.fromEntries(VCARD_COLUMNS.map((c, i) => [c, mapping[i]]));
		expect(byColumn).toMatchObject({
			'First Name': 'first_name',
			'Last Name': 'last_name',
			Phone: 'phone',
			'Phone 2': '',
			Email: 'email',
			Company: 'company',
			Categories: 'tags',
			Note: ''
		});
	});
});
