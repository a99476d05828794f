/**
 * A workspace's members, managed by its owners from Settings: list them, add one (its token is
 * shown once: the server keeps only a hash), revoke one (its token stops working at once).
 */
import { m } from '$lib/paraglide/messages';
import { messageOf } from '$lib/errors';
import type { SyncConfig } from '$lib/domain/sync-config';
import { createdMemberSchema, memberListSchema, type Member, type Role } from '$lib/protocol/sync';
import { responseMessage, type Transport, type TransportRequest } from './transport';

export interface MembersClient {
	list(): Promise<Member[]>;
	add(name: string, role: Role): Promise<{ memberId: string; token: string }>;
	revoke(memberId: string): Promise<void>;
}

/** Calls the backend of `config` with its token; every failure rejects with a sentence. */
export function membersClient(config: SyncConfig, transport: Transport): MembersClient {
	const base = config.url.trim().replace(/\/+$/, '');
	const call = async (method: TransportRequest['method'], path: string, body?: unknown) => {
		let res;
		try {
			res = await transport({
				method,
				url: `${base}${path}`,
				headers: {
					Authorization: `Bearer ${config.token.trim()}`,
					'Content-Type': 'application/json'
				},
				body: body === undefined ? undefined : JSON.stringify(body)
			});
		} catch (error) {
			throw new Error(m.conn_cannot_reach({ url: base, reason: messageOf(error) }), {
				cause: error
			});
		}
		if (res.status >= 400) throw new Error(await responseMessage(res));
		return res.text();
	};
	return {
		async list() {
			const parsed = memberListSchema.safeParse(JSON.parse(await call('GET', '/v1/members')));
			if (!parsed.success) throw new Error(m.members_err_list());
			return parsed.data.members;
		},
		async add(name, role) {
			const parsed = createdMemberSchema.safeParse(
				JSON.parse(await call('POST', '/v1/members', { name: name.trim(), role }))
			);
			if (!parsed.success) throw new Error(m.members_err_added());
			return parsed.data;
		},
		async revoke(memberId) {
			await call('DELETE', `/v1/members/${encodeURIComponent(memberId)}`);
		}
	};
}

/**
 * The link that lets a new member's device join: this app's Settings with the backend and token
 * in the URL's fragment, which a browser never sends to any server (not to this app's host, not
 * to the backend), so the token reaches no log. Settings fills the form from it and drops it.
 */
export function joinLink(origin: string, url: string, token: string): string {
	return `${origin}/settings#join=${encodeURIComponent(btoa(JSON.stringify({ url, token })))}`;
}

/** The backend and token in a join link's fragment (`#join=…`), or null. */
export function readJoinFragment(hash: string): { url: string; token: string } | null {
	const match = /^#join=(.+)$/.exec(hash);
	if (!match) return null;
	try {
		const value = JSON.parse(atob(decodeURIComponent(match[1]))) as unknown;
		if (
			typeof value === 'object' &&
			value !== null &&
			typeof (value as { url?: unknown }).url === 'string' &&
			typeof (value as { token?: unknown }).token === 'string'
		) {
			const { url, token } = value as { url: string; token: string };
			return { url, token };
		}
	} catch {
		// A damaged link fills nothing in: the person enters the backend and token by hand.
	}
	return null;
}
