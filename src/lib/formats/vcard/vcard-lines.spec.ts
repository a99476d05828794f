import { describe, expect, it } from 'vitest';
import { components, decodeQuotedPrintable, parseLine, text } from './vcard-lines';

describe('parseLine', () => {
	it('reads name, group, both parameter forms and the value (colons in quotes kept)', () => {
		const p = parseLine('item1.TEL;type=CELL,pref;X-LABEL="a:b":+1 202 555 0100')!;
		expect(p.name).toBe('TEL');
		expect(p.params.get('TYPE')).toEqual(['cell', 'pref']);
		expect(p.params.get('X-LABEL')).toEqual(['a:b']);
		expect(p.value).toBe('+1 202 555 0100');
		expect(parseLine('TEL;CELL;PREF:030 1')!.params.get('TYPE')).toEqual(['cell', 'pref']);
	});

	it('is null for a line that is not a property', () => {
		expect(parseLine('no colon')).toBeNull();
		expect(parseLine(':no name')).toBeNull();
	});
});

describe('values', () => {
	it('splits structured values on unescaped separators and unescapes', () => {
		expect(components('Doe\\;Smith;Jane;;;')).toEqual(['Doe;Smith', 'Jane', '', '', '']);
		expect(text('a\\, b\\nc\\\\d')).toBe('a, b\nc\\d');
	});

	it('decodes quoted-printable bytes with their charset', () => {
		expect(decodeQuotedPrintable('J=C3=BCrgen', 'utf-8')).toBe('Jürgen');
		expect(decodeQuotedPrintable('J=FCrgen', 'windows-1252')).toBe('Jürgen');
		expect(decodeQuotedPrintable('J=C3=BCrgen', 'no-such-charset')).toBe('Jürgen');
	});
});
