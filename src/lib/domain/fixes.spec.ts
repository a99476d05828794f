import { describe, expect, it } from 'vitest';
import { applyRule, Patch, fixSchema, type Fix } from './fixes';

describe('applyRule', () => {
	it('finds and replaces plain text (no patterns)', () => {
		expect(applyRule({ kind: 'replace', column: 0, find: '.', replace: '-' }, '415.555.0101')).toBe(
			'415-555-0101'
		);
		expect(applyRule({ kind: 'replace', column: 0, find: '(*)', replace: '' }, 'a(*)b')).toBe('ab');
	});
	it('trims and collapses spaces', () => {
		expect(applyRule({ kind: 'trim', column: 0 }, '  Ada   King ')).toBe('Ada King');
	});
	it('fills empty cells only', () => {
		const rule = { kind: 'fill_empty' as const, column: 0, value: 'n/a' };
		expect(applyRule(rule, ' ')).toBe('n/a');
		expect(applyRule(rule, 'x')).toBe('x');
	});
	it('applies a country to national numbers only', () => {
		const rule = { kind: 'country' as const, column: 0, country: 'GB' };
		expect(applyRule(rule, '020 7946 0958')).toBe('+442079460958');
		expect(applyRule(rule, '+1 415 555 2671')).toBe('+1 415 555 2671');
		expect(applyRule(rule, 'nonsense')).toBe('nonsense');
	});
});

describe('Patch', () => {
	const fixes: Fix[] = [
		{ kind: 'trim', column: 1 },
		{ kind: 'replace', column: 0, find: 'O', replace: '0' },
		{ kind: 'cell', row: 3, column: 0, value: '+14155550103' },
		{ kind: 'cell', row: 3, column: 0, value: '+14155550104' },
		{ kind: 'skip', row: 5 }
	];
	const patch = new Patch(fixes);

	it('applies rules in order, then cell edits (the latest wins), then skips', () => {
		expect(patch.apply(2, ['+1415555O1O1', '  Ada '])).toEqual({
			cells: ['+14155550101', 'Ada'],
			skipped: false,
			changed: true
		});
		expect(patch.apply(3, ['bad', 'Bob'])).toEqual({
			cells: ['+14155550104', 'Bob'],
			skipped: false,
			changed: true
		});
		expect(patch.apply(5, ['+14155550105', 'Cy'])).toMatchObject({ skipped: true, changed: false });
	});

	it('returns the original array when nothing changes', () => {
		const cells = ['+14155550101', 'Ada'];
		expect(patch.apply(9, cells).cells).toBe(cells);
		expect(new Patch([]).isEmpty).toBe(true);
	});

	it('validates fixes', () => {
		expect(
			fixSchema.safeParse({ kind: 'replace', column: 0, find: '', replace: 'x' }).success
		).toBe(false);
	});
});
