/**
 * The draft that brings an import being prepared back after a reload: its file stored once (for
 * the draft and the job it becomes), what is saved with it, and what could not be saved or read
 * back. Saving never throws: a failure is said (`error`) and stops nothing, since the review and
 * the import work without a draft.
 */
import type { Draft } from '$lib/db/database';
import { deleteDraft, getDraft, saveDraft } from '$lib/db/drafts-repo';
import { readWholeFile, storeFile } from '$lib/db/file-store';
import type { CallaroDb } from '$lib/db/database';
import { messageOf } from '$lib/errors';
import { m } from '$lib/paraglide/messages';

export type DraftContent = Omit<Draft, 'id' | 'fileId' | 'fileName' | 'updatedAt'>;

export class DraftKeeper {
	#lost = $state<string | null>(null);
	#error = $state<string | null>(null);
	#stored: { file: File; id: Promise<string> } | null = null;

	constructor(private readonly db: CallaroDb) {}

	/** Set when a draft was left but its file is no longer stored (the browser cleared it). */
	get lost(): string | null {
		return this.#lost;
	}
	/** What could not be saved for a reload (the Review still works; a reload would lose it). */
	get error(): string | null {
		return this.#error;
	}

	/** Says that saving is slow (the review goes on), unless a failure was said already. */
	slow(): void {
		this.#error ??= m.draft_slow();
	}

	/**
	 * The draft left by a reload with its file, or null: none, `given()` (the person chose a file
	 * meanwhile, which wins), or its file is gone (then `lost` says so and the draft is dropped).
	 */
	async read(given: () => boolean): Promise<{ draft: Draft; file: File } | null> {
		const draft = await getDraft(this.db);
		if (!draft || given()) return null;
		const file = await readWholeFile(this.db, draft.fileId);
		if (given()) return null;
		if (!file) {
			this.#lost = m.draft_lost({ file: draft.fileName });
			await deleteDraft(this.db);
			return null;
		}
		this.#stored = { file, id: Promise.resolve(draft.fileId) };
		return { draft, file };
	}

	/** The id of `file` in storage, storing it the first time it is asked for. */
	fileId(file: File): Promise<string> {
		if (this.#stored?.file !== file) {
			const id = storeFile(this.db, file);
			this.#stored = { file, id };
			// A failed store is forgotten, so that the next save tries again.
			id.catch(() => {
				if (this.#stored?.id === id) this.#stored = null;
			});
		}
		return this.#stored.id;
	}

	/** Saves the draft for `file`, unless `current()` says the file was replaced meanwhile. */
	async save(file: File, content: DraftContent, current: () => boolean): Promise<void> {
		try {
			const fileId = await this.fileId(file);
			if (!current()) return;
			await saveDraft(this.db, { ...content, fileId, fileName: file.name });
			this.#error = null;
		} catch (error) {
			this.#error = m.draft_failed({ message: messageOf(error) });
		}
	}

	/** Drops the draft (discarded, or become a job); its file stays if a job holds it. */
	async drop(): Promise<void> {
		this.#stored = null;
		await deleteDraft(this.db);
	}

	/** Forgets the stored file without touching the draft (the job now owns the file). */
	release(): void {
		this.#stored = null;
	}
}
