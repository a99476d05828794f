import { describe, expect, it } from 'vitest';
import { foldedColumns } from './map-fold';

describe('foldedColumns', () => {
	it('shows the mapped columns in order and folds the unmapped and skipped ones', () => {
		const mapping = ['first_name', '', 'phone', 'skip', 'cf:lead', ''];
		expect(foldedColumns(mapping, 6)).toEqual({ shown: [0, 2, 4], folded: [1, 3, 5] });
	});

	it('covers every column once, also past the end of the mapping', () => {
		const { shown, folded } = foldedColumns(['phone'], 3);
		expect([...shown, ...folded].sort()).toEqual([0, 1, 2]);
		expect(shown).toEqual([0]);
	});
});
