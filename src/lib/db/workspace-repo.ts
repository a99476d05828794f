/**
 * Which workspace this device's data belongs to. Local data belongs to one workspace: the first
 * backend that says who a token is binds it, and a token of another workspace never merges its
 * contacts with these. Starting afresh with another workspace clears this device's workspace
 * data (contacts, their index and tombstones, imports, unsent changes, custom fields, segments,
 * the do-not-call list, the calling hours and the team) and binds the new one, in one transaction; device preferences (default country, remembered
 * mappings, the device id and clock) stay.
 */
import Dexie from 'dexie';
import type { SyncIdentity } from '$lib/domain/sync-config';
import type { CallaroDb } from './database';
import { bumpKeyEpoch } from './contact-keys';
import { PULL_KEYS } from './pull-repo';
import { HORIZON_KEYS } from './horizon-repo';
import { clearSyncState } from './sync-config-repo';
import { forgetDoNotCall } from './do-not-call-repo';
import { CALLING_HOURS_KEY } from './calling-hours-repo';
import { TEAM_KEY } from './team-repo';

const BOUND = 'workspace';

export async function getBoundWorkspace(db: CallaroDb): Promise<SyncIdentity | null> {
	return ((await db.settings.get(BOUND))?.value as SyncIdentity | undefined) ?? null;
}

/** Binds the device's data to `identity`'s workspace unless one is bound; returns the bound one. */
export function bindWorkspace(db: CallaroDb, identity: SyncIdentity): Promise<SyncIdentity> {
	return db.transaction('rw', db.settings, async () => {
		const bound = await getBoundWorkspace(db);
		if (bound && bound.workspaceId !== identity.workspaceId) return bound;
		// The names are refreshed (a workspace or member may be renamed); the id never changes.
		await db.settings.put({ key: BOUND, value: identity });
		return identity;
	});
}

/** What starting afresh would remove: contacts held and changes not yet sent. */
export async function workspaceData(db: CallaroDb): Promise<{ contacts: number; unsent: number }> {
	const [contacts, unsent] = await Promise.all([
		db.contacts.count(),
		db.outbox
			.where('[status+seq]')
			.between(['failed', Dexie.minKey], ['pending', Dexie.maxKey])
			.count()
	]);
	return { contacts, unsent };
}

/**
 * Clears this device's workspace data and binds `identity`'s workspace. Refused while an import
 * runs or waits (its job would lose its rows mid-way): the person finishes or cancels it first.
 */
export async function startAfresh(db: CallaroDb, identity: SyncIdentity): Promise<void> {
	const tables = [
		db.contacts,
		db.contactIndex,
		db.tombstones,
		db.outbox,
		db.undoLog,
		db.jobs,
		db.jobFiles,
		db.rowErrors,
		db.files,
		db.fileParts,
		db.drafts,
		db.problemChunks,
		db.customFields,
		db.segments,
		db.settings
	];
	await db.transaction('rw', tables, async () => {
		const active = await db.jobs.where('status').anyOf('queued', 'running', 'paused').count();
		if (active > 0) {
			throw new Error(
				'An import has not finished on this device: let it finish or cancel it, then start afresh.'
			);
		}
		for (const table of tables) if (table !== db.settings) await table.clear();
		await db.settings.bulkDelete([...PULL_KEYS, ...HORIZON_KEYS, CALLING_HOURS_KEY, TEAM_KEY]);
		await forgetDoNotCall(db);
		await clearSyncState(db);
		await db.settings.put({ key: BOUND, value: identity });
		// A worker holding the old keys or index learns that they changed.
		await bumpKeyEpoch(db);
	});
}
