import { describe, expect, it } from 'vitest';
import { formatWhen } from './format';

const now = Date.UTC(2026, 11, 7, 12, 0, 0);
const min = 60_000;

describe('formatWhen', () => {
	it('says a recent moment as the language does, and a date past a week', () => {
		expect(formatWhen(now - 10_000, now, 'en')).toBe('now');
		expect(formatWhen(now - 5 * min, now, 'en')).toBe('5 minutes ago');
		expect(formatWhen(now - 5 * min, now, 'de')).toBe('vor 5 Minuten');
		expect(formatWhen(now - 40 * min, now, 'fr')).toBe('il y a 40 minutes');
		expect(formatWhen(now - 3 * 60 * min, now, 'es')).toBe('hace 3 horas');
		expect(formatWhen(now - 24 * 60 * min, now, 'en')).toBe('yesterday');
		expect(formatWhen(now - 3 * 24 * 60 * min, now, 'pt-BR')).toBe('há 3 dias');
		expect(formatWhen(now - 8 * 24 * 60 * min, now, 'en')).toBe(
			new Date(now - 8 * 24 * 60 * min).toLocaleString('en')
		);
		// Another device's clock ahead of this one's: the date, never "in 5 minutes".
		expect(formatWhen(now + 5 * min, now, 'en')).toBe(new Date(now + 5 * min).toLocaleString('en'));
		expect(formatWhen(undefined, now, 'en')).toBe('—');
	});
});
