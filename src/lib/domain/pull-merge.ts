/**
 * What a page of pulled changes does to this device's contacts, as a pure function of the page
 * and what the device holds for its phones. The device applies the same rule as the server (last
 * writer wins, protocol/last-writer.ts): a pulled write applies only when it is newer than both the
 * local contact's version and the local tombstone. So a device and the server that have seen the
 * same writes hold the same contacts, and a local change not yet pushed is never overwritten by
 * an older one from another device.
 *
 * A contact's local version is its `updatedAt` and `updatedBy` (absent: this device). A pulled
 * write of this device's own (the server echoing it back) has the same version as the local copy,
 * or an older one, and changes nothing.
 */
import type { Change, SyncContact } from '$lib/protocol/sync';
import type { Contact } from './contact';
import { wins, type Version } from '../protocol/last-writer';

/**
 * A deletion this device knows of: the version that deleted the phone (`device` absent: this
 * device's own delete, as with a contact's `updatedBy`).
 */
export interface Tombstone {
	phone: string;
	at: number;
	device?: string;
}

/** What the device holds for one phone. */
export interface HeldLocally {
	contact?: Contact;
	tombstone?: Tombstone;
}

export interface PullPlan {
	/** Contacts to write (pulled writes that won). */
	puts: Contact[];
	/** Phones whose local contact a pulled delete removes. */
	deletes: string[];
	/** Tombstones to write, for every pulled delete that won. */
	tombstones: Tombstone[];
	/** Phones whose tombstone a winning upsert makes moot. */
	clearTombstones: string[];
	/** Whether a put adds a phone the device did not have (a new key). */
	newKeys: boolean;
	/** The latest version time in the page, applied or not (the device's clock moves past it). */
	latestAt: number;
	/** Changes that applied, and changes older than what the device holds. */
	applied: number;
	stale: number;
}

/** The version of a local contact, as last writer wins compares it. */
export function localVersion(contact: Contact, ownDevice: string): Version {
	return { at: contact.updatedAt, device: contact.updatedBy ?? ownDevice };
}

/** The version of a local tombstone. */
function tombstoneVersion(tombstone: Tombstone, ownDevice: string): Version {
	return { at: tombstone.at, device: tombstone.device ?? ownDevice };
}

/** A pulled contact as the device stores it, keeping what only the device knows (its imports). */
export function pulledContact(
	sync: SyncContact,
	version: Version,
	ownDevice: string,
	local: Contact | undefined
): Contact {
	const contact: Contact = {
		phone: sync.phone,
		tags: [...sync.tags],
		custom: { ...sync.custom },
		createdAt: local?.createdAt ?? version.at,
		updatedAt: version.at
	};
	if (version.device !== ownDevice) contact.updatedBy = version.device;
	for (const key of ['firstName', 'lastName', 'email', 'company', 'timezone', 'owner'] as const)
		if (sync[key]) contact[key] = sync[key];
	if (local?.createdByJob) contact.createdByJob = local.createdByJob;
	if (local?.lastJobId) contact.lastJobId = local.lastJobId;
	return contact;
}

/** Plans a page of changes against what the device holds (`held`, read for the page's phones). */
export function planPull(
	changes: readonly Change[],
	held: ReadonlyMap<string, HeldLocally>,
	ownDevice: string
): PullPlan {
	// Each phone's state as the page's earlier changes leave it (a page lists a phone once, but
	// nothing here depends on that).
	const state = new Map<string, HeldLocally>();
	const at = (phone: string) => state.get(phone) ?? held.get(phone) ?? {};
	const puts = new Map<string, Contact>();
	const deletes = new Set<string>();
	const tombstones = new Map<string, Tombstone>();
	let newKeys = false;
	let latestAt = 0;
	let applied = 0;
	let stale = 0;
	for (const change of changes) {
		latestAt = Math.max(latestAt, change.at);
		const version = { at: change.at, device: change.deviceId };
		const now = at(change.phone);
		const current = now.contact && localVersion(now.contact, ownDevice);
		const deleted = now.tombstone && tombstoneVersion(now.tombstone, ownDevice);
		if (!wins(version, { contact: current, tombstone: deleted })) {
			stale++;
			continue;
		}
		applied++;
		if (change.op === 'upsert') {
			const contact = pulledContact(change.contact, version, ownDevice, now.contact);
			if (!now.contact) newKeys = true;
			puts.set(change.phone, contact);
			deletes.delete(change.phone);
			tombstones.delete(change.phone);
			state.set(change.phone, { contact });
		} else {
			const tombstone: Tombstone = { phone: change.phone, at: change.at };
			if (change.deviceId !== ownDevice) tombstone.device = change.deviceId;
			puts.delete(change.phone);
			if (now.contact || held.get(change.phone)?.contact) deletes.add(change.phone);
			tombstones.set(change.phone, tombstone);
			state.set(change.phone, { tombstone });
		}
	}
	const clearTombstones = [...puts.keys()].filter((phone) => held.get(phone)?.tombstone);
	return {
		puts: [...puts.values()],
		deletes: [...deletes],
		tombstones: [...tombstones.values()],
		clearTombstones,
		newKeys,
		latestAt,
		applied,
		stale
	};
}
