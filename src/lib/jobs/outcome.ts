import { skippedOf, type ImportCounts } from '$lib/domain/counts';
import { formatNumber, plural } from '$lib/format';
import { m } from '$lib/paraglide/messages';
import { getLocale } from '$lib/paraglide/runtime';

export type OutcomeKind = 'created' | 'updated' | 'skipped' | 'failed';

export interface OutcomePart {
	kind: OutcomeKind;
	label: string;
	count: number;
	/** Share of the rows handled, 0–100; the shares of all parts add up to 100 (or all are 0). */
	percent: number;
}

const LABELS: Record<OutcomeKind, () => string> = {
	created: m.outcome_new,
	updated: m.outcome_updated,
	skipped: m.outcome_skipped,
	failed: m.outcome_failed
};

/**
 * The outcome buckets of an import in a fixed order. Every handled row is in exactly one of them
 * (counts.ts), so their sum is the rows handled and the shares fill the bar exactly.
 */
export function outcomeParts(counts: ImportCounts): OutcomePart[] {
	const values: [OutcomeKind, number][] = [
		['created', counts.created],
		['updated', counts.updated],
		['skipped', skippedOf(counts)],
		['failed', counts.failed]
	];
	const total = values.reduce((sum, [, n]) => sum + n, 0);
	return values.map(([kind, count]) => ({
		kind,
		label: LABELS[kind](),
		count,
		percent: total > 0 ? (100 * count) / total : 0
	}));
}

/** One sentence with every count, for a screen reader: "Import outcome of 6 rows: 3 new, …". */
export function outcomeSummary(parts: readonly OutcomePart[]): string {
	const total = parts.reduce((sum, p) => sum + p.count, 0);
	const each = parts
		.map((p) => `${formatNumber(p.count)} ${p.label.toLocaleLowerCase(getLocale())}`)
		.join(', ');
	const words = { count: formatNumber(total), parts: each };
	return plural(total) === 'one' ? m.outcome_summary_one(words) : m.outcome_summary_other(words);
}
