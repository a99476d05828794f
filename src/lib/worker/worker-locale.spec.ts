import { describe, expect, it } from 'vitest';
import { localeOfWorker, workerName } from './worker-locale';

describe('worker locale', () => {
	it('reads the language the page named the worker with', () => {
		for (const locale of ['en', 'es', 'de', 'fr', 'pt-BR'])
			expect(localeOfWorker(workerName(locale))).toBe(locale);
	});

	it('falls back to English for an unknown or missing language', () => {
		expect(localeOfWorker(workerName('ja'))).toBe('en');
		expect(localeOfWorker('app')).toBe('en');
		expect(localeOfWorker('')).toBe('en');
	});
});
