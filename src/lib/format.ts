/** Formatting helpers for people: numbers with separators, sizes, dates. */

import { getLocale } from '$lib/paraglide/runtime';
import { m } from '$lib/paraglide/messages';

/** Built once per language (a formatter is slow to build and fast to use). */
let number: { locale: string; format: Intl.NumberFormat } | undefined;

/** 12345 → "12,345" in English, "12.345" in German: the app's language decides. */
export function formatNumber(n: number): string {
	const locale = getLocale();
	if (number?.locale !== locale) number = { locale, format: new Intl.NumberFormat(locale) };
	return number.format.format(n);
}

let plurals: { locale: string; rules: Intl.PluralRules } | undefined;

/**
 * `n` with the word that agrees with it in the app's language (`one` for the singular form,
 * `other` for every other): "1 batch", "2 batches", "0 batches".
 */
export function countOf(n: number, one: string, other: string): string {
	return `${formatNumber(n)} ${plural(n) === 'one' ? one : other}`;
}

/** How many contacts, changes or batches, as the language says it: "1 contact", "3 batches". */
export const contactsCount = (n: number) =>
	countOf(n, m.contacts_word_one(), m.contacts_word_other());
export const changesCount = (n: number) => countOf(n, m.changes_word_one(), m.changes_word_other());
export const batchesCount = (n: number) => countOf(n, m.batches_word_one(), m.batches_word_other());

/** The plural category of `n` in the app's language ("one", "other", …), to choose a message. */
export function plural(n: number): Intl.LDMLPluralRule {
	const locale = getLocale();
	if (plurals?.locale !== locale) plurals = { locale, rules: new Intl.PluralRules(locale) };
	return plurals.rules.select(n);
}

/** Bytes as KB / MB / GB. */
export function formatSize(bytes: number): string {
	if (bytes >= 1e9) return `${(bytes / 1e9).toFixed(1)} GB`;
	if (bytes >= 1e6) return `${(bytes / 1e6).toFixed(1)} MB`;
	if (bytes >= 1e3) return `${(bytes / 1e3).toFixed(1)} KB`;
	return m.size_bytes({ count: formatNumber(bytes) });
}

/** A timestamp as a short local date and time. */
export function formatDate(ms: number | undefined): string {
	return ms ? new Date(ms).toLocaleString(getLocale()) : '—';
}

const MINUTE = 60_000;
const HOUR = 60 * MINUTE;
const DAY = 24 * HOUR;

/**
 * A recent moment as people say it in the language ("5 minutes ago", "vor 5 Minuten",
 * "yesterday"); past a week, or ahead by more than a minute (another device's clock), the date
 * itself, which then reads better.
 */
export function formatWhen(ms: number | undefined, now = Date.now(), locale = getLocale()): string {
	if (!ms) return '—';
	const ago = now - ms;
	if (ago < -MINUTE || ago >= 7 * DAY) return new Date(ms).toLocaleString(locale);
	const words = new Intl.RelativeTimeFormat(locale, { numeric: 'auto' });
	if (ago < 45_000) return words.format(0, 'second');
	if (ago < 45 * MINUTE) return words.format(-Math.max(1, Math.round(ago / MINUTE)), 'minute');
	if (ago < 22 * HOUR) return words.format(-Math.round(ago / HOUR), 'hour');
	return words.format(-Math.max(1, Math.round(ago / DAY)), 'day');
}
