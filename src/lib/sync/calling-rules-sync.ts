/**
 * The workspace's calling rules in a drain, after the custom fields and before the contacts:
 * - calling hours: the newer of this device's and the backend's wins (an owner's newer local
 *   change is sent; a member's device takes the backend's, since only owners change them);
 * - the do-not-call list: a clear made here is sent (owners), then the numbers added here, in
 *   parts, then what the backend's list gained after this device's cursor is pulled, all pages
 *   written in one transaction with the cursor. A backend of another feed (restored, replaced)
 *   gets everything this device lists sent again.
 * - the team: the names contacts can be owned by, read again when `/v1/me` says it changed, for
 *   Review to suggest them for an owner column's values.
 * A backend that says where its rules stand (`/v1/me` `rules`) is asked for them only when they
 * moved, so a drain with nothing new costs no request here. A backend without these routes (404)
 * is left alone: the rules stay on the device.
 */
import type { CallaroDb } from '$lib/db/database';
import {
	getCallingHours,
	saveCallingHours,
	type StoredCallingHours
} from '$lib/db/calling-hours-repo';
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
	doNotCallPageSchema,
	teamBodySchema
} from '$lib/protocol/workspace-lists';
import { readTeam, saveTeam } from '$lib/db/team-repo';
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
	/** The workspace's feed, as `/v1/me` named it. */
	feedId?: string;
	/** Where the workspace's rules stand, as `/v1/me` said (absent: ask every time). */
	rules?: { doNotCallSeq: number; callingHoursAt: number; teamAt?: number };
}

export async function syncCallingRules(deps: CallingRulesDeps): Promise<void> {
	await syncCallingHours(deps);
	await syncDoNotCall(deps);
	await syncTeam(deps);
}

/** The team, read only from a backend that says when it changed, and only when it did. */
async function syncTeam({ db, base, headers, call, rules }: CallingRulesDeps) {
	if (rules?.teamAt === undefined) return;
	if ((await readTeam(db)).teamAt === rules.teamAt) return;
	const res = await call({ method: 'GET', url: `${base}/v1/team`, headers });
	if (res.status === 404) return;
	const parsed = teamBodySchema.safeParse(await readJson(res, 'reading the team'));
	if (!parsed.success) throw new Error(`reading the team: ${describeIssues(parsed.error)}`);
	await saveTeam(db, {
		names: parsed.data.members.map((m) => m.name),
		teamAt: parsed.data.teamAt
	});
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

async function syncCallingHours({ db, base, headers, call, canChange, rules }: CallingRulesDeps) {
	const local = await getCallingHours(db);
	if (rules && rules.callingHoursAt === local.updatedAt) return;
	if (rules && local.updatedAt > rules.callingHoursAt && canChange) {
		await putCallingHours({ db, base, headers, call }, local);
		return;
	}
	const res = await call({ method: 'GET', url: `${base}/v1/calling-hours`, headers });
	if (res.status === 404) return;
	const parsed = callingHoursBodySchema.safeParse(await readJson(res, 'reading calling hours'));
	if (!parsed.success) throw new Error(`reading calling hours: ${describeIssues(parsed.error)}`);
	const remote = parsed.data;
	if (local.updatedAt > remote.updatedAt && canChange) {
		await putCallingHours({ db, base, headers, call }, local);
		return;
	}
	if (remote.updatedAt !== local.updatedAt && (remote.updatedAt > local.updatedAt || !canChange))
		await saveCallingHours(db, remote);
}

async function putCallingHours(
	{ db, base, headers, call }: Pick<CallingRulesDeps, 'db' | 'base' | 'headers' | 'call'>,
	local: StoredCallingHours
) {
	const put = await call({
		method: 'PUT',
		url: `${base}/v1/calling-hours`,
		headers,
		body: JSON.stringify(local)
	});
	if (put.status === 404) return;
	const stored = callingHoursBodySchema.safeParse(await readJson(put, 'saving calling hours'));
	if (!stored.success) throw new Error(`saving calling hours: ${describeIssues(stored.error)}`);
	// The backend answers what it holds after: a newer write from another device wins.
	if (stored.data.updatedAt !== local.updatedAt) await saveCallingHours(db, stored.data);
}

async function syncDoNotCall(deps: CallingRulesDeps) {
	const { db, base, headers, call, canChange, feedId, rules } = deps;
	let sync = await readDoNotCallSync(db);
	// Another backend, or this one restored (its feed is another): it gets the whole list again.
	if (sync.url !== base || (feedId && sync.feedId !== feedId)) {
		await restartDoNotCallSync(db, base, feedId);
		sync = await readDoNotCallSync(db);
	}
	const sent = sync.clear || sync.pending.length > 0;
	if (sync.clear) {
		let refused = false;
		if (canChange) {
			try {
				const res = await call({ method: 'DELETE', url: `${base}/v1/do-not-call`, headers });
				if (res.status === 404) return;
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
		// A backend without the list keeps nothing: the numbers wait here.
		if (res.status === 404) return;
		await readJson(res, 'sending do-not-call numbers');
		await settleDoNotCallSent(db, part);
	}
	sync = await readDoNotCallSync(db);
	// Nothing sent and nothing new on the backend's list: nothing to read.
	if (!sent && rules && sync.cursor === rules.doNotCallSeq) return;
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
		if (res.status === 404) return;
		const page = doNotCallPageSchema.safeParse(await readJson(res, 'reading the do-not-call list'));
		if (!page.success)
			throw new Error(`reading the do-not-call list: ${describeIssues(page.error)}`);
		// A backend without workspaces names its feed only here: another one than the cursor's
		// gets the whole list at the next drain.
		if (!feedId && page.data.feedId && page.data.feedId !== sync.feedId) {
			await restartDoNotCallSync(db, base, page.data.feedId);
			return;
		}
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
