import { describe, expect, it } from 'vitest';
import { SheetError } from '../sheet/sheet-xml';
import { SharedStringsReader, unescapeOoxml } from './shared-strings';

describe('SharedStringsReader', () => {
	it('joins rich text runs, leaves out phonetic guides, and unescapes _xHHHH_', () => {
		const r = new SharedStringsReader({ maxStrings: 10, maxChars: 100 });
		r.push(
			'<sst><si><t>Plain</t></si><si><r><t>Ri</t></r><r><t>ch</t></r><rPh><t>リッチ</t></rPh></si><si><t>a_x000D_b</t></si><si/></sst>'
		);
		expect(r.close()).toEqual(['Plain', 'Rich', 'a\rb', '']);
	});

	it('stops at its limits with a message', () => {
		const many = new SharedStringsReader({ maxStrings: 2, maxChars: 100 });
		expect(() =>
			many.push('<sst><si><t>a</t></si><si><t>b</t></si><si><t>c</t></si></sst>')
		).toThrow(/more than 2 texts/);
		const long = new SharedStringsReader({ maxStrings: 10, maxChars: 5 });
		expect(() => long.push(`<sst><si><t>${'x'.repeat(6)}</t></si></sst>`)).toThrow(SheetError);
	});

	it('unescapes OOXML character escapes', () => {
		expect(unescapeOoxml('Line_x000A_two _x005F_x')).toBe('Line\ntwo _x');
	});
});
