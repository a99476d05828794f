/**
 * Import counts. Every data row lands in exactly one outcome bucket; warnings are
 * counted apart and do not stop a row.
 */
export interface ImportCounts {
	/** Data rows handled so far (= the sum of the outcome buckets). */
	processed: number;
	created: number;
	updated: number;
	skippedMissingPhone: number;
	skippedInvalidPhone: number;
	skippedDuplicate: number;
	skippedExisting: number;
	failed: number;
	/** Rows skipped on purpose in Review (optional: jobs stored without Review fixes lack it). */
	skippedByUser?: number;
	/** Rows on the do-not-call list, skipped by the import's option (absent on older jobs). */
	skippedDoNotCall?: number;
	/** Rows imported with a dropped value (bad email or timezone). */
	warnings: number;
}

/** All zero. */
export function emptyCounts(): ImportCounts {
	return {
		processed: 0,
		created: 0,
		updated: 0,
		skippedMissingPhone: 0,
		skippedInvalidPhone: 0,
		skippedDuplicate: 0,
		skippedExisting: 0,
		failed: 0,
		skippedByUser: 0,
		skippedDoNotCall: 0,
		warnings: 0
	};
}

/** Created + updated. */
export function importedOf(c: ImportCounts): number {
	return c.created + c.updated;
}

/** Every skipped bucket. */
export function skippedOf(c: ImportCounts): number {
	return (
		c.skippedMissingPhone +
		c.skippedInvalidPhone +
		c.skippedDuplicate +
		c.skippedExisting +
		(c.skippedByUser ?? 0) +
		(c.skippedDoNotCall ?? 0)
	);
}

/** Sum of two count sets (a checkpoint plus a batch). */
export function addCounts(a: ImportCounts, b: ImportCounts): ImportCounts {
	const out = emptyCounts();
	for (const key of Object.keys(out) as (keyof ImportCounts)[])
		out[key] = (a[key] ?? 0) + (b[key] ?? 0);
	return out;
}
