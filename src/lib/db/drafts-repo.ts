/**
 * The import being prepared in the wizard (its stored file, read settings, mapping, options and
 * fixes), kept so that a reload loses nothing. One import is prepared at a time: the draft has a
 * fixed id. The file itself is stored once (file-store.ts) and shared with the job it becomes.
 */
import { DRAFT_ID, type CallaroDb, type Draft } from './database';
import { releaseFile } from './file-store';

export { DRAFT_ID };

export type DraftFields = Omit<Draft, 'id' | 'updatedAt'>;

export function getDraft(db: CallaroDb): Promise<Draft | undefined> {
	return db.drafts.get(DRAFT_ID);
}

/** Replaces the draft; the previous draft's file is deleted when nothing else refers to it. */
export async function saveDraft(
	db: CallaroDb,
	draft: DraftFields,
	now = Date.now()
): Promise<void> {
	const previous = await db.transaction('rw', db.drafts, async () => {
		const old = await db.drafts.get(DRAFT_ID);
		await db.drafts.put({ ...draft, id: DRAFT_ID, updatedAt: now });
		return old?.fileId;
	});
	if (previous && previous !== draft.fileId) await releaseFile(db, previous);
}

/** Drops the draft, and its file unless a job imports it. */
export async function deleteDraft(db: CallaroDb): Promise<void> {
	const previous = await db.transaction('rw', db.drafts, async () => {
		const old = await db.drafts.get(DRAFT_ID);
		await db.drafts.delete(DRAFT_ID);
		return old?.fileId;
	});
	if (previous) await releaseFile(db, previous);
}
