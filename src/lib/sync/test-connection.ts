/**
 * `Test connection`: asks the backend for its stats with the given URL and token, and says in
 * words what happened.
 */
import { messageOf } from '$lib/errors';
import { type SyncConfig } from '$lib/domain/sync-config';
import { statsSchema } from '$lib/protocol/sync';
import type { Transport } from './transport';

export async function testConnection(config: SyncConfig, transport: Transport): Promise<string> {
	const base = config.url.trim().replace(/\/+$/, '');
	if (!base) return 'Enter the backend URL first.';
	if (!config.token.trim()) return 'Enter the API token first.';
	try {
		const res = await transport({
			method: 'GET',
			url: `${base}/v1/stats`,
			headers: { Authorization: `Bearer ${config.token.trim()}` }
		});
		if (res.status === 401 || res.status === 403)
			return 'The server refused the token: check the API token.';
		if (res.status >= 400) return `The server answered ${res.status}.`;
		const stats = statsSchema.safeParse(JSON.parse(await res.text()));
		if (!stats.success) return 'The server answered, but not like a Callaro sync backend.';
		return `Connected: the server holds ${stats.data.contacts.toLocaleString('en-US')} contacts from ${stats.data.batches.toLocaleString('en-US')} batches.`;
	} catch (error) {
		return `Cannot reach ${base}: ${messageOf(error)}.`;
	}
}
