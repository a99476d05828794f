/**
 * What a batch does to the stored contacts, as a pure function of the batch and the versions the
 * store holds for its phones: every store (SQLite, and any other) reads those versions, plans with
 * `planBatch`, and writes the plan, all in one transaction. The rules live here once.
 *
 * Last writer wins: every contact and every tombstone keeps the version that wrote it, the
 * device's `updatedAt` (or `deletedAt`) and its device id. A write applies only when its version
 * is newer than both the contact's and the tombstone's: a later time, or the same time and a
 * greater device id. A delete leaves a tombstone, so an older upsert that arrives late does not
 * bring the contact back. Within one batch, writes apply in order, each against the versions the
 * earlier ones left.
 *
 * The horizon (bounded history, store.ts): tombstones older than `horizon.before` may have been
 * removed, so for a phone with neither a contact nor a tombstone, a write older than that cannot
 * be told from one a removed delete would have beaten. Such an upsert is refused (BEYOND_HORIZON:
 * storing it could bring back a deleted contact), and such a delete changes nothing (the phone is
 * already gone, and a tombstone below the horizon would only be removed again).
 */
import {
	BEYOND_HORIZON,
	type BatchAck,
	type ContactBatch,
	type RefusedContact,
	type SyncContact
} from '../src/lib/protocol/sync';
import { wins, type Version } from '../src/lib/protocol/last-writer';

/** What the store holds for one phone. */
export interface PhoneVersions {
	contact?: Version;
	tombstone?: Version;
}

/** The writes a batch makes, in order, and its answer. */
export interface BatchPlan {
	writes: (
		| { kind: 'upsert'; contact: SyncContact; version: Version }
		| { kind: 'delete'; phone: string; version: Version }
	)[];
	ack: BatchAck;
}

/** The horizon a batch is planned against: its `before` (ms) and the retention it stands for. */
export interface HorizonRule {
	before: number;
	days: number;
}

/** No horizon: nothing was ever removed. */
export const NO_HORIZON: HorizonRule = { before: 0, days: 0 };

/** Why an upsert older than the horizon is refused, for the person who made it. */
export function beyondHorizonReason(updatedAt: number, rule: HorizonRule): string {
	const day = (ms: number) => new Date(ms).toISOString().slice(0, 10);
	return `This version (changed ${day(updatedAt)}) is older than the server's ${rule.days}-day history of deletes (it begins ${day(rule.before)}), and the server holds nothing for this phone: the contact may have been deleted since, so it was not stored. Edit it again on this device to send it anew.`;
}

/**
 * Each contact's place in the batch's `contacts` (refusals name it): its own `index` when given,
 * else the places of the entries the envelope's check did not refuse, in order (how the server
 * builds `contacts`), else its place in `contacts`.
 */
function placesOf(
	batch: ContactBatch,
	contacts: { contact: SyncContact; index?: number }[],
	refused: RefusedContact[]
): number[] {
	const invalid = new Set(refused.map((r) => r.index));
	const valid = batch.contacts.map((_, i) => i).filter((i) => !invalid.has(i));
	return contacts.map((c, j) => c.index ?? (valid.length === contacts.length ? valid[j] : j));
}

/** Every phone a batch writes (the versions a store reads before planning). */
export function phonesOf(batch: ContactBatch, contacts: { contact: SyncContact }[]): string[] {
	return [
		...new Set([...contacts.map((c) => c.contact.phone), ...batch.deletes.map((d) => d.phone)])
	];
}

/**
 * Plans a batch against the versions held (`held` is read for `phonesOf` the batch). `deleted`
 * counts deletes of a contact the store holds; a delete of an unknown phone still leaves a
 * tombstone, so that an older upsert of it that arrives later stays out (unless the delete is
 * older than the horizon: then it is counted stale and changes nothing).
 */
export function planBatch(
	batch: ContactBatch,
	contacts: { contact: SyncContact; index?: number }[],
	refused: RefusedContact[],
	held: ReadonlyMap<string, PhoneVersions>,
	horizon: HorizonRule = NO_HORIZON
): BatchPlan {
	const state = new Map<string, PhoneVersions>();
	const at = (phone: string) => state.get(phone) ?? held.get(phone) ?? {};
	const unknown = (now: PhoneVersions, version: Version) =>
		!now.contact && !now.tombstone && version.at < horizon.before;
	const writes: BatchPlan['writes'] = [];
	const beyond: RefusedContact[] = [];
	const places = horizon.before > 0 ? placesOf(batch, contacts, refused) : [];
	let accepted = 0;
	let stale = 0;
	let deleted = 0;
	for (const [j, { contact }] of contacts.entries()) {
		const version = { at: contact.updatedAt ?? 0, device: batch.deviceId };
		const now = at(contact.phone);
		if (unknown(now, version)) {
			beyond.push({
				index: places[j],
				phone: contact.phone,
				reason: beyondHorizonReason(version.at, horizon),
				code: BEYOND_HORIZON
			});
			continue;
		}
		if (!wins(version, now)) {
			stale++;
			continue;
		}
		writes.push({ kind: 'upsert', contact, version });
		state.set(contact.phone, { contact: version });
		accepted++;
	}
	for (const { phone, deletedAt } of batch.deletes) {
		const version = { at: deletedAt, device: batch.deviceId };
		const now = at(phone);
		if (unknown(now, version) || !wins(version, now)) {
			stale++;
			continue;
		}
		writes.push({ kind: 'delete', phone, version });
		if (now.contact) deleted++;
		state.set(phone, { tombstone: version });
	}
	const all =
		beyond.length > 0 ? [...refused, ...beyond].sort((a, b) => a.index - b.index) : refused;
	return {
		writes,
		ack: {
			batchId: batch.batchId,
			importId: batch.importId,
			accepted,
			refused: all,
			stale,
			deleted
		}
	};
}

/**
 * The plan's writes as the state they leave: one write per phone, its last. Each later write of a
 * phone in a plan is newer than the earlier ones, so the last is what the phone ends as; a store
 * writes these (one row per phone, each given the next change sequence).
 */
export function finalWrites(writes: BatchPlan['writes']): BatchPlan['writes'] {
	const last = new Map<string, BatchPlan['writes'][number]>();
	for (const write of writes) {
		const phone = write.kind === 'upsert' ? write.contact.phone : write.phone;
		last.delete(phone);
		last.set(phone, write);
	}
	return [...last.values()];
}
