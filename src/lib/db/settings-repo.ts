/**
 * Workspace settings stored as key/value records.
 */
import { countryFromLocale, isSupportedCountry } from '$lib/domain/phone';
import type { CallaroDb } from './database';

const DEFAULT_COUNTRY = 'defaultCountry';

/** The saved default country, else the browser locale's region, else US. */
export async function getDefaultCountry(db: CallaroDb, locale?: string): Promise<string> {
	const saved = await db.settings.get(DEFAULT_COUNTRY);
	if (typeof saved?.value === 'string' && isSupportedCountry(saved.value)) return saved.value;
	return countryFromLocale(locale);
}

/** Saves the default country (ISO 3166 alpha-2). */
export async function setDefaultCountry(db: CallaroDb, country: string): Promise<void> {
	if (!isSupportedCountry(country))
		throw new Error(`“${country}” is not a supported country code.`);
	await db.settings.put({ key: DEFAULT_COUNTRY, value: country });
}
