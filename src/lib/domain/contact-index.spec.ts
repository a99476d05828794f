import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { newContact, type Contact } from './contact';
import { ContactIndex } from './contact-index';
import { DoNotCallSet } from './do-not-call';
import { encodeChunk, PHONE_TYPE } from './index-chunk';
import { PHONE_KINDS, phoneKindOf } from './phone-kind';
import { matchesSegment } from '$support/reference-answers';
import {
	conditionProblem,
	OPERATORS,
	type Condition,
	type SegmentClock,
	type SegmentDefinition
} from './segments';

const words = ['ada', 'Ada', 'ADA K', 'bob', 'Zoë', 'ßtraße', 'west', 'West Coast', 'a', 'ab', ''];
const valueArb = fc.oneof(fc.constantFrom(...words), fc.string({ maxLength: 6 }));
const tagArb = fc.constantFrom('vip', 'VIP', 'west', 'a', 'b c', 'lead');

const contactArb = (phone: string) =>
	fc
		.record({
			firstName: valueArb,
			lastName: valueArb,
			email: fc.constantFrom('', 'ada@acme.io', 'b.smith@x.org'),
			company: valueArb,
			tags: fc.uniqueArray(tagArb, { maxLength: 3, selector: (t) => t.toLowerCase() }),
			timezone: fc.constantFrom(
				'',
				'Europe/Kyiv',
				'America/New_York',
				'Australia/Sydney',
				'Asia/Kolkata'
			),
			owner: fc.constantFrom('', 'ada@acme.io', 'Bob'),
			region: valueArb
		})
		.map(({ region, ...f }) =>
			newContact(phone, { ...f, custom: region ? { region } : {} }, 0, 'job-1')
		);

const conditionArb: fc.Arbitrary<Condition> = fc
	.record({
		field: fc.constantFrom(
			'owner',
			'callable_now',
			'local_time',
			'do_not_call',
			'phone',
			'first_name',
			'last_name',
			'email',
			'company',
			'tags',
			'timezone',
			'cf:region',
			'cf:missing',
			'phone_type'
		) as fc.Arbitrary<Condition['field']>,
		operator: fc.constantFrom(...OPERATORS),
		value: fc.oneof(
			valueArb,
			fc.constantFrom(
				'+1415',
				'+14155550001',
				' Ada ',
				'kyiv',
				'vip',
				'unknown',
				'Mobile',
				'yes',
				'no',
				'09:00-17:00',
				'22:00-06:00'
			)
		)
	})
	// The clock fields take only their own operators and values (the segment schema refuses
	// others): generated conditions follow the same rule.
	.filter(
		(c) =>
			!['callable_now', 'local_time', 'do_not_call'].includes(c.field) ||
			conditionProblem(c) === null
	);
const clockArb: fc.Arbitrary<SegmentClock> = fc.record({
	now: fc.integer({ min: Date.UTC(2026, 0, 1), max: Date.UTC(2027, 0, 1) }),
	hours: fc.constantFrom({ from: '08:00', to: '21:00' }, { from: '21:00', to: '08:00' })
});
const defArb: fc.Arbitrary<SegmentDefinition> = fc.record({
	groups: fc.array(fc.array(conditionArb, { minLength: 1, maxLength: 3 }), {
		minLength: 1,
		maxLength: 2
	})
});

const phone = (i: number) => `+1415555${String(i).padStart(4, '0')}`;

/** Contacts in chunks of `size`, applied in order; returns the index and the live contacts. */
function build(contacts: Contact[], size: number) {
	const index = new ContactIndex(phoneKindOf);
	for (let i = 0; i < contacts.length; i += size)
		index.apply(encodeChunk(contacts.slice(i, i + size)));
	return index;
}

describe('ContactIndex', () => {
	it('counts exactly what matchesSegment counts, on generated contacts and segments', () => {
		fc.assert(
			fc.property(
				fc.array(fc.nat(60), { minLength: 1, maxLength: 80 }),
				fc.array(defArb, { minLength: 1, maxLength: 5 }),
				fc.nat(5),
				fc.integer({ min: 1, max: 90 }),
				clockArb,
				fc.array(fc.nat(60), { maxLength: 20 }),
				(slots, defs, seed, size, clock, listedSlots) => {
					const listed = new Set(listedSlots.map(phone));
					const doNotCall = DoNotCallSet.of(listed);
					// Slots repeat: a later write of a phone replaces the earlier one (an update).
					const contacts = fc.sample(fc.tuple(...slots.map((s) => contactArb(phone(s)))), {
						numRuns: 1,
						seed
					})[0];
					const index = build(contacts, size);
					const current = new Map(contacts.map((c) => [c.phone, c]));
					expect(index.size).toBe(current.size);
					for (const def of defs) {
						const expected = [...current.values()].filter((c) =>
							matchesSegment(c, def, clock, listed)
						);
						expect(index.count(def, clock, doNotCall)).toBe(expected.length);
						const phones = Array.from(index.ids(def, clock, doNotCall), (id) =>
							index.phoneOf(id)
						).sort();
						expect(phones).toEqual(expected.map((c) => c.phone).sort());
					}
				}
			),
			{ numRuns: 150 }
		);
	});

	it('asks for a way to derive phone kinds only for chunks without stored ones', () => {
		const contacts = ['+447400123456', '+12125550123'].map((p) => newContact(p, {}, 0));
		const index = new ContactIndex();
		const withKinds = encodeChunk(
			contacts,
			[],
			contacts.map((c) => phoneKindOf(c.phone))
		);
		expect(index.needsKindOf(withKinds)).toBe(false);
		index.apply(withKinds);
		const without = encodeChunk(contacts);
		expect(index.needsKindOf(without)).toBe(true);
		expect(index.needsKindOf(encodeChunk([]))).toBe(false);
		index.apply(without);
		const mobile: SegmentDefinition = {
			groups: [[{ field: 'phone_type', operator: 'equals', value: 'mobile' }]]
		};
		expect(() => index.count(mobile)).toThrow(/cannot derive phone kinds/);
		index.useKindOf(phoneKindOf);
		expect(index.needsKindOf(without)).toBe(false);
		expect(index.count(mobile)).toBe(1);
	});

	it('answers phone_type from stored kinds, and from kinds derived for chunks without them', () => {
		const phones = [
			'+447400123456',
			'+442079460958',
			'+18005550123',
			'+12125550123',
			'+445633123456',
			'+33612345678',
			'+4930123456'
		];
		const contacts = phones.map((p) => newContact(p, {}, 0));
		const index = new ContactIndex(phoneKindOf);
		// An import's chunk carries the kinds; an edit's (or an older chunk) does not.
		index.apply(
			encodeChunk(
				contacts.slice(0, 4),
				[],
				contacts.slice(0, 4).map((c) => phoneKindOf(c.phone))
			)
		);
		index.apply(encodeChunk(contacts.slice(4)));
		const compacted = new ContactIndex(phoneKindOf);
		const chunks = [...index.liveChunks(3)];
		for (const chunk of chunks) compacted.apply(chunk);
		expect(chunks.every((c) => PHONE_TYPE in c.cols)).toBe(true);
		const older = new ContactIndex(phoneKindOf);
		older.apply(encodeChunk(contacts));
		expect([...older.liveChunks(3)].some((c) => PHONE_TYPE in c.cols)).toBe(false);
		const expected = { mobile: 2, landline: 2, voip: 1, toll_free: 1, unknown: 1 };
		for (const kind of PHONE_KINDS) {
			for (const operator of ['equals', 'not_equals'] as const) {
				const def: SegmentDefinition = {
					groups: [[{ field: 'phone_type', operator, value: kind }]]
				};
				const matching = contacts.filter((c) => matchesSegment(c, def)).length;
				expect(matching).toBe(operator === 'equals' ? expected[kind] : 7 - expected[kind]);
				expect(index.count(def), `${operator} ${kind}`).toBe(matching);
				expect(compacted.count(def), `${operator} ${kind} compacted`).toBe(matching);
			}
		}
	});

	it('deletes, phone moves and rewrites keep one live row per contact', () => {
		const index = new ContactIndex(phoneKindOf);
		const a = newContact(phone(1), { firstName: 'Ada', tags: ['vip'] }, 0);
		const b = newContact(phone(2), { firstName: 'Bob' }, 0);
		index.apply(encodeChunk([a, b]));
		index.apply(encodeChunk([{ ...a, phone: phone(3) }], [phone(1)]));
		index.apply(encodeChunk([], [phone(2)]));
		expect(index.size).toBe(1);
		expect(index.has(phone(1))).toBe(false);
		expect(index.has(phone(3))).toBe(true);
		const vip: SegmentDefinition = {
			groups: [[{ field: 'tags', operator: 'has_tag', value: 'VIP' }]]
		};
		expect(Array.from(index.ids(vip), (id) => index.phoneOf(id))).toEqual([phone(3)]);
		// A deleted phone written again is a live contact again.
		index.apply(encodeChunk([b]));
		expect(index.size).toBe(2);
		expect(index.rows).toBe(4);
	});

	it('lists in name order (last first, else company, else phone last) and in phone order', () => {
		const people = [
			newContact('+442079460000', { firstName: 'Zed', lastName: 'Adams' }, 0),
			newContact('+14155550000', { company: 'Acme' }, 0),
			newContact('+12125550000', {}, 0),
			newContact('+33123456789', { firstName: 'ada', lastName: 'Adams' }, 0),
			newContact('+4930123456', { firstName: 'Émile', lastName: 'Zola' }, 0),
			newContact('+1212555000', { lastName: 'adamsbury' }, 0),
			...Array.from({ length: 300 }, (_, i) =>
				newContact(
					`+1650555${String(i).padStart(4, '0')}`,
					{ firstName: `P${299 - i}`, lastName: 'Same' },
					0
				)
			)
		];
		const index = build(people, 7);
		const key = (c: Contact) => {
			const last = (c.lastName ?? '').toLowerCase();
			const first = (c.firstName ?? '').toLowerCase();
			return `${last} ${first}`.trim() || (c.company ?? '').toLowerCase() || `\uffff${c.phone}`;
		};
		const byName = [...people].sort((x, y) => (key(x) < key(y) ? -1 : key(x) > key(y) ? 1 : 0));
		const listed = (sort: 'name' | 'phone') =>
			Array.from(index.view({ kind: 'all' }, sort).slice(), (id) => index.phoneOf(id));
		expect(listed('name')).toEqual(byName.map((c) => c.phone));
		expect(listed('phone')).toEqual(people.map((c) => c.phone).sort());
		expect(Array.from(index.view({ kind: 'tag', tag: 'x' }, 'name').slice())).toEqual([]);
	});

	it('sorts any names exactly like a code-unit sort, ties in commit order', () => {
		const alphabet = fc.constantFrom(
			..."aeéèüz09 -.,'!ß_".split(''),
			'Ü',
			'\u4e2d',
			'\ud83d\ude00'
		);
		const name = fc.oneof(
			fc.constantFrom('', 'müller', 'müller ada', 'mueller', 'smith'),
			fc.array(alphabet, { maxLength: 14 }).map((cs) => cs.join(''))
		);
		fc.assert(
			fc.property(
				fc.array(fc.tuple(name, name, fc.constantFrom('', 'Acme', 'acme b')), {
					minLength: 1,
					maxLength: 120
				}),
				fc.integer({ min: 1, max: 50 }),
				(rows, size) => {
					const people = rows.map(([last, first, company], i) =>
						newContact(phone(i), { lastName: last, firstName: first, company }, 0)
					);
					const index = build(people, size);
					const key = (c: Contact) => {
						const l = (c.lastName ?? '').toLowerCase();
						const f = (c.firstName ?? '').toLowerCase();
						return (
							(l && f ? `${l} ${f}` : l || f) ||
							(c.company ?? '').toLowerCase() ||
							`\uffff${c.phone}`
						);
					};
					const expected = people
						.map((c, i) => ({ c, i, k: key(c) }))
						.sort((a, b) => (a.k < b.k ? -1 : a.k > b.k ? 1 : a.i - b.i))
						.map(({ c }) => c.phone);
					// A window first (only the runs it touches are put in order), then the whole list.
					const view = index.view({ kind: 'all' }, 'name');
					const from = Math.floor(expected.length / 3);
					const to = from + 7;
					const windowed = Array.from(view.slice(from, to), (id) => index.phoneOf(id));
					expect(windowed).toEqual(expected.slice(from, to));
					const listed = Array.from(view.slice(), (id) => index.phoneOf(id));
					expect(listed).toEqual(expected);
				}
			),
			{ numRuns: 200 }
		);
	});

	it('sorts long lists with shared prefixes through the native path', () => {
		// 2,000 rows: runs of equal prefixes larger than the comparator's small-run size.
		const people = Array.from({ length: 2000 }, (_, i) =>
			newContact(
				`+1212555${String((i * 7919) % 10_000).padStart(4, '0')}`,
				{ lastName: i % 3 ? 'Smithson' : 'Smith', firstName: `Ann ${(i * 31) % 2000}` },
				0
			)
		);
		const index = build(people, 500);
		const names = Array.from(index.view({ kind: 'all' }, 'name').slice(), (id) => {
			const c = people.find((p) => p.phone === index.phoneOf(id))!;
			return `${c.lastName!.toLowerCase()} ${c.firstName!.toLowerCase()}`;
		});
		expect(names).toEqual([...names].sort());
		const phones = Array.from(index.view({ kind: 'all' }, 'phone').slice(), (id) =>
			index.phoneOf(id)
		);
		expect(phones).toEqual([...phones].sort());
		expect(new Set(phones).size).toBe(2000);
	});

	it('filters the list by tag and by import', () => {
		const index = new ContactIndex(phoneKindOf);
		index.apply(encodeChunk([newContact(phone(1), { tags: ['VIP'] }, 0, 'j1')]));
		index.apply(encodeChunk([newContact(phone(2), {}, 0, 'j2')]));
		const ids = (f: Parameters<ContactIndex['view']>[0]) =>
			Array.from(index.view(f, 'phone').slice(), (id) => index.phoneOf(id));
		expect(ids({ kind: 'tag', tag: 'vip' })).toEqual([phone(1)]);
		expect(ids({ kind: 'import', jobId: 'j2' })).toEqual([phone(2)]);
		expect(index.importPhones('j1', true)).toEqual([phone(1)]);
	});

	it('searches by word prefix, email, tag and phone, every word narrowing', () => {
		const index = build(
			[
				newContact(phone(1), { firstName: 'Mary Ann', lastName: 'King', company: 'Acme Corp' }, 0),
				newContact(
					phone(2),
					{ firstName: 'Kingsley', email: 'k.smith@Example.com', tags: ['Gold'] },
					0
				),
				newContact('+442079460123', { firstName: 'Ann' }, 0)
			],
			2
		);
		const find = (q: string) =>
			Array.from(
				index.search(q, 10, (s) =>
					s.replace(/\D/g, '').length >= 3 ? [s.replace(/\D/g, '')] : []
				),
				(id) => index.phoneOf(id)
			).sort();
		expect(find('king')).toEqual([phone(1), phone(2)]);
		expect(find('ann')).toEqual([phone(1), '+442079460123']);
		expect(find('ann king')).toEqual([phone(1)]);
		expect(find('corp')).toEqual([phone(1)]);
		expect(find('smith')).toEqual([phone(2)]);
		expect(find('K.SMITH@ex')).toEqual([phone(2)]);
		expect(find('gold')).toEqual([phone(2)]);
		expect(find('ing')).toEqual([]);
		expect(find('4420 7946')).toEqual(['+442079460123']);
		expect(find('')).toEqual([]);
		expect(index.search('a', 1, () => []).length).toBe(1);
	});

	it('finds a contact by any part of what the list shows, punctuation included', () => {
		const markup = '<img src=x onerror="window.__xss=1">';
		const contacts = [
			newContact(phone(1), { firstName: markup, lastName: 'Doe' }, 0),
			newContact(
				phone(2),
				{ firstName: "O'Brien", company: 'AT&T (US)', email: 'k.smith@example.com' },
				0
			),
			newContact(phone(3), { firstName: 'Ann-Marie', tags: ['vip:gold'] }, 0),
			newContact(phone(4), { firstName: 'Window', lastName: 'Cleaner' }, 0)
		];
		// Chunks of one and of all: a text column and a dictionary column answer alike.
		for (const size of [1, 4]) {
			const index = build(contacts, size);
			const find = (q: string) =>
				Array.from(
					index.search(q, 10, () => []),
					(id) => index.phoneOf(id)
				).sort();
			expect(find(markup)).toEqual([phone(1)]);
			expect(find(markup.toUpperCase())).toEqual([phone(1)]);
			expect(find('onerror="window')).toEqual([phone(1)]);
			expect(find('__xss=1">')).toEqual([phone(1)]);
			expect(find(`${markup} doe`)).toEqual([phone(1)]);
			expect(find(`${markup} cleaner`)).toEqual([]);
			// A plain word starts after punctuation as after a space.
			expect(find('window')).toEqual([phone(1), phone(4)]);
			expect(find('xss')).toEqual([phone(1)]);
			expect(find("o'brien")).toEqual([phone(2)]);
			expect(find('brien')).toEqual([phone(2)]);
			expect(find('at&t')).toEqual([phone(2)]);
			expect(find('(us)')).toEqual([phone(2)]);
			expect(find('smith@example')).toEqual([phone(2)]);
			expect(find('ann-marie')).toEqual([phone(3)]);
			expect(find('marie')).toEqual([phone(3)]);
			expect(find('vip:gold')).toEqual([phone(3)]);
			expect(find('gold')).toEqual([phone(3)]);
			expect(find('"')).toEqual([phone(1)]);
			// Still word starts for plain words, and punctuation the list does not show finds none.
			expect(find('rien')).toEqual([]);
			expect(find('indow')).toEqual([]);
			expect(find('o"brien')).toEqual([]);
		}
	});

	it('finds a punctuated query across chunks of a large index (its speed: npm run bench)', () => {
		const contacts = Array.from({ length: 20_000 }, (_, i) =>
			newContact(
				`+1212${String(2_000_000 + i)}`,
				{
					firstName: `First${i}`,
					lastName: i === 12_345 ? 'Smith-Jones' : `Last${i}`,
					email: `person${i}@example.com`,
					company: `Company ${i % 500}`
				},
				0
			)
		);
		const index = build(contacts, 1_000);
		expect(index.search('smith-jones', 100, () => [])).toHaveLength(1);
		expect(index.search('person19999@example.com', 100, () => [])).toHaveLength(1);
	});

	it('counts custom field usage', () => {
		const index = build(
			[newContact(phone(1), { custom: { region: 'West' } }, 0), newContact(phone(2), {}, 0)],
			1
		);
		expect(index.usage('region')).toBe(1);
		expect(index.usage('nope')).toBe(0);
	});
});
