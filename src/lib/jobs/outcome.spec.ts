import { describe, expect, it } from 'vitest';
import { emptyCounts } from '$lib/domain/counts';
import { outcomeParts, outcomeSummary } from './outcome';

describe('outcomeParts', () => {
	it('gives each bucket its share of the rows handled, skipped buckets summed', () => {
		const counts = {
			...emptyCounts(),
			processed: 10,
			created: 4,
			updated: 1,
			skippedMissingPhone: 1,
			skippedDuplicate: 2,
			skippedByUser: 1,
			failed: 1
		};
		const parts = outcomeParts(counts);
		expect(parts.map((p) => [p.kind, p.count, p.percent])).toEqual([
			['created', 4, 40],
			['updated', 1, 10],
			['skipped', 4, 40],
			['failed', 1, 10]
		]);
		expect(outcomeSummary(parts)).toBe(
			'Import outcome of 10 rows: 4 new, 1 updated, 4 skipped, 1 failed.'
		);
	});

	it('gives every share 0 before any row is handled', () => {
		const parts = outcomeParts(emptyCounts());
		expect(parts.map((p) => p.percent)).toEqual([0, 0, 0, 0]);
		expect(outcomeSummary(parts)).toBe(
			'Import outcome of 0 rows: 0 new, 0 updated, 0 skipped, 0 failed.'
		);
	});

	it('separates thousands in the summary', () => {
		const parts = outcomeParts({ ...emptyCounts(), created: 12_345 });
		expect(parts[0].percent).toBe(100);
		expect(outcomeSummary(parts)).toContain('12,345 new');
	});
});
