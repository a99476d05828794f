import { afterEach, describe, expect, it } from 'vitest';
import { normalizePhone } from '$lib/domain/phone';
import { normalizeEmail } from '$lib/domain/email';
import { normalizeTimezone } from '$lib/domain/timezone';
import { getLocale, overwriteGetLocale } from '$lib/paraglide/runtime';
import { errorText, reasonText } from './reason-words';
import { checkEdit } from '$lib/domain/field-rules';
import { messageOf, WorkerEndedError, WorkerStalledError } from '$lib/errors';

const english = getLocale;
afterEach(() => overwriteGetLocale(english));

const failed = (r: { ok: boolean; reason?: string }) => (r.ok ? '' : (r.reason ?? ''));

/** Every reason the rules write, as the rules themselves write it where they can be called. */
const REASONS = [
	failed(normalizePhone('', 'US')),
	failed(normalizePhone('call me', 'US')),
	failed(normalizePhone('+1 011 555 0100', 'US')),
	failed(normalizePhone('+999 1234', 'US')),
	failed(normalizePhone('12', 'US')),
	failed(normalizePhone('0123456789012345678901', 'US')),
	failed(normalizePhone('+1 2', 'US')),
	failed(normalizeEmail('eve@')),
	failed(normalizeTimezone('Mars/Base')),
	'A contact with this phone already exists; existing contacts are skipped',
	'Skipped in Review',
	'Same phone number as row 12',
	'The row has 7 cells but the header has 5 (1 extra cell is not empty).',
	'The row has 9 cells but the header has 5 (3 extra cells are not empty).',
	"+14155550100 is on the do-not-call list (skipped by the import's option)",
	'1,200 characters; the backend keeps at most 1,000, so the value was left out',
	'120 tags; the backend keeps at most 100, so the first 100 were kept',
	'The row is longer than 1,000,000 characters with no line break, so it was set aside.',
	'A quoted cell opens on this row and is never closed before the end of the file; the row was set aside and reading went on with the next line.',
	'A quoted cell opens on this row and is closed only on a later line; the row was set aside and reading went on with the next line.',
	'A quoted cell opens on this row and is not closed within 1,000,000 characters or 10,000 lines; the row was set aside and reading went on with the next line.'
];

describe('reasonText', () => {
	it('knows a reason for each of the rules called here', () => {
		expect(REASONS.slice(0, 9).every((r) => r !== '')).toBe(true);
		expect(new Set(REASONS.slice(0, 9)).size).toBe(9);
	});

	it('shows every reason as stored in English', () => {
		for (const reason of REASONS) expect(reasonText(reason)).toBe(reason);
	});

	it('translates every reason, with its values, into each other language', () => {
		for (const locale of ['de', 'es', 'fr', 'pt-BR'] as const) {
			overwriteGetLocale(() => locale);
			for (const reason of REASONS) {
				const text = reasonText(reason);
				expect(text, `${locale}: ${reason}`).not.toBe(reason);
				// The values travel: a row number, a phone, a country code.
				for (const value of reason.match(/\+\d{6,}|\brow \d+|\b[A-Z]{2}$/g) ?? [])
					expect(text, `${locale}: ${reason}`).toContain(value.replace(/^row /, ''));
			}
		}
		overwriteGetLocale(() => 'de');
		expect(reasonText('Same phone number as row 12')).toBe('Gleiche Telefonnummer wie Zeile 12');
		expect(reasonText('Not a valid number for US')).toBe('Keine gültige Nummer für US');
	});

	it('leaves a reason it does not know as it is, in any language', () => {
		overwriteGetLocale(() => 'fr');
		expect(reasonText('A reason from a newer release')).toBe('A reason from a newer release');
	});
});

const edit = {
	phone: '+14155550100',
	firstName: '',
	lastName: '',
	email: '',
	company: '',
	tags: '',
	timezone: '',
	custom: {}
};
const refusal = (changes: Partial<typeof edit>) => {
	const checked = checkEdit({ ...edit, ...changes }, 'US');
	return checked.ok ? '' : checked.message;
};

/** Errors as people meet them: from `messageOf`, and an edit's refusals from the rules. */
const ERRORS = [
	messageOf(new DOMException('full', 'QuotaExceededError')),
	messageOf(new WorkerEndedError()),
	messageOf(new WorkerStalledError(30_000)),
	'This import does not exist.',
	'This import was already undone.',
	'Only a finished or cancelled import can be undone: pause and cancel it first.',
	refusal({ phone: 'call me' }),
	refusal({ timezone: 'Mars/Base' }),
	refusal({ email: 'eve@' }),
	refusal({ custom: { notes: 'x'.repeat(20_000) } }),
	'Phone: another contact already has +14155550101.'
];

describe('errorText', () => {
	it('shows every error as it is in English, and in the language elsewhere', () => {
		expect(ERRORS.every((e) => e !== '')).toBe(true);
		for (const e of ERRORS) expect(errorText(e)).toBe(e);
		for (const locale of ['de', 'es', 'fr', 'pt-BR'] as const) {
			overwriteGetLocale(() => locale);
			for (const e of ERRORS) expect(errorText(e), `${locale}: ${e}`).not.toBe(e);
		}
		overwriteGetLocale(() => 'de');
		expect(errorText(refusal({ phone: 'call me' }))).toBe('Telefon: Das ist keine Telefonnummer.');
		expect(errorText('Phone: another contact already has +14155550101.')).toBe(
			'Telefon: ein anderer Kontakt hat bereits +14155550101.'
		);
		// A message already in the language, or one it does not know, is left as it is.
		expect(errorText('Netzwerkfehler: keine Verbindung')).toBe('Netzwerkfehler: keine Verbindung');
	});
});
