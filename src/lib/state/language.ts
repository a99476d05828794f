/**
 * The app's language: the person's choice (kept in localStorage), else the browser's language when
 * it is one of the app's, else English. Choosing one reloads the page, so that every string,
 * number and date of every open view is rendered in it at once.
 */
import { getLocale, locales, setLocale } from '$lib/paraglide/runtime';

export type Language = (typeof locales)[number];

/** Each language named in itself, as a person looking for theirs reads it. */
export const LANGUAGE_NAMES: Record<Language, string> = {
	en: 'English',
	es: 'Español',
	de: 'Deutsch',
	fr: 'Français',
	'pt-BR': 'Português (Brasil)'
};

export const LANGUAGES = locales;

export function currentLanguage(): Language {
	return getLocale();
}

export function isLanguage(value: string): value is Language {
	return (locales as readonly string[]).includes(value);
}

/** Remembers the choice and reloads into it. */
export function chooseLanguage(value: string): void {
	if (isLanguage(value) && value !== getLocale()) void setLocale(value);
}
