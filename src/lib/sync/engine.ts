/**
 * The sync engine: drains the outbox in order to the backend when sync is on and the
 * browser is online, then pulls what other devices changed. Custom field definitions first (pull
 * and merge the backend's schema, then push ours), then each pending batch under its own
 * Idempotency-Key, then the change feed from the device's cursor. The server applies a key at most
 * once and replays its first answer, so retrying is always safe.
 *
 * First it asks who the token is (`GET /v1/me`): the device's data belongs to one workspace, and
 * a token of another stops the drain before anything is sent or pulled (db/workspace-repo.ts).
 *
 * Retries: network errors, 408, 429 (honouring Retry-After) and 5xx stop the drain and ask to be
 * called again after a backoff. 401 stops it with "Check the API token" and loses nothing. A 403
 * on a custom field's definition (only owners define them) is noted and the drain goes on; any
 * other 4xx marks that batch failed with the server's message; the drain goes on with the next.
 *
 * The file stays whole: it is the one place that talks to the backend, and the order of the
 * drain (fields, then batches in outbox order), the part keys and their generations, shrinking
 * after a 413 and the retry rules all act on the same outbox record within one `SyncEngine`;
 * splitting them would spread one protocol over several files.
 */
import { m } from '$lib/paraglide/messages';
import { messageOf } from '$lib/errors';
import type { Contact } from '$lib/domain/contact';
import type { CallaroDb, OutboxRecord } from '$lib/db/database';
import { backoffDelay, isRetryableStatus, retryAfterMs } from './backoff';
import { isConfigured, type SyncIdentity } from '$lib/domain/sync-config';
import { bindWorkspace, getBoundWorkspace } from '$lib/db/workspace-repo';
import { getSyncConfig, getSyncState, setSyncState } from '$lib/db/sync-config-repo';
import {
	batchAckSchema,
	BEYOND_HORIZON,
	CHANGES_PAGE,
	changesGoneSchema,
	customFieldListSchema,
	meSchema,
	TARGET_BODY_BYTES,
	type Me,
	type SyncContact,
	type SyncDelete
} from '$lib/protocol/sync';
import {
	getDeviceId,
	nextPendingChange,
	noteSyncResult,
	updateOutboxRecord
} from '$lib/db/outbox-repo';
import { getContacts } from '$lib/db/contact-reads';
import { addRemoteCustomFields, listCustomFields } from '$lib/db/custom-fields-repo';
import {
	noteFeedId,
	readFeedId,
	readPullPosition,
	restartFeed,
	snapshotPullKeys,
	type PullKeys
} from '$lib/db/pull-repo';
import { needsResendFromStart, noteResent, settleResyncPart } from '$lib/db/horizon-repo';
import { FeedReader } from './feed-reader';
import { AuthRefused, Forbidden, RetryLater } from './drain-errors';
import { syncCallingRules } from './calling-rules-sync';
import { applyReadPage, groupPages, readPage, type ReadPage } from './pull-page';
import {
	bodyMessage,
	responseMessage,
	type Transport,
	type TransportRequest,
	type TransportResponse
} from './transport';

/** The smallest part a 413 can shrink bodies to (one contact always goes, whatever its size). */
const MIN_BODY_BYTES = 16 * 1024;

export interface EngineDeps {
	db: CallaroDb;
	transport: Transport;
	now?: () => number;
	random?: () => number;
	online?: () => boolean;
}

export type DrainResult =
	| { kind: 'off' }
	| { kind: 'offline' }
	| { kind: 'done'; pushed: number; pulled: number }
	| { kind: 'retry'; inMs: number; reason: string }
	| { kind: 'error'; message: string };

/**
 * Changes a pull writes in one transaction at most (pages that follow at once join the first's):
 * an import's batch size, the one the storage measurements favour.
 */
const PULL_GROUP = 5000;

/**
 * An answer of the change feed, read whole; a 200's page is parsed and checked as it arrives
 * (`read`, or the error that says why it cannot be used), while earlier pages are written.
 */
interface PageAnswer {
	status: number;
	text: string;
	read?: ReadPage | Error;
}

/** A token of another workspace than the one this device's data belongs to. */
class OtherWorkspace extends Error {
	constructor(
		readonly token: SyncIdentity,
		readonly bound: SyncIdentity
	) {
		super(m.sync_err_other_workspace({ token: token.workspaceName, bound: bound.workspaceName }));
	}
}

/** A 200's page as checked when it arrived; throws why it cannot be used. */
function readOf(answer: PageAnswer): ReadPage {
	if (!answer.read) throw new Error('the server sent no page of changes');
	if (answer.read instanceof Error) throw answer.read;
	return answer.read;
}

/** What the backend receives for a contact (device-only bookkeeping left out). */
export function toSyncContact(c: Contact): SyncContact {
	const out: SyncContact = {
		phone: c.phone,
		tags: [...c.tags],
		custom: c.custom,
		updatedAt: c.updatedAt
	};
	if (c.firstName) out.firstName = c.firstName;
	if (c.lastName) out.lastName = c.lastName;
	if (c.email) out.email = c.email;
	if (c.company) out.company = c.company;
	if (c.timezone) out.timezone = c.timezone;
	if (c.owner) out.owner = c.owner;
	return out;
}

/** What a refused token means: access ended when the token was known to the backend before. */
function refusedMessage(identity: SyncIdentity | undefined): string {
	if (!identity) return m.sync_err_token_refused();
	return m.sync_err_access_ended({ workspace: identity.workspaceName });
}

export class SyncEngine {
	private readonly now: () => number;
	private readonly random: () => number;
	private readonly online: () => boolean;

	constructor(private readonly deps: EngineDeps) {
		this.now = deps.now ?? Date.now;
		this.random = deps.random ?? Math.random;
		this.online = deps.online ?? (() => true);
	}

	/** Pushes everything pending; says when to call again. */
	async drain(): Promise<DrainResult> {
		const { db } = this.deps;
		const config = await getSyncConfig(db);
		if (!isConfigured(config)) return { kind: 'off' };
		if (!this.online()) return { kind: 'offline' };
		const base = config.url.replace(/\/+$/, '');
		const headers = { Authorization: `Bearer ${config.token}`, 'Content-Type': 'application/json' };
		let pushed = 0;
		try {
			const deviceId = await getDeviceId(db);
			const identity = await this.identify(base, headers);
			await this.syncFields(base, headers);
			await syncCallingRules({
				db,
				base,
				headers,
				call: (request) => this.call(request),
				canChange: !identity || identity.role === 'owner',
				feedId: this.me?.feedId,
				rules: this.me?.rules
			});
			for (;;) {
				const next = await nextPendingChange(db);
				if (!next) break;
				await this.push(base, headers, deviceId, next);
				pushed++;
			}
			// Pulled after the push: the server then holds this device's changes, and what comes
			// back is what every device converges on.
			this.noFeed = false;
			const pulled = await this.pull(base, headers, deviceId);
			const before = await getSyncState(db);
			const refusedFields = this.refusedFields.length > 0 ? this.refusedFields : undefined;
			await setSyncState(db, {
				attempt: 0,
				lastSyncAt: this.now(),
				identity,
				refusedFields,
				noFeed: this.noFeed || undefined,
				feedRestarted: before.feedRestarted
			});
			return { kind: 'done', pushed, pulled };
		} catch (error) {
			const state = await getSyncState(db);
			if (error instanceof RetryLater) {
				const inMs = error.afterMs ?? backoffDelay(state.attempt, this.random());
				await setSyncState(db, {
					...state,
					attempt: state.attempt + 1,
					retrying: error.message,
					retryAt: this.now() + inMs,
					lastError: undefined
				});
				return { kind: 'retry', inMs, reason: error.message };
			}
			const message =
				error instanceof AuthRefused
					? refusedMessage(state.identity)
					: error instanceof OtherWorkspace
						? error.message
						: m.sync_err_stopped({ reason: messageOf(error) });
			// A pull this error stopped starts its count afresh next time (a later pull may be of
			// another backend, or find the feed moved on).
			await setSyncState(db, {
				...state,
				attempt: 0,
				lastError: message,
				retrying: undefined,
				pull: undefined,
				otherWorkspace: error instanceof OtherWorkspace ? error.token : undefined
			});
			return { kind: 'error', message };
		}
	}

	private async call(request: TransportRequest): Promise<TransportResponse> {
		let res: TransportResponse;
		try {
			res = await this.deps.transport(request);
		} catch (error) {
			throw new RetryLater(`Network error: ${messageOf(error)}`);
		}
		if (res.status === 401) throw new AuthRefused();
		if (res.status === 403) throw new Forbidden(await responseMessage(res));
		if (isRetryableStatus(res.status)) {
			throw new RetryLater(
				`The server answered ${res.status}`,
				retryAfterMs(res.headers.get('Retry-After'), this.now())
			);
		}
		return res;
	}

	/**
	 * Who the token is, binding the device's data to its workspace the first time; throws
	 * OtherWorkspace for a token of another one. A backend without workspaces (no `/v1/me`) has
	 * one workspace: null, and nothing is bound.
	 */
	private async identify(
		base: string,
		headers: Record<string, string>
	): Promise<SyncIdentity | undefined> {
		this.me = undefined;
		const res = await this.call({ method: 'GET', url: `${base}/v1/me`, headers });
		if (res.status === 404) return undefined;
		if (res.status >= 400)
			throw new Error(`reading who this token is: ${await responseMessage(res)}`);
		const parsed = meSchema.safeParse(JSON.parse(await res.text()));
		if (!parsed.success)
			throw new Error('the server said who this token is in a way this app cannot read');
		const me = parsed.data;
		const bound = await getBoundWorkspace(this.deps.db);
		// Local data never merges into another workspace; unbound data becomes this token's.
		if (bound && bound.workspaceId !== me.workspaceId) throw new OtherWorkspace(me, bound);
		await bindWorkspace(this.deps.db, me);
		if (me.feedId) await this.checkFeed(base, me.feedId);
		this.me = me;
		const { feedId: _, rules: __, ...identity } = me;
		return identity;
	}

	/**
	 * The feed this device's cursor belongs to against the backend's: the first time a backend
	 * names its feed it is noted; another feed (the backend restored, or a new database) starts the
	 * pull over from 0 and queues everything this device holds to be sent again (restartFeed).
	 */
	private async checkFeed(base: string, feedId: string): Promise<void> {
		const { db } = this.deps;
		const known = await readFeedId(db, base);
		if (known === feedId) return;
		if (known === undefined) {
			await noteFeedId(db, base, feedId);
			return;
		}
		await restartFeed(db, base, feedId, this.now());
	}

	/** What `/v1/me` answered in this drain (none from a backend without workspaces). */
	private me: Me | undefined;

	/** Whether the backend has no change feed (`/v1/changes` answered 404), as of this drain. */
	private noFeed = false;

	/** Custom fields the backend refused to define in this drain (a member's token). */
	private refusedFields: { key: string; message: string }[] = [];

	/** Pulls the backend's custom fields into ours, then pushes ours that it lacks or names differently. */
	private async syncFields(base: string, headers: Record<string, string>): Promise<void> {
		const { db } = this.deps;
		const res = await this.call({ method: 'GET', url: `${base}/v1/custom-fields`, headers });
		if (res.status >= 400) throw new Error(`reading custom fields: ${await responseMessage(res)}`);
		const parsed = customFieldListSchema.safeParse(JSON.parse(await res.text()));
		if (!parsed.success) throw new Error('the server sent custom fields this app cannot read');
		const remote = new Map(parsed.data.fields.map((f) => [f.key, f]));
		const local = await listCustomFields(db);
		const localKeys = new Set(local.map((f) => f.key));
		const missing = parsed.data.fields.filter((f) => !localKeys.has(f.key));
		if (missing.length > 0) {
			await addRemoteCustomFields(
				db,
				missing.map((f) => ({
					key: f.key,
					label: f.label,
					type: 'text' as const,
					createdAt: this.now()
				}))
			);
		}
		this.refusedFields = [];
		for (const f of local) {
			if (remote.get(f.key)?.label === f.label) continue;
			let put: TransportResponse;
			try {
				put = await this.call({
					method: 'PUT',
					url: `${base}/v1/custom-fields/${encodeURIComponent(f.key)}`,
					headers,
					body: JSON.stringify({ label: f.label, type: 'text' })
				});
			} catch (error) {
				// Only the workspace's owners define its schema: the field stays on this device, the
				// refusal is shown in Settings, and contacts still sync.
				if (!(error instanceof Forbidden)) throw error;
				this.refusedFields.push({ key: f.key, message: error.message });
				continue;
			}
			if (put.status >= 400)
				throw new Error(`saving custom field “${f.key}”: ${await responseMessage(put)}`);
		}
	}

	/**
	 * Pulls the changes made since the cursor, page by page, each page applied with the cursor in
	 * one transaction (a reload resumes after the last page applied). Progress is kept in the sync
	 * state for Settings while pages remain. Returns how many changes were received.
	 */
	private async pull(
		base: string,
		headers: Record<string, string>,
		deviceId: string
	): Promise<number> {
		const { db } = this.deps;
		// `gen`: the horizon gen the cursor was read at, sent back with it so the backend knows
		// whether anything was removed since (protocol/sync.ts, horizonSchema).
		let { cursor: since, gen } = await readPullPosition(db, base);
		// A pull resumed after a reload goes on counting from where its progress stood.
		const resumed = (await getSyncState(db)).pull;
		let received = resumed?.received ?? 0;
		let expected = resumed?.total;
		let total = 0;
		// The snapshot of held phones, taken once a pull has pages still to come (pull-repo.ts).
		let keys: PullKeys | undefined;
		// Pages asked for ahead while the ones before them are written (feed-reader.ts).
		const feed = new FeedReader<PageAnswer>(
			(from, fromGen, count) => this.askChanges(base, headers, from, fromGen, count),
			// The page after a page that was read and has more; none after one that cannot be used.
			({ read }) =>
				read && !(read instanceof Error) && read.page.more
					? { cursor: read.page.next, gen: read.page.horizon?.gen }
					: undefined
		);
		// The first page of a pull asks how many changes follow, for progress.
		const answerFor = (from: number, counted: boolean) =>
			feed.take(from, gen, counted && expected === undefined);
		for (;;) {
			const first = await answerFor(since, true);
			const { status, text } = first;
			if (status === 404 && since === 0 && received === 0) {
				// A backend from before the change feed: pushing works, nothing comes back. Said
				// once in Settings, not as an error on every drain.
				this.noFeed = true;
				return 0;
			}
			if (status === 410 && since > 0) {
				// The cursor is behind the feed's horizon: deletes after it are gone from the feed,
				// so reading on could leave deleted contacts here. The pull starts over from 0 and
				// everything held is resent (restartFeed); the backend refuses, as beyond its
				// horizon, what it holds nothing for and is older than its history, which a resend
				// then deletes here (settleResyncPart), so nothing deleted elsewhere comes back.
				let body: unknown = null;
				try {
					body = JSON.parse(text);
				} catch {
					// Not JSON: the check below refuses it, with the answer's text.
				}
				const gone = changesGoneSchema.safeParse(body);
				if (!gone.success)
					throw new Error(`reading changes: the server answered 410 (${text.slice(0, 200)})`);
				await this.resendForHorizon(base, gone.data.horizon.seq, gone.data.error);
				since = 0;
				received = 0;
				expected = undefined;
				keys = undefined;
				continue;
			}
			if (status >= 400) throw new Error(`reading changes: ${bodyMessage(status, text)}`);
			const reads = [readOf(first)];
			// Pages that follow, while they come at once, join this one's transaction up to
			// PULL_GROUP changes: a transaction of 1,000 contacts writes about a fifth slower than
			// one of 5,000. A page that fails, or belongs to another feed, is left for the next
			// round, which asks for it again and meets what is wrong with it alone.
			let last = reads[0].page;
			let grouped = reads[0].received;
			// A pull's first page is written alone, so that its progress shows at once.
			const group = received === 0 ? 1 : PULL_GROUP;
			while (last.more && grouped < group) {
				// Safe: a page that could not be fetched is asked for again by the next round, which
				// meets its error then.
				const next = await answerFor(last.next, false).catch(() => undefined);
				if (next?.status !== 200) break;
				// A page that cannot be used is asked for again by the next round, which throws why.
				if (!next.read || next.read instanceof Error) break;
				const read = next.read;
				if (read.page.feedId !== last.feedId) break;
				reads.push(read);
				last = read.page;
				grouped += read.received;
			}
			if (last.more) {
				// Many pages to come: one read of the held phones spares a lookup per page.
				keys ??= await snapshotPullKeys(db);
			}
			const read = groupPages(reads);
			const page = await applyReadPage(db, base, since, read, deviceId, keys);
			if (page === null) {
				// Another tab applied this page: go on from where it left the cursor.
				feed.reset();
				({ cursor: since, gen } = await readPullPosition(db, base));
				continue;
			}
			const horizonSeq = page.horizon?.seq ?? 0;
			if (since === 0 && horizonSeq > 0 && (await needsResendFromStart(db, base, horizonSeq))) {
				// A pull from 0 by a device that has sent changes (its first pull never finished,
				// or it was reset) cannot learn of deletes whose tombstones are gone: the same
				// resend as a 410's, so the backend refuses what it no longer holds and it is
				// deleted here.
				feed.reset();
				await this.resendForHorizon(base, horizonSeq);
				received = 0;
				expected = undefined;
				keys = undefined;
				continue;
			}
			since = page.next;
			gen = page.horizon?.gen;
			received += page.received;
			total += page.received;
			if (page.remaining !== undefined) expected = received + page.remaining;
			// Changes made while the pull goes on make it longer than first counted.
			expected = Math.max(expected ?? received, received + (page.more ? 1 : 0));
			const state = await getSyncState(db);
			await setSyncState(db, {
				...state,
				pull: page.more ? { received, total: expected } : undefined
			});
			if (!page.more) return total;
		}
	}

	/** One request of the change feed, its answer read whole (errors thrown as `call` does). */
	private async askChanges(
		base: string,
		headers: Record<string, string>,
		since: number,
		gen: number | undefined,
		count: boolean
	): Promise<PageAnswer> {
		// `gen`: the horizon gen the cursor was read at, sent back with it so the backend knows
		// whether anything was removed since (protocol/sync.ts, horizonSchema).
		const genParam = since > 0 && gen !== undefined ? `&gen=${gen}` : '';
		const res = await this.call({
			method: 'GET',
			url: `${base}/v1/changes?since=${since}&limit=${CHANGES_PAGE}${count ? '&count=1' : ''}${genParam}`,
			headers
		});
		const text = await res.text();
		if (res.status !== 200) return { status: res.status, text };
		let read: ReadPage | Error;
		try {
			read = readPage(text, since);
		} catch (error) {
			// Kept, not thrown: the pull throws it when it comes to this page (feed-reader.ts).
			read = error instanceof Error ? error : new Error(String(error));
		}
		return { status: res.status, text, read };
	}

	/**
	 * The pull starts over from 0 with everything this device holds queued again (restartFeed),
	 * because the feed's horizon at `seq` may have removed deletes it never saw; `message` is the
	 * backend's, naming how long it keeps them.
	 */
	private async resendForHorizon(base: string, seq: number, message?: string): Promise<void> {
		const { db } = this.deps;
		await restartFeed(db, base, await readFeedId(db, base), this.now(), {
			reason: 'horizon',
			message
		});
		await noteResent(db, base, seq);
	}

	/**
	 * Sends one outbox record: its bodies are built once (contacts as they are now, and the
	 * deletes), each under `TARGET_BODY_BYTES`, and frozen, so that a retry sends the same bytes
	 * under the same key. A part's answer lists the contacts the server refused; they are kept
	 * (`noteSyncResult`) and shown until the server accepts them. A 413 (a server with a smaller limit) rebuilds the rest as smaller
	 * parts under new keys; any other 4xx marks the record failed with the server's message.
	 */
	private async push(
		base: string,
		headers: Record<string, string>,
		deviceId: string,
		record: OutboxRecord
	): Promise<void> {
		const { db } = this.deps;
		let parts = record.parts ?? (record.body !== undefined ? [record.body] : undefined);
		const generation = record.generation ?? 0;
		if (parts === undefined) {
			parts = await this.buildParts(record, deviceId, record.targetBytes ?? TARGET_BODY_BYTES);
			await updateOutboxRecord(db, record.seq!, { parts, partsDone: 0 });
		}
		for (let i = record.partsDone ?? 0; i < parts.length; i++) {
			// A first-generation record sent in one part is keyed by its own id: a record stored with a
			// single `body` may have reached the server under that key, and its retry must be a replay.
			const key =
				(generation === 0 ? record.id : `${record.id}~${generation}`) +
				(parts.length === 1 ? '' : `#${i}`);
			await updateOutboxRecord(db, record.seq!, { attempts: record.attempts + 1 });
			const res = await this.call({
				method: 'POST',
				url: `${base}/v1/contacts/batches`,
				headers: { ...headers, 'Idempotency-Key': key },
				body: parts[i]
			});
			if (res.status === 413 && (record.targetBytes ?? TARGET_BODY_BYTES) > MIN_BODY_BYTES) {
				// Smaller parts under new keys; parts already stored are sent again, which is
				// harmless: the server keeps the newer write, and these are the same writes.
				const targetBytes = Math.max(
					MIN_BODY_BYTES,
					Math.floor((record.targetBytes ?? TARGET_BODY_BYTES) / 4)
				);
				await updateOutboxRecord(db, record.seq!, {
					parts: undefined,
					body: undefined,
					partsDone: 0,
					targetBytes,
					generation: generation + 1
				});
				throw new RetryLater('The server asked for smaller batches', 0);
			}
			if (res.status < 200 || res.status >= 300) {
				await updateOutboxRecord(db, record.seq!, {
					status: 'failed',
					error: await responseMessage(res)
				});
				return;
			}
			const ack = batchAckSchema.safeParse(JSON.parse(await res.text()));
			const refused = ack.success ? ack.data.refused : [];
			const part = parts[i];
			const accepted = () => {
				const no = new Set(refused.map((r) => r.phone));
				return (JSON.parse(part) as { contacts: { phone: string }[] }).contacts
					.map((c) => c.phone)
					.filter((p) => !no.has(p));
			};
			if (record.resync && refused.some((r) => r.code === BEYOND_HORIZON)) {
				// A resend the backend holds nothing for, older than its history of deletes: deleted
				// here when still exactly as this part sent it (horizon-repo.ts says when it stays).
				const sent = new Map(
					(JSON.parse(part) as { contacts: SyncContact[] }).contacts.map((c) => [
						c.phone,
						JSON.stringify(c)
					])
				);
				await settleResyncPart(
					db,
					{ seq: record.seq!, jobId: record.jobId, partsDone: i + 1 },
					refused,
					accepted,
					(c) => sent.get(c.phone) === JSON.stringify(toSyncContact(c))
				);
			} else {
				await noteSyncResult(db, record.jobId, refused, accepted);
				await updateOutboxRecord(db, record.seq!, { partsDone: i + 1 });
			}
		}
		await updateOutboxRecord(db, record.seq!, {
			status: 'synced',
			syncedAt: this.now(),
			error: undefined,
			// Sent for good: the frozen bodies are only needed to retry under the same keys.
			parts: undefined,
			body: undefined
		});
	}

	/** The record's request bodies, split by size. */
	private async buildParts(
		record: OutboxRecord,
		deviceId: string,
		targetBytes: number
	): Promise<string[]> {
		const { db } = this.deps;
		const envelope = (contacts: string[], deletes: SyncDelete[]) =>
			`{"batchId":${JSON.stringify(record.id)},"importId":${JSON.stringify(record.jobId)},"deviceId":${JSON.stringify(deviceId)},"deletes":${JSON.stringify(deletes)},"contacts":[${contacts.join(',')}]}`;
		const deletes =
			record.deletes ??
			(record.deleted ?? []).map((phone) => ({ phone, deletedAt: record.createdAt }));
		// A contact deleted since it was queued is left out (its delete is queued after it), and so
		// is one another device's newer write has replaced since (pulled: the server has it), unless
		// the record resends what a replaced backend lost: then every contact goes.
		const contacts = (await getContacts(db, record.phones)).filter(
			(c) => record.resync || c.updatedBy === undefined
		);
		const parts: string[] = [];
		let pending: string[] = [];
		let bytes = 0;
		let first = true;
		for (const c of contacts) {
			const json = JSON.stringify(toSyncContact(c));
			if (pending.length > 0 && bytes + json.length > targetBytes) {
				parts.push(envelope(pending, first ? deletes : []));
				first = false;
				pending = [];
				bytes = 0;
			}
			pending.push(json);
			bytes += json.length + 1;
		}
		if (pending.length > 0 || first) parts.push(envelope(pending, first ? deletes : []));
		return parts;
	}
}
