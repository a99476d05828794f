/**
 * The sync engine: drains the outbox in order to the backend when sync is on and the
 * browser is online. Custom field definitions first (pull and merge the backend's schema, then push
 * ours), then each pending batch under its own Idempotency-Key. The server applies a key at most
 * once and replays its first answer, so retrying is always safe.
 *
 * Retries: network errors, 408, 429 (honouring Retry-After) and 5xx stop the drain and ask to be
 * called again after a backoff. 401/403 stop it with "Check the API token" and lose nothing. Any
 * other 4xx marks that batch failed with the server's message; the drain goes on with the next.
 */
import Dexie from 'dexie';
import type { Contact } from '$lib/domain/contact';
import type { CallaroDb, OutboxRecord } from '$lib/db/database';
import { backoffDelay, isRetryableStatus, retryAfterMs } from './backoff';
import { getSyncConfig, getSyncState, isConfigured, setSyncState } from './config';
import { customFieldListSchema, type SyncContact } from './protocol';
import type { Transport, TransportRequest, TransportResponse } from './transport';

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
	| { kind: 'done'; pushed: number }
	| { kind: 'retry'; inMs: number; reason: string }
	| { kind: 'error'; message: string };

class RetryLater extends Error {
	constructor(
		message: string,
		public readonly afterMs?: number
	) {
		super(message);
	}
}

class AuthRefused extends Error {}

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
	return out;
}

async function messageOf(res: TransportResponse): Promise<string> {
	const text = await res.text().catch(() => '');
	try {
		const json = JSON.parse(text) as { error?: unknown };
		if (typeof json.error === 'string') return json.error;
	} catch {
		/* not JSON */
	}
	return text.slice(0, 200) || `HTTP ${res.status}`;
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
			await this.syncFields(base, headers);
			for (;;) {
				const next = await db.outbox
					.where('[status+seq]')
					.between(['pending', Dexie.minKey], ['pending', Dexie.maxKey])
					.first();
				if (!next) break;
				await this.push(base, headers, next);
				pushed++;
			}
			await setSyncState(db, { attempt: 0, lastSyncAt: this.now() });
			return { kind: 'done', pushed };
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
					? 'Check the API token: the server refused it.'
					: `Sync stopped: ${error instanceof Error ? error.message : String(error)}`;
			await setSyncState(db, { ...state, attempt: 0, lastError: message, retrying: undefined });
			return { kind: 'error', message };
		}
	}

	private async call(request: TransportRequest): Promise<TransportResponse> {
		let res: TransportResponse;
		try {
			res = await this.deps.transport(request);
		} catch (error) {
			throw new RetryLater(
				`Network error: ${error instanceof Error ? error.message : String(error)}`
			);
		}
		if (res.status === 401 || res.status === 403) throw new AuthRefused();
		if (isRetryableStatus(res.status)) {
			throw new RetryLater(
				`The server answered ${res.status}`,
				retryAfterMs(res.headers.get('Retry-After'), this.now())
			);
		}
		return res;
	}

	/** Pulls the backend's custom fields into ours, then pushes ours that it lacks or names differently. */
	private async syncFields(base: string, headers: Record<string, string>): Promise<void> {
		const { db } = this.deps;
		const res = await this.call({ method: 'GET', url: `${base}/v1/custom-fields`, headers });
		if (res.status >= 400) throw new Error(`reading custom fields: ${await messageOf(res)}`);
		const parsed = customFieldListSchema.safeParse(JSON.parse(await res.text()));
		if (!parsed.success) throw new Error('the server sent custom fields this app cannot read');
		const remote = new Map(parsed.data.fields.map((f) => [f.key, f]));
		const local = await db.customFields.toArray();
		const localKeys = new Set(local.map((f) => f.key));
		const missing = parsed.data.fields.filter((f) => !localKeys.has(f.key));
		if (missing.length > 0) {
			await db.customFields.bulkPut(
				missing.map((f) => ({
					key: f.key,
					label: f.label,
					type: 'text' as const,
					createdAt: this.now()
				}))
			);
		}
		for (const f of local) {
			if (remote.get(f.key)?.label === f.label) continue;
			const put = await this.call({
				method: 'PUT',
				url: `${base}/v1/custom-fields/${encodeURIComponent(f.key)}`,
				headers,
				body: JSON.stringify({ label: f.label, type: 'text' })
			});
			if (put.status >= 400)
				throw new Error(`saving custom field “${f.key}”: ${await messageOf(put)}`);
		}
	}

	private async push(
		base: string,
		headers: Record<string, string>,
		record: OutboxRecord
	): Promise<void> {
		const { db } = this.deps;
		let body = record.body;
		if (body === undefined) {
			// Freeze the body once: every retry under this key must send the same bytes.
			const contacts = (await db.contacts.bulkGet(record.phones)).filter((c): c is Contact => !!c);
			body = JSON.stringify({
				batchId: record.id,
				importId: record.jobId,
				contacts: contacts.map(toSyncContact)
			});
			await db.outbox.update(record.seq!, { body });
		}
		await db.outbox.update(record.seq!, { attempts: record.attempts + 1 });
		const res = await this.call({
			method: 'POST',
			url: `${base}/v1/contacts/batches`,
			headers: { ...headers, 'Idempotency-Key': record.id },
			body
		});
		if (res.status >= 200 && res.status < 300) {
			await db.outbox.update(record.seq!, {
				status: 'synced',
				syncedAt: this.now(),
				error: undefined
			});
			return;
		}
		await db.outbox.update(record.seq!, { status: 'failed', error: await messageOf(res) });
	}
}

/** Puts refused batches of a job (or all) back in the queue; their bodies are rebuilt. */
export async function retryFailed(db: CallaroDb, jobId?: string): Promise<number> {
	return db.transaction('rw', db.outbox, async () => {
		const failed = await db.outbox
			.where('[status+seq]')
			.between(['failed', Dexie.minKey], ['failed', Dexie.maxKey])
			.filter((r) => jobId === undefined || r.jobId === jobId)
			.toArray();
		for (const r of failed) {
			await db.outbox.update(r.seq!, {
				status: 'pending',
				error: undefined,
				body: undefined,
				attempts: 0
			});
		}
		return failed.length;
	});
}
