import { afterEach, describe, expect, it } from 'vitest';
import { getLocale, overwriteGetLocale } from '$lib/paraglide/runtime';
import { partName } from './part-name';

const english = getLocale;
afterEach(() => overwriteGetLocale(english));

describe('partName', () => {
	it('keeps the readers’ English names in English, and a name it does not know', () => {
		for (const what of ['workbook', 'styles', 'shared text table', 'sheet “Leads”', 'xl/x.xml'])
			expect(partName(what)).toBe(what);
	});

	it('names a part in the app’s language', () => {
		overwriteGetLocale(() => 'de');
		expect(partName('styles')).toBe('Formatvorlagen');
		expect(partName('sheet “Leads”')).toBe('Blatt „Leads“');
		expect(partName('xl/x.xml')).toBe('xl/x.xml');
	});
});
