/** Formatting helpers for people: numbers with separators, sizes, dates. */

const number = new Intl.NumberFormat('en-US');

/** 12345 → "12,345". */
export function formatNumber(n: number): string {
	return number.format(n);
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
	return ms ? new Date(ms).toLocaleString() : '—';
}
