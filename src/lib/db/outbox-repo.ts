/**
 * The sync outbox: every local change to contacts (an import batch, an edit, a delete, a page of
 * an undo) queues one record in the same transaction as the change, so that a change is synced
 * exactly when it is committed. The sync engine (sync/engine.ts) drains the records in `seq`
 * order. Pages read summaries from here and never the records' contents.
 */
import Dexie from 'dexie';
import type { RefusedContact } from '$lib/protocol/sync';
import type { CallaroDb, OutboxRecord } from './database';

const DEVICE_ID = 'deviceId';
const CLOCK = 'clock';

/**
 * The device's write clock: the time stamped on its last change to contacts. Every change takes
 * a later time than the one before (`tick`), even within one millisecond or after the system
 * clock moved back, so the backend, which keeps the write with the later time, applies this
 * device's changes in the order they were made (a contact deleted and imported again comes back).
 * Read and written inside the change's transaction (`db.settings` in its scope).
 */
export async function readClock(db: CallaroDb): Promise<number> {
	const saved = (await db.settings.get(CLOCK))?.value;
	return typeof saved === 'number' ? saved : 0;
}

export function writeClock(db: CallaroDb, at: number): Promise<unknown> {
	return db.settings.put({ key: CLOCK, value: at });
}

/** The time for a change made at `now`: later than every earlier change of this device. */
export async function tick(db: CallaroDb, now: number): Promise<number> {
	const at = Math.max(now, (await readClock(db)) + 1);
	await writeClock(db, at);
	return at;
}

/** What a change queues: the phones it wrote (sent as they are when pushed) and deleted. */
export interface QueuedChange {
	/** The import it belongs to, or `edit` for a change made by hand. */
	jobId: string;
	/** Unique among records: the batch id and the base of its Idempotency-Keys. */
	id: string;
	phones: string[];
	deleted?: string[];
	/** When the change was made (ms): a delete's time for last-writer-wins. */
	at: number;
}

/** Queues a change (call inside the change's transaction, with `db.outbox` in its scope). */
export function queueChange(db: CallaroDb, change: QueuedChange): Promise<unknown> {
	const record: OutboxRecord = {
		id: change.id,
		jobId: change.jobId,
		phones: change.phones,
		status: 'pending',
		attempts: 0,
		createdAt: change.at
	};
	if (change.deleted && change.deleted.length > 0) record.deleted = change.deleted;
	return db.outbox.add(record);
}

/** An id for a change made by hand (edits, deletes). */
export function editId(at: number): string {
	return `edit:${at}:${crypto.randomUUID()}`;
}

/**
 * This device's stable id, made once: it breaks ties between writes of the same contact made at
 * the same millisecond on two devices, the same way on the server and on every device.
 */
export async function getDeviceId(db: CallaroDb): Promise<string> {
	return db.transaction('rw', db.settings, async () => {
		const saved = await db.settings.get(DEVICE_ID);
		if (typeof saved?.value === 'string') return saved.value;
		const id = crypto.randomUUID();
		await db.settings.put({ key: DEVICE_ID, value: id });
		return id;
	});
}

/**
 * Contacts the server refused, kept per import (or `edit`) in the settings table under
 * `refused:<jobId>`: a few records however large the imports, so that pages read them without
 * touching the outbox. A contact the server accepts later (after it was fixed) is forgotten.
 */
const REFUSED_PREFIX = 'refused:';
/** Refused contacts listed per import (the count covers all). */
const REFUSED_KEPT = 1000;

interface RefusalRecord {
	count: number;
	contacts: RefusedContact[];
}

/**
 * Records a part's answer: the contacts it refused, and (when refusals are on record) the phones
 * it accepted, read only then, which are forgotten as refused.
 */
export async function noteSyncResult(
	db: CallaroDb,
	jobId: string,
	refused: RefusedContact[],
	acceptedPhones: () => string[]
): Promise<void> {
	await db.transaction('rw', db.settings, async () => {
		const entries = await db.settings.where('key').startsWith(REFUSED_PREFIX).toArray();
		if (entries.length > 0) {
			const accepted = new Set(acceptedPhones());
			for (const entry of entries) {
				const v = entry.value as RefusalRecord;
				const kept = v.contacts.filter((c) => !accepted.has(c.phone));
				if (kept.length === v.contacts.length) continue;
				const count = v.count - (v.contacts.length - kept.length);
				if (count <= 0) await db.settings.delete(entry.key);
				else await db.settings.put({ key: entry.key, value: { count, contacts: kept } });
			}
		}
		if (refused.length === 0) return;
		const key = REFUSED_PREFIX + jobId;
		const v = ((await db.settings.get(key))?.value as RefusalRecord | undefined) ?? {
			count: 0,
			contacts: []
		};
		const known = new Set(v.contacts.map((c) => c.phone));
		const fresh = refused.filter((c) => !known.has(c.phone));
		await db.settings.put({
			key,
			value: {
				count: v.count + fresh.length,
				contacts: [...v.contacts, ...fresh].slice(0, REFUSED_KEPT)
			}
		});
	});
}

/**
 * The phones listed as refused for any import or edit but `jobId`'s (read inside the caller's
 * transaction, `db.settings` in its scope).
 */
export async function refusedPhonesBesides(db: CallaroDb, jobId: string): Promise<Set<string>> {
	const phones = new Set<string>();
	for (const entry of await db.settings.where('key').startsWith(REFUSED_PREFIX).toArray()) {
		if (entry.key === REFUSED_PREFIX + jobId) continue;
		for (const c of (entry.value as RefusalRecord).contacts) phones.add(c.phone);
	}
	return phones;
}

/** Records not yet sent for good (pending, or failed and waiting for a retry), oldest first. */
export async function unsentRecords(db: CallaroDb): Promise<OutboxRecord[]> {
	const of = (status: OutboxRecord['status']) =>
		db.outbox
			.where('[status+seq]')
			.between([status, Dexie.minKey], [status, Dexie.maxKey])
			.toArray();
	return [...(await of('pending')), ...(await of('failed'))];
}

/** Refused contacts shown at most, with their total. */
const REFUSED_SHOWN = 20;

export interface SyncSummary {
	total: number;
	synced: number;
	pending: number;
	failed: number;
	/** The first failed batch's message from the server. */
	firstFailure?: string;
	/** Contacts the server refused (the first few, with the total). */
	refused: RefusedContact[];
	refusedCount: number;
}

/** The summary before anything is read (no change queued). */
export const EMPTY_SYNC_SUMMARY: SyncSummary = Object.freeze({
	total: 0,
	synced: 0,
	pending: 0,
	failed: 0,
	refused: [],
	refusedCount: 0
});

/** How an import's changes (or, without `jobId`, every change) stand with the backend. */
export async function syncSummary(db: CallaroDb, jobId?: string): Promise<SyncSummary> {
	const byStatus = (status: OutboxRecord['status']) =>
		jobId === undefined
			? db.outbox.where('[status+seq]').between([status, Dexie.minKey], [status, Dexie.maxKey])
			: db.outbox.where('[jobId+status]').equals([jobId, status]);
	const refused: RefusedContact[] = [];
	let refusedCount = 0;
	const entries =
		jobId === undefined
			? await db.settings.where('key').startsWith(REFUSED_PREFIX).toArray()
			: [await db.settings.get(REFUSED_PREFIX + jobId)];
	for (const entry of entries) {
		const v = entry?.value as RefusalRecord | undefined;
		if (!v) continue;
		refusedCount += v.count;
		for (const c of v.contacts) if (refused.length < REFUSED_SHOWN) refused.push(c);
	}
	const failed = byStatus('failed');
	return {
		total:
			jobId === undefined
				? await db.outbox.count()
				: await db.outbox.where('jobId').equals(jobId).count(),
		synced: await byStatus('synced').count(),
		pending: await byStatus('pending').count(),
		failed: await failed.count(),
		firstFailure: (await failed.first())?.error,
		refused,
		refusedCount
	};
}

/** How many changes wait to be pushed. */
export function pendingChangeCount(db: CallaroDb): Promise<number> {
	return db.outbox.where('status').equals('pending').count();
}

/** The oldest change waiting to be pushed. */
export function nextPendingChange(db: CallaroDb): Promise<OutboxRecord | undefined> {
	return db.outbox
		.where('[status+seq]')
		.between(['pending', Dexie.minKey], ['pending', Dexie.maxKey])
		.first();
}

/** Records a push's progress or outcome on an outbox record. */
export async function updateOutboxRecord(
	db: CallaroDb,
	seq: number,
	patch: Partial<OutboxRecord>
): Promise<void> {
	await db.outbox.update(seq, patch);
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
			// Rebuilt from the contacts as they are now, under new keys (a new generation).
			await db.outbox.update(r.seq!, {
				status: 'pending',
				error: undefined,
				body: undefined,
				parts: undefined,
				partsDone: 0,
				generation: (r.generation ?? 0) + 1,
				attempts: 0
			});
		}
		return failed.length;
	});
}
