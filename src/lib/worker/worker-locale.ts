/**
 * The app worker's language. A worker has no `localStorage` and its own `navigator.languages`, so
 * it cannot find the person's choice the way the page does: the page names the worker
 * "app <locale>", and the worker reads its language from that name.
 */
import { baseLocale, isLocale, type Locale } from '$lib/paraglide/runtime';

/** The name a worker is started with, for the page's `locale`. */
export const workerName = (locale: string) => `app ${locale}`;

/** The language a worker named `name` writes in: English for a name without a known one. */
export function localeOfWorker(name: string): Locale {
	const asked = name.split(' ')[1] ?? '';
	return isLocale(asked) ? asked : baseLocale;
}
