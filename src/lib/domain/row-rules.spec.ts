import { describe, expect, it } from 'vitest';
import type { Target } from './fields';
import fc from 'fast-check';
import { InFileDedupe, isBlankRecord, RowValidator } from './row-rules';
import { newContact } from './contact';
import { syncContactSchema } from '$lib/protocol/sync';
import { toSyncContact } from '$lib/sync/engine';

const headers = ['Phone', 'First', 'Last', 'Email', 'Tags', 'TZ', 'Source', 'Ignored'];
const mapping: Target[] = [
	'phone',
	'first_name',
	'last_name',
	'email',
	'tags',
	'timezone',
	'cf:lead_source',
	'skip'
];
const validator = new RowValidator(headers, mapping, { defaultCountry: 'US' });

describe('RowValidator', () => {
	it('normalises every field of a good row', () => {
		const outcome = validator.validate([
			'(415) 555-2671',
			'  Ada ',
			'Lovelace  King',
			'Ada@Example.COM',
			'vip; VIP |west',
			'US/Eastern',
			' Trade   Fair ',
			'whatever'
		]);
		expect(outcome).toEqual({
			status: 'valid',
			phone: '+14155552671',
			warnings: [],
			phoneKind: 'unknown',
			fields: {
				firstName: 'Ada',
				lastName: 'Lovelace King',
				email: 'Ada@example.com',
				tags: ['vip', 'west'],
				timezone: 'America/New_York',
				custom: { lead_source: 'Trade Fair' }
			}
		});
	});

	describe('phone kind and the zone from the phone', () => {
		const noZone = new RowValidator(['Phone', 'Name'], ['phone', 'first_name'], {
			defaultCountry: 'GB'
		});
		const filling = new RowValidator(['Phone', 'Name'], ['phone', 'first_name'], {
			defaultCountry: 'GB',
			fillTimezones: true
		});
		const zoned = new RowValidator(['Phone', 'TZ'], ['phone', 'timezone'], {
			defaultCountry: 'US',
			fillTimezones: true
		});

		it.each([
			['07400 123456', 'mobile'],
			['020 7946 0958', 'landline'],
			['0800 123 4567', 'toll_free'],
			['+1 212 555 0123', 'unknown']
		])('%s is %s', (phone, kind) => {
			expect(noZone.validate([phone, 'Ada'])).toMatchObject({ status: 'valid', phoneKind: kind });
		});

		it('tells the zone of a row with none, and fills it only when asked', () => {
			expect(noZone.validate(['+1 212 555 0123', 'Ada'])).toMatchObject({
				zoneFromPhone: 'America/New_York',
				fields: { firstName: 'Ada' }
			});
			const off = noZone.validate(['+1 212 555 0123', 'Ada']);
			expect(off.status === 'valid' && off.fields.timezoneFromPhone).toBeFalsy();
			expect(filling.validate(['+1 212 555 0123', 'Ada'])).toMatchObject({
				zoneFromPhone: 'America/New_York',
				fields: { timezoneFromPhone: 'America/New_York' }
			});
		});

		it('leaves an ambiguous number empty', () => {
			const outcome = filling.validate(['+1 850 555 0123', 'Ada']);
			expect(outcome).toMatchObject({ status: 'valid', zoneFromPhone: null });
			expect(outcome.status === 'valid' && 'timezoneFromPhone' in outcome.fields).toBe(false);
		});

		it("keeps the file's own zone, and an unknown one stays a warning, not a fill", () => {
			expect(zoned.validate(['+1 212 555 0123', 'Europe/Paris'])).toMatchObject({
				fields: { timezone: 'Europe/Paris' },
				zoneFromPhone: undefined
			});
			const bad = zoned.validate(['+1 212 555 0123', 'Mars/Olympus']);
			expect(bad).toMatchObject({ warnings: [{ kind: 'invalid_timezone' }] });
			expect(bad.status === 'valid' && bad.zoneFromPhone).toBeUndefined();
			expect(bad.status === 'valid' && bad.fields).toEqual({});
			expect(zoned.validate(['+1 212 555 0123', '  '])).toMatchObject({
				zoneFromPhone: 'America/New_York',
				fields: { timezoneFromPhone: 'America/New_York' }
			});
		});
	});

	it('skips a row without a phone as missing phone', () => {
		const outcome = validator.validate(['', 'Ada']);
		expect(outcome).toMatchObject({
			status: 'skipped',
			issue: { kind: 'missing_phone', column: 'Phone', field: 'phone' }
		});
	});

	it('skips an invalid phone with the value and reason', () => {
		const outcome = validator.validate(['555-0000', 'Ada']);
		expect(outcome).toMatchObject({
			status: 'skipped',
			issue: { kind: 'invalid_phone', column: 'Phone', value: '555-0000' }
		});
	});

	it('keeps the row but warns on a bad email or timezone', () => {
		const outcome = validator.validate([
			'+14155552671',
			'Ada',
			'',
			'not-an-email',
			'',
			'Mars/Base'
		]);
		expect(outcome.status).toBe('valid');
		if (outcome.status !== 'valid') return;
		expect(outcome.fields.email).toBeUndefined();
		expect(outcome.fields.timezone).toBeUndefined();
		expect(outcome.warnings.map((w) => [w.kind, w.column, w.value])).toEqual([
			['invalid_email', 'Email', 'not-an-email'],
			['invalid_timezone', 'TZ', 'Mars/Base']
		]);
	});

	it('treats missing trailing cells as empty and extra empty cells as harmless', () => {
		expect(validator.validate(['+14155552671']).status).toBe('valid');
		expect(
			validator.validate([...Array(8).fill(''), '', ' '].fill('+14155552671', 0, 1)).status
		).toBe('valid');
	});

	it('fails a row with extra non-empty cells, naming the counts', () => {
		const outcome = validator.validate(['+14155552671', 'a', 'b', '', '', '', '', '', 'x', 'y']);
		expect(outcome).toMatchObject({ status: 'failed', issue: { kind: 'malformed' } });
		if (outcome.status === 'failed')
			expect(outcome.issue.reason).toMatch(/10 cells.*header has 8.*2 extra/);
	});

	it('builds custom values on a plain object without touching prototypes', () => {
		const v = new RowValidator(['Phone', 'constructor'], ['phone', 'cf:constructor']);
		const outcome = v.validate(['+14155552671', 'x']);
		expect(outcome.status === 'valid' && outcome.fields.custom).toEqual({ constructor: 'x' });
		expect(({} as Record<string, unknown>).constructor).toBe(Object);
	});
});

describe('RowValidator and the backend limits', () => {
	it('leaves out a value the backend would refuse, with a warning naming the column', () => {
		const outcome = validator.validate([
			'+14155552671',
			'x'.repeat(501),
			'King',
			'',
			`ok, ${'t'.repeat(201)}`,
			'',
			's'.repeat(10_001),
			''
		]);
		expect(outcome.status).toBe('valid');
		if (outcome.status !== 'valid') return;
		expect(outcome.fields).toEqual({ lastName: 'King', tags: ['ok'], custom: {} });
		expect(outcome.warnings.map((w) => [w.kind, w.column, w.reason])).toEqual([
			[
				'too_long',
				'First',
				'501 characters; the backend keeps at most 500, so the value was left out'
			],
			[
				'too_long',
				'Tags',
				'201 characters; the backend keeps at most 200, so the value was left out'
			],
			[
				'too_long',
				'Source',
				'10,001 characters; the backend keeps at most 10,000, so the value was left out'
			]
		]);
	});

	it('makes only contacts the sync protocol accepts (property)', () => {
		const cell = fc.oneof(
			fc.string({ maxLength: 20 }),
			fc.nat({ max: 12_000 }).map((n) => 'y'.repeat(n)),
			fc
				.array(
					fc.nat({ max: 300 }).map((n) => 't'.repeat(n)),
					{ maxLength: 600 }
				)
				.map((a) => a.join(';'))
		);
		fc.assert(
			fc.property(fc.array(cell, { minLength: 7, maxLength: 7 }), (rest) => {
				const outcome = validator.validate(['+14155552671', ...rest]);
				if (outcome.status !== 'valid') return;
				const contact = toSyncContact(newContact(outcome.phone, outcome.fields, 1));
				expect(syncContactSchema.safeParse(contact).success).toBe(true);
			}),
			{ numRuns: 200 }
		);
	});
});

describe('InFileDedupe', () => {
	it('lets the first row win', () => {
		const d = new InFileDedupe();
		expect(d.check('+1', 2)).toBeUndefined();
		expect(d.check('+2', 3)).toBeUndefined();
		expect(d.check('+1', 7)).toBe(2);
		expect(d.check('+1', 9)).toBe(2);
		expect(d.size).toBe(2);
	});
});

describe('isBlankRecord', () => {
	it('spots blank lines and rows of empty cells', () => {
		expect(isBlankRecord([''])).toBe(true);
		expect(isBlankRecord(['', ' ', '\t'])).toBe(true);
		expect(isBlankRecord(['', 'x'])).toBe(false);
	});
});
