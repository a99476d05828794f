import { describe, expect, it } from 'vitest';
import { uniqueHeaders } from './headers';

describe('uniqueHeaders', () => {
	it('numbers repeated names', () => {
		expect(uniqueHeaders(['Notes', 'Phone', 'Notes', 'notes'])).toEqual([
			'Notes',
			'Phone',
			'Notes (2)',
			'notes (3)'
		]);
	});
	it('names empty headers by position', () => {
		expect(uniqueHeaders(['Phone', '', '  '])).toEqual(['Phone', 'Column 2', 'Column 3']);
	});
	it('does not collide with a real "X (2)" header', () => {
		expect(uniqueHeaders(['A', 'A (2)', 'A'])).toEqual(['A', 'A (2)', 'A (3)']);
	});
	it('strips a BOM and surrounding spaces', () => {
		expect(uniqueHeaders(['\ufeffPhone ', ' Email'])).toEqual(['Phone', 'Email']);
	});
	it('keeps __proto__ as an ordinary name', () => {
		expect(uniqueHeaders(['__proto__', 'constructor'])).toEqual(['__proto__', 'constructor']);
	});
});
