/**
 * `Test connection`: asks the backend for its stats with the given URL and token, and says in
 * words what happened.
 */
import { messageOf } from '$lib/errors';
import { batchesCount, contactsCount } from '$lib/format';
import { m } from '$lib/paraglide/messages';
import { type SyncConfig } from '$lib/domain/sync-config';
import { statsSchema } from '$lib/protocol/sync';
import type { Transport } from './transport';

export async function testConnection(config: SyncConfig, transport: Transport): Promise<string> {
	const base = config.url.trim().replace(/\/+$/, '');
	if (!base) return m.conn_enter_url();
	if (!config.token.trim()) return m.conn_enter_token();
	try {
		const res = await transport({
			method: 'GET',
			url: `${base}/v1/stats`,
			headers: { Authorization: `Bearer ${config.token.trim()}` }
		});
		if (res.status === 401 || res.status === 403) return m.conn_token_refused();
		if (res.status >= 400) return m.conn_status({ status: String(res.status) });
		const stats = statsSchema.safeParse(JSON.parse(await res.text()));
		if (!stats.success) return m.conn_not_backend();
		return m.conn_connected({
			contacts: contactsCount(stats.data.contacts),
			batches: batchesCount(stats.data.batches)
		});
	} catch (error) {
		return m.conn_cannot_reach({ url: base, reason: messageOf(error) });
	}
}
