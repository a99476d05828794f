import { describe, expect, it } from 'vitest';
import {
	detectDelimiter,
	detectEncoding,
	detectHeaderRow,
	detectNewline,
	looksBinary
} from './sniff';

const enc = (s: string) => new TextEncoder().encode(s);

describe('detectEncoding at the end of a file', () => {
	it('reads a Windows-1252 file ending in a UTF-8 lead byte as Windows-1252', () => {
		// 'Café' in Windows-1252: 0xE9 could start a UTF-8 sequence only if more bytes followed.
		const bytes = new Uint8Array([0x43, 0x61, 0x66, 0xe9]);
		expect(detectEncoding(bytes, true).encoding).toBe('windows-1252');
		// The same bytes as the start of a longer file may still be cut UTF-8.
		expect(detectEncoding(bytes).encoding).toBe('utf-8');
	});
});

describe('detectEncoding', () => {
	it('reads BOMs', () => {
		expect(detectEncoding(new Uint8Array([0xef, 0xbb, 0xbf, 0x61]))).toEqual({
			encoding: 'utf-8',
			bom: true
		});
		expect(detectEncoding(new Uint8Array([0xff, 0xfe, 0x61, 0]))).toEqual({
			encoding: 'utf-16le',
			bom: true
		});
		expect(detectEncoding(new Uint8Array([0xfe, 0xff, 0, 0x61]))).toEqual({
			encoding: 'utf-16be',
			bom: true
		});
	});
	it('takes valid UTF-8 as UTF-8, even cut inside a character', () => {
		expect(detectEncoding(enc('name\nJosé')).encoding).toBe('utf-8');
		expect(detectEncoding(enc('José').slice(0, 4)).encoding).toBe('utf-8');
	});
	it('falls back to Windows-1252 for invalid UTF-8', () => {
		expect(detectEncoding(new Uint8Array([0x4a, 0x6f, 0x73, 0xe9, 0x0a])).encoding).toBe(
			'windows-1252'
		);
	});
	it('spots BOM-less UTF-16 LE', () => {
		const bytes = new Uint8Array([...'phone,name\n'].flatMap((c) => [c.charCodeAt(0), 0]));
		expect(detectEncoding(bytes).encoding).toBe('utf-16le');
	});
});

describe('detectNewline', () => {
	it('finds CRLF, LF and CR outside quotes', () => {
		expect(detectNewline('a,b\r\n1,2')).toBe('\r\n');
		expect(detectNewline('"x\r\ny",b\n1,2')).toBe('\n');
		expect(detectNewline('a\rb')).toBe('\r');
	});
});

describe('detectDelimiter', () => {
	it.each([
		['phone,name\n1,a\n2,b\n', ','],
		['phone;name;city\n1;a,b;x\n2;c;y\n', ';'],
		['phone\tname\n1\ta\n2\tb\n', '\t'],
		['phone|name\n1|a\n2|b\n', '|'],
		['"a;b",c\n"d;e",f\n', ','],
		['phone\n1\n2\n', ',']
	])('%j → %j', (text, delimiter) => {
		expect(detectDelimiter(text)).toBe(delimiter);
	});
});

describe('detectHeaderRow', () => {
	it('is the first row of a plain file', () => {
		expect(
			detectHeaderRow([
				['Phone', 'Name'],
				['+1', 'Ada'],
				['+2', 'Bob']
			])
		).toBe(0);
	});
	it('skips a preamble', () => {
		expect(
			detectHeaderRow([
				['Notes:'],
				['"When exporting your connection data, you may notice..."'],
				[''],
				['First Name', 'Last Name', 'Email Address', 'Company'],
				['Ada', 'King', 'ada@example.com', 'Acme'],
				['Bob', 'Ray', '', 'Initech']
			])
		).toBe(3);
	});
	it('does not take a data row for the header', () => {
		expect(
			detectHeaderRow([
				['Exported 2024-01-01'],
				['phone', 'name', 'email'],
				['+14155552671', 'Ada', 'a@x.io'],
				['+14155552672', 'Bob', 'b@x.io']
			])
		).toBe(1);
	});
});

describe('looksBinary', () => {
	it('spots NUL bytes and control characters', () => {
		expect(looksBinary('PK\u0003\u0004\u0000\u0000')).toBe(true);
		expect(looksBinary('phone,name\n1,Ada\n')).toBe(false);
	});
});
