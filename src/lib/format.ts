/** Formatting helpers for people: numbers with separators, sizes, dates. */

import { getLocale } from '$lib/paraglide/runtime';

let number: Intl.NumberFormat | undefined;

/** 12345 → "12,345" in English, "12.345" in German: the app's language decides. */
export function formatNumber(n: number): string {
	number ??= new Intl.NumberFormat(getLocale());
	return number.format(n);
}

let plurals: Intl.PluralRules | undefined;

/**
 * `n` with the word that agrees with it in the app's language (`one` for the singular form,
 * `other` for every other): "1 batch", "2 batches", "0 batches".
 */
export function countOf(n: number, one: string, other: string): string {
	return `${formatNumber(n)} ${plural(n) === 'one' ? one : other}`;
}

/** The plural category of `n` in the app's language ("one", "other", …), to choose a message. */
export function plural(n: number): Intl.LDMLPluralRule {
	plurals ??= new Intl.PluralRules(getLocale());
	return plurals.select(n);
}

/** Bytes as KB / MB / GB. */
export function formatSize(bytes: number): string {
	if (bytes >= 1e9) return `${(bytes / 1e9).toFixed(1)} GB`;
	if (bytes >= 1e6) return `${(bytes / 1e6).toFixed(1)} MB`;
	if (bytes >= 1e3) return `${(bytes / 1e3).toFixed(1)} KB`;
	return `${bytes} bytes`;
}

/** A timestamp as a short local date and time. */
export function formatDate(ms: number | undefined): string {
	return ms ? new Date(ms).toLocaleString(getLocale()) : '—';
}
