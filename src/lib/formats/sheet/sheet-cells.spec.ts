import { describe, expect, it } from 'vitest';
import {
	classifyFormat,
	columnIndex,
	formatNumber,
	MAX_READ_COLUMNS,
	numberText,
	rowOf,
	serialToIso,
	setCell,
	trimTrailing
} from './sheet-cells';

describe('numberText', () => {
	it.each([
		['1.4155550123E+10', '14155550123'],
		['4.47700900123E11', '447700900123'],
		['14155550123', '14155550123'],
		['0.30000000000000004', '0.3'],
		['1E-3', '0.001'],
		['-2.5e2', '-250'],
		['1e21', '1000000000000000000000'],
		['123456789012345678', '123456789012346000'],
		['9.99999999999999999', '10'],
		['0', '0'],
		['-0', '0'],
		['007', '7'],
		['.5', '0.5'],
		['not a number', 'not a number']
	])('%s → %s', (raw, text) => expect(numberText(raw)).toBe(text));
});

describe('classifyFormat', () => {
	it('knows the built-in date, time and percent formats', () => {
		expect(classifyFormat(14, undefined)).toEqual({ kind: 'date', date: true, time: false });
		expect(classifyFormat(22, undefined)).toEqual({ kind: 'date', date: true, time: true });
		expect(classifyFormat(20, undefined)).toEqual({ kind: 'date', date: false, time: true });
		expect(classifyFormat(9, undefined)).toEqual({ kind: 'percent' });
		expect(classifyFormat(0, undefined)).toEqual({ kind: 'general' });
		expect(classifyFormat(49, undefined)).toEqual({ kind: 'general' });
	});

	it('reads custom codes, ignoring quoted text, escapes, colours and locales', () => {
		expect(classifyFormat(164, 'yyyy\\-mm\\-dd')).toMatchObject({
			kind: 'date',
			date: true,
			time: false
		});
		expect(classifyFormat(164, '[$-409]d/m/yy\\ h:mm\\ AM/PM;@')).toMatchObject({
			date: true,
			time: true
		});
		expect(classifyFormat(164, '[h]:mm:ss')).toMatchObject({ date: false, time: true });
		expect(classifyFormat(164, 'mmm')).toMatchObject({ kind: 'date', date: true });
		expect(classifyFormat(164, '00000')).toEqual({ kind: 'zeros', width: 5 });
		expect(classifyFormat(164, '0.0%')).toEqual({ kind: 'percent' });
		expect(classifyFormat(164, '[Red]"Days: "0')).toEqual({ kind: 'general' });
		expect(classifyFormat(164, '#,##0.00 "dy"')).toEqual({ kind: 'general' });
		expect(classifyFormat(164, 'General')).toEqual({ kind: 'general' });
		expect(classifyFormat(164, '@')).toEqual({ kind: 'general' });
	});
});

describe('dates', () => {
	it('turns serials into ISO dates in both date systems, across the phantom 1900 leap day', () => {
		const date = { date: true, time: false };
		expect(serialToIso(45356, date)).toBe('2024-03-05');
		expect(serialToIso(1, date)).toBe('1900-01-01');
		expect(serialToIso(59, date)).toBe('1900-02-28');
		expect(serialToIso(61, date)).toBe('1900-03-01');
		expect(serialToIso(0, date, true)).toBe('1904-01-01');
		expect(serialToIso(45356.75, { date: true, time: true })).toBe('2024-03-05T18:00:00');
		expect(serialToIso(0.5, { date: false, time: true })).toBe('12:00:00');
	});
});

describe('formatNumber', () => {
	it('pads zero formats, shows percents, and keeps what is not a number', () => {
		expect(formatNumber('415', { kind: 'zeros', width: 5 })).toBe('00415');
		expect(formatNumber('123456', { kind: 'zeros', width: 5 })).toBe('123456');
		expect(formatNumber('1.5', { kind: 'zeros', width: 5 })).toBe('1.5');
		expect(formatNumber('0.15', { kind: 'percent' })).toBe('15%');
		expect(formatNumber('45356', { kind: 'date', date: true, time: false })).toBe('2024-03-05');
		expect(formatNumber('-3', { kind: 'date', date: true, time: false })).toBe('-3');
		expect(formatNumber('x', { kind: 'percent' })).toBe('x');
	});
});

describe('cell references and rows', () => {
	it('reads column letters and row numbers', () => {
		expect(columnIndex('A1')).toBe(0);
		expect(columnIndex('Z9')).toBe(25);
		expect(columnIndex('AA10')).toBe(26);
		expect(columnIndex('XFD1048576')).toBe(16383);
		expect(columnIndex('12')).toBe(-1);
		expect(rowOf('B12')).toBe(12);
		expect(rowOf('B')).toBe(0);
	});

	it('drops empty trailing cells and fills holes', () => {
		const holes: string[] = [];
		holes[2] = 'c';
		holes[4] = '';
		expect(trimTrailing(holes)).toEqual(['', '', 'c']);
		expect(trimTrailing(['', ''])).toEqual([]);
	});
});

describe('setCell', () => {
	it('keeps the first value past the last read column, so the row stays too wide', () => {
		const row: string[] = [];
		setCell(row, 0, 'a');
		setCell(row, MAX_READ_COLUMNS + 5, '');
		expect(trimTrailing(row)).toEqual(['a']);
		setCell(row, MAX_READ_COLUMNS + 5, 'far');
		setCell(row, 16_383, 'farther');
		expect(row).toHaveLength(MAX_READ_COLUMNS + 1);
		expect(row[MAX_READ_COLUMNS]).toBe('far');
	});
});
