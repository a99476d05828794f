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
 */
import type { BatchAck, ContactBatch, RefusedContact, SyncContact } from '../src/lib/protocol/sync';
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

/** Every phone a batch writes (the versions a store reads before planning). */
export function phonesOf(batch: ContactBatch, contacts: { contact: SyncContact }[]): string[] {
	return [
		...new Set([...contacts.map((c) => c.contact.phone), ...batch.deletes.map((d) => d.phone)])
	];
}

/**
 * Plans a batch against the versions held (`held` is read for `phonesOf` the batch). `deleted`
 * counts deletes of a contact the store holds; a delete of an unknown phone still leaves a
 * tombstone, so that an older upsert of it that arrives later stays out.
 */
export function planBatch(
	batch: ContactBatch,
	contacts: { contact: SyncContact }[],
	refused: RefusedContact[],
	held: ReadonlyMap<string, PhoneVersions>
): BatchPlan {
	const state = new Map<string, PhoneVersions>();
	const at = (phone: string) => state.get(phone) ?? held.get(phone) ?? {};
	const writes: BatchPlan['writes'] = [];
	let accepted = 0;
	let stale = 0;
	let deleted = 0;
	for (const { contact } of contacts) {
		const version = { at: contact.updatedAt ?? 0, device: batch.deviceId };
		const now = at(contact.phone);
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
		if (!wins(version, now)) {
			stale++;
			continue;
		}
		writes.push({ kind: 'delete', phone, version });
		if (now.contact) deleted++;
		state.set(phone, { tombstone: version });
	}
	return {
		writes,
		ack: { batchId: batch.batchId, importId: batch.importId, accepted, refused, stale, deleted }
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
