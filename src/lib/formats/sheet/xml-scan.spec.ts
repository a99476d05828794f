import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { attribute, attributes, decodeEntities, XmlError, XmlScanner } from './xml-scan';

function events(chunks: string[]): string[] {
	const out: string[] = [];
	let text = '';
	const flush = () => {
		if (text) out.push(`text:${text}`);
		text = '';
	};
	const s = new XmlScanner({
		open(name, raw) {
			flush();
			out.push(`open:${name}${raw.trim() ? ` ${JSON.stringify(attributes(raw))}` : ''}`);
		},
		text(t) {
			text += t;
		},
		close(name) {
			flush();
			out.push(`close:${name}`);
		}
	});
	for (const c of chunks) s.write(c);
	s.close();
	flush();
	return out;
}

const DOC = `<?xml version="1.0" encoding="UTF-8"?>\n<!-- a comment with <tags> -->\n<x:sheet xmlns:x="urn:x" a='1 > 0' b="&quot;q&quot;"><x:row r="1"><x:c t="s"><x:v>12</x:v></x:c><x:c><x:is><x:t xml:space="preserve"> A &amp; B &#233;&#x1F600; </x:t></x:is></x:c><e/><f><![CDATA[<not a tag> & raw]]></f></x:row></x:sheet>`;

describe('XmlScanner', () => {
	it('reports elements, attributes, text, CDATA, and skips comments and declarations', () => {
		expect(events([DOC])).toEqual([
			'open:x:sheet {"xmlns:x":"urn:x","a":"1 > 0","b":"\\"q\\""}',
			'open:x:row {"r":"1"}',
			'open:x:c {"t":"s"}',
			'open:x:v',
			'text:12',
			'close:x:v',
			'close:x:c',
			'open:x:c',
			'open:x:is',
			'open:x:t {"xml:space":"preserve"}',
			'text: A & B é😀 ',
			'close:x:t',
			'close:x:is',
			'close:x:c',
			'open:e',
			'close:e',
			'open:f',
			'text:<not a tag> & raw',
			'close:f',
			'close:x:row',
			'close:x:sheet'
		]);
	});

	it('gives the same events whatever the chunk boundaries', () => {
		const whole = events([DOC]);
		fc.assert(
			fc.property(fc.array(fc.integer({ min: 0, max: DOC.length }), { maxLength: 12 }), (cuts) => {
				const points = [...new Set(cuts)].sort((a, b) => a - b);
				const chunks: string[] = [];
				let from = 0;
				for (const p of points) {
					chunks.push(DOC.slice(from, p));
					from = p;
				}
				chunks.push(DOC.slice(from));
				expect(events(chunks)).toEqual(whole);
			})
		);
	});

	it('refuses what a workbook never holds or a broken part has', () => {
		expect(() => events(['<!DOCTYPE x [<!ENTITY a "aaaa">]><x>&a;</x>'])).toThrow(
			/document type declaration/
		);
		expect(() => events(['<x>&bogus;</x>'])).toThrow(/unknown entity/);
		expect(() => events(['<x><y></x>'])).toThrow(
			/unexpected close tag <\/x> where <\/y> was expected/
		);
		expect(() => events(['<x><y>'])).toThrow(/never closed/);
		expect(() => events(['<x a="1'])).toThrow(/ends inside a tag/);
		expect(() => events(['<x a=1/>'])).toThrow(/unquoted/);
		expect(() => events(['< x/>'])).toThrow(XmlError);
	});

	it('bounds what it holds while waiting for a tag to end', () => {
		const s = new XmlScanner({ open() {}, text() {}, close() {} }, { maxToken: 1000 });
		s.write('<x>');
		expect(() => s.write(`<y a="${'z'.repeat(2000)}`)).toThrow(/runs over 1,000 characters/);
	});
});

describe('attributes', () => {
	it('finds an attribute by its exact name, never inside another value', () => {
		const raw = ' spans="1:8" r="B2" xr="x" t = \'s\' ';
		expect(attribute(raw, 'r')).toBe('B2');
		expect(attribute(raw, 't')).toBe('s');
		expect(attribute(raw, 's')).toBeUndefined();
		expect(attribute(' title="r=&quot;5&quot;"', 'r')).toBeUndefined();
		const all = attributes(' __proto__="p" a="1"');
		expect(all.__proto__).toBe('p');
		expect(Object.getPrototypeOf(all)).toBeNull();
	});

	it('decodes entities and character references', () => {
		expect(decodeEntities('&lt;a&gt; &amp;&apos;&quot; &#65;&#x42;')).toBe('<a> &\'" AB');
	});
});
