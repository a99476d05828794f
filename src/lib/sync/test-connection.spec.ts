import { afterEach, describe, expect, it } from 'vitest';
import { getLocale, overwriteGetLocale } from '$lib/paraglide/runtime';
import { testConnection } from './test-connection';
import type { Transport } from './transport';

const english = getLocale;
afterEach(() => overwriteGetLocale(english));

const config = { url: 'https://sync.example.com/', token: 'secret', enabled: true };

/** A backend that answers every request with `status` and `body`. */
const answering =
	(status: number, body: string): Transport =>
	async () => ({ status, headers: { get: () => null }, text: async () => body });

const unreachable: Transport = async () => {
	throw new TypeError('Failed to fetch');
};

describe('testConnection', () => {
	it('says what happened, in English', async () => {
		expect(await testConnection({ ...config, url: ' ' }, unreachable)).toBe(
			'Enter the backend URL first.'
		);
		expect(await testConnection({ ...config, token: '' }, unreachable)).toBe(
			'Enter the API token first.'
		);
		expect(await testConnection(config, answering(401, ''))).toBe(
			'The server refused the token: check the API token.'
		);
		expect(await testConnection(config, answering(500, ''))).toBe('The server answered 500.');
		expect(await testConnection(config, answering(200, '{"hello":1}'))).toBe(
			'The server answered, but not like a Callaro sync backend.'
		);
		expect(await testConnection(config, answering(200, '{"contacts":12345,"batches":1}'))).toBe(
			'Connected: the server holds 12,345 contacts from 1 batch.'
		);
		expect(await testConnection(config, unreachable)).toBe(
			'Cannot reach https://sync.example.com: Failed to fetch.'
		);
	});

	it('says it in the app’s language, with its numbers and plurals', async () => {
		overwriteGetLocale(() => 'de');
		expect(await testConnection({ ...config, url: '' }, unreachable)).toBe(
			'Geben Sie zuerst die Backend-URL ein.'
		);
		expect(await testConnection(config, answering(200, '{"contacts":1,"batches":12345}'))).toBe(
			'Verbunden: Der Server hält 1 Kontakt aus 12.345 Paketen.'
		);
		overwriteGetLocale(() => 'fr');
		expect(await testConnection(config, answering(403, ''))).toBe(
			'Le serveur a refusé le jeton : vérifiez le jeton d’API.'
		);
	});
});
