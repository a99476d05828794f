/**
 * The import being prepared in the wizard (its file, read settings, mapping, options and fixes),
 * kept so that a reload loses nothing. One import is prepared at a time: the draft has a fixed id.
 */
import type { CallaroDb, Draft } from './database';

export const DRAFT_ID = 'current';

export type DraftFields = Omit<Draft, 'id' | 'updatedAt'>;

export function getDraft(db: CallaroDb): Promise<Draft | undefined> {
	return db.drafts.get(DRAFT_ID);
}

/** Replaces the draft. */
export async function saveDraft(
	db: CallaroDb,
	draft: DraftFields,
	now = Date.now()
): Promise<void> {
	await db.drafts.put({ ...draft, id: DRAFT_ID, updatedAt: now });
}

export async function deleteDraft(db: CallaroDb): Promise<void> {
	await db.drafts.delete(DRAFT_ID);
}
