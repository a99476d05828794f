/**
 * A segment export imports back into the app with nothing lost: hostile values (formulas in
 * every disguise, list separators, quotes, apostrophes, non-Latin text) come back identical.
 */
import { describe, expect, it } from 'vitest';
import { newContact, type Contact } from '$lib/domain/contact';
import { STANDARD_FIELDS, type Target } from '$lib/domain/fields';
import { cleanText } from '$lib/domain/text';
import { IndexReader, putContacts } from '$lib/db/contact-index-repo';
import { freshDb, queueJob } from '$support/test-db';
import { exportSegment } from './contact-scan';
import { runJob } from './runner';

const HOSTILE = [
	'=HYPERLINK("http://x","y")',
	'+cmd|calc',
	'-2+3',
	'@SUM(A1)',
	' =1+1',
	'\u00a0=1',
	'\u200b=1',
	'\uff1d1+1',
	"'=already guarded",
	"O'Brien",
	'a;=1+1',
	'semi;colon, comma | pipe',
	'say "hi"',
	'Zoë 日本 😀'
];

/** Contacts as the app stores them (every value went through the import's cleaning). */
function contacts(): Contact[] {
	return HOSTILE.map(cleanText).map((text, i) =>
		newContact(
			`+1415555${String(2000 + i)}`,
			{
				firstName: text,
				lastName: `L${i}`,
				company: text,
				email: `p${i}@example.com`,
				timezone: 'America/New_York',
				owner: i % 2 ? text : undefined,
				tags: [`t${i}`, 'shared'],
				custom: { note: text }
			},
			1,
			'seed'
		)
	);
}

/** What an import must reproduce: every field but the bookkeeping of when and by which job. */
const shape = (c: Contact) => ({
	phone: c.phone,
	firstName: c.firstName,
	lastName: c.lastName,
	company: c.company,
	email: c.email,
	timezone: c.timezone,
	owner: c.owner,
	tags: c.tags,
	custom: c.custom
});

describe('segment export → import', () => {
	it('brings back identical contacts', async () => {
		const source = freshDb();
		const seeded = contacts();
		await putContacts(source, seeded);
		const index = await new IndexReader(source).current();
		const note = { key: 'note', label: 'Note', type: 'text' as const, createdAt: 0 };
		const csv = await (
			await exportSegment(
				source,
				index,
				{ groups: [[{ field: 'tags', operator: 'has_tag', value: 'shared' }]] },
				[note]
			)
		).text();
		// Nothing in the file can run as a formula in any locale: each risky cell is guarded.
		expect(csv).toContain(`"'=HYPERLINK(""http://x"",""y"")"`);
		expect(csv).toContain('"a;=1+1"');
		expect(csv).toContain('+14155552000,');

		const target = freshDb();
		// The export's do_not_call column is the list's, derived: an import skips it.
		const mapping: Target[] = [...STANDARD_FIELDS, 'skip', 'cf:note'];
		const job = await queueJob(target, csv, mapping, {}, { newline: '\r\n' });
		await target.customFields.put(note);
		expect(await runJob(target, job.id)).toBe('completed');
		const back = await target.contacts.toArray();
		expect(back.map(shape).sort((a, b) => a.phone.localeCompare(b.phone))).toEqual(
			seeded.map(shape).sort((a, b) => a.phone.localeCompare(b.phone))
		);
	});
});
