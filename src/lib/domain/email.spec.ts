import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { zodAcceptsEmail } from '$support/reference-answers';
import { normalizeEmail } from './email';

describe('normalizeEmail', () => {
	it.each([
		['  Ada@Example.COM ', 'Ada@example.com'],
		['mailto:bob@Mail.Example.org', 'bob@mail.example.org'],
		['<carol@example.com>', 'carol@example.com'],
		['', '']
	])('%j → %j', (raw, email) => {
		expect(normalizeEmail(raw)).toEqual({ ok: true, email });
	});

	it.each(['ada', 'ada@', '@example.com', 'ada@example', 'a b@example.com', 'ada@@example.com'])(
		'rejects %j',
		(raw) => {
			const result = normalizeEmail(raw);
			expect(result.ok).toBe(false);
		}
	);
});

describe('normalizeEmail and zod', () => {
	it('accepts exactly what zod email schema accepts', () => {
		const part = fc.string({ unit: fc.constantFrom(..."aZ09._+-'@ é".split('')), maxLength: 12 });
		fc.assert(
			fc.property(part, part, fc.constantFrom('', '.com', '.co.uk', '.x'), (a, b, tld) => {
				const text = `${a}@${b}${tld}`.trim();
				const result = normalizeEmail(text);
				if (text === '' || text.lastIndexOf('@') <= 0 || text.endsWith('@')) return;
				const cleaned = `${text.slice(0, text.lastIndexOf('@'))}@${text.slice(text.lastIndexOf('@') + 1).toLowerCase()}`;
				expect(result.ok).toBe(zodAcceptsEmail(cleaned));
			}),
			{ numRuns: 3000 }
		);
	});
});
