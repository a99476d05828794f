import { describe, expect, it } from 'vitest';
import { addCounts, emptyCounts, importedOf, skippedOf } from './counts';

describe('counts', () => {
	it('adds and sums buckets', () => {
		const a = {
			...emptyCounts(),
			processed: 5,
			created: 2,
			updated: 1,
			skippedDuplicate: 1,
			failed: 1
		};
		const b = { ...emptyCounts(), processed: 2, skippedMissingPhone: 1, skippedExisting: 1 };
		const sum = addCounts(a, b);
		expect(sum.processed).toBe(7);
		expect(importedOf(sum)).toBe(3);
		expect(skippedOf(sum)).toBe(3);
		expect(importedOf(sum) + skippedOf(sum) + sum.failed).toBe(sum.processed);
	});
});
