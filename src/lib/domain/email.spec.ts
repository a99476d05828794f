import { describe, expect, it } from 'vitest';
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
