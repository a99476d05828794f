/**
 * The workspace's calling rules in a drain, after the custom fields and before the contacts:
 * - calling hours: the newer of this device's and the backend's wins (an owner's newer local
 *   change is sent; a member's device takes the backend's, since only owners change them);
 * - the do-not-call list: a clear made here is sent (owners), then the numbers added here, in
 *   parts, then what the backend's list gained after this device's cursor is pulled, all pages
 *   written in one transaction with the cursor. A backend of another feed (restored, replaced)
 *   gets everything this device lists sent again.
 * A backend without these routes (404) is left alone: the rules stay on the device.
 */
import type { CallaroDb } from '$lib/db/database';
import { getCallingHours, saveCallingHours } from '$lib/db/calling-hours-repo';
import {
	applyPulledDoNotCall,
	readDoNotCallSync,
	restartDoNotCallSync,
	settleDoNotCallClear,
	settleDoNotCallSent
} from '$lib/db/do-not-call-repo';
import {
	callingHoursBodySchema,
	DNC_ADD_MAX,
	DNC_PAGE_MAX,
	doNotCallPageSchema
} from '$lib/protocol/workspace-lists';
import { describeIssues } from '$lib/protocol/sync';
import { dncKey, DoNotCallSet } from '$lib/domain/do-not-call';
import { Forbidden } from './drain-errors';
import { responseMessage, type TransportRequest, type TransportResponse } from './transport';

export interface CallingRulesDeps {
	db: CallaroDb;
	base: string;
	headers: Record<string, string>;
	/** The engine's request: retries, a refused token and a 403 thrown as the engine acts on them. */
	call: (request: TransportRequest) => Promise<TransportResponse>;
	/** Whether this token may change the calling hours and clear the list (an owner's). */
	canChange: boolean;
}

export async function syncCallingRules(deps: CallingRulesDeps): Promise<void> {
	await syncCallingHours(deps);
	await syncDoNotCall(deps);
}

async function readJson(res: TransportResponse, what: string): Promise<unknown> {
	if (res.status >= 400) throw new Error(`${what}: ${await responseMessage(res)}`);
	const text = await res.text();
	try {
		return JSON.parse(text) as unknown;
	} catch {
		throw new Error(`${what}: the server answered with something that is not JSON`);
	}
}

async function syncCallingHours({ db, base, headers, call, canChange }: CallingRulesDeps) {
	const res = await call({ method: 'GET', url: `${base}/v1/calling-hours`, headers });
	if (res.status === 404) return;
	const parsed = callingHoursBodySchema.safeParse(await readJson(res, 'reading calling hours'));
	if (!parsed.success) throw new Error(`reading calling hours: ${describeIssues(parsed.error)}`);
	const remote = parsed.data;
	const local = await getCallingHours(db);
	if (local.updatedAt > remote.updatedAt && canChange) {
		const put = await call({
			method: 'PUT',
			url: `${base}/v1/calling-hours`,
			headers,
			body: JSON.stringify(local)
		});
		const stored = callingHoursBodySchema.safeParse(await readJson(put, 'saving calling hours'));
		if (!stored.success) throw new Error(`saving calling hours: ${describeIssues(stored.error)}`);
		// The backend answers what it holds after: a newer write from another device wins.
		if (stored.data.updatedAt !== local.updatedAt) await saveCallingHours(db, stored.data);
		return;
	}
	if (remote.updatedAt !== local.updatedAt && (remote.updatedAt > local.updatedAt || !canChange))
		await saveCallingHours(db, remote);
}

async function syncDoNotCall({ db, base, headers, call, canChange }: CallingRulesDeps) {
	let sync = await readDoNotCallSync(db);
	// The first page says which feed the list belongs to, before anything is sent to it.
	const probe = await call({
		method: 'GET',
		url: `${base}/v1/do-not-call?since=0&limit=1`,
		headers
	});
	if (probe.status === 404) return;
	const first = doNotCallPageSchema.safeParse(
		await readJson(probe, 'reading the do-not-call list')
	);
	if (!first.success)
		throw new Error(`reading the do-not-call list: ${describeIssues(first.error)}`);
	if (sync.url !== base || (first.data.feedId && sync.feedId !== first.data.feedId)) {
		await restartDoNotCallSync(db, base, first.data.feedId);
		sync = await readDoNotCallSync(db);
	}
	if (sync.clear) {
		let refused = false;
		if (canChange) {
			try {
				const res = await call({ method: 'DELETE', url: `${base}/v1/do-not-call`, headers });
				await readJson(res, 'clearing the do-not-call list');
			} catch (error) {
				if (!(error instanceof Forbidden)) throw error;
				refused = true;
			}
		} else refused = true;
		// A clear this token may not make is dropped, and the workspace's list comes back from 0.
		await settleDoNotCallClear(db, refused);
		sync = await readDoNotCallSync(db);
	}
	for (let i = 0; i < sync.pending.length; i += DNC_ADD_MAX) {
		const part = sync.pending.subarray(i, i + DNC_ADD_MAX);
		const res = await call({
			method: 'POST',
			url: `${base}/v1/do-not-call`,
			headers,
			body: JSON.stringify({ phones: Array.from(part, (k) => `+${k}`) })
		});
		await readJson(res, 'sending do-not-call numbers');
		await settleDoNotCallSent(db, part);
	}
	sync = await readDoNotCallSync(db);
	const since = sync.cursor;
	const keys: number[] = [];
	let replace = since === 0;
	let next = since;
	for (;;) {
		const res = await call({
			method: 'GET',
			url: `${base}/v1/do-not-call?since=${next}&limit=${DNC_PAGE_MAX}`,
			headers
		});
		const page = doNotCallPageSchema.safeParse(await readJson(res, 'reading the do-not-call list'));
		if (!page.success)
			throw new Error(`reading the do-not-call list: ${describeIssues(page.error)}`);
		// A clear after this device's cursor: what it held before is gone from the workspace.
		if (page.data.cleared && next === since) replace = true;
		for (const phone of page.data.phones) keys.push(dncKey(phone));
		if (page.data.more && page.data.next <= next)
			throw new Error(`the server's do-not-call list did not move past ${next}`);
		next = page.data.next;
		if (!page.data.more) break;
	}
	if (next !== since || replace) {
		const read = DoNotCallSet.fromKeys(Float64Array.from(keys));
		await applyPulledDoNotCall(db, since, { read, replace, next });
	}
}
