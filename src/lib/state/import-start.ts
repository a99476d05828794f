/**
 * What Start does once the Review holds: check the browser's storage, plan the job, store the
 * file and the job (one transaction, with its auto-created fields), drop the draft and remember
 * the mapping. Every wait has a deadline, so a storage that stops answering says so.
 */
import type { CustomFieldDef, Target } from '$lib/domain/fields';
import type { ImportOptions } from '$lib/domain/import-job';
import type { Fix } from '$lib/domain/fixes';
import { planImport, storageNeeded, storageShortfall } from '$lib/domain/import-plan';
import type { CallaroDb } from '$lib/db/database';
import { deleteDraft } from '$lib/db/drafts-repo';
import { createJob } from '$lib/db/jobs-repo';
import { rememberMapping } from '$lib/db/mappings-repo';
import { valuesByHeader } from '$lib/domain/mapping-memory';
import { messageOf, withDeadline } from '$lib/errors';
import { m } from '$lib/paraglide/messages';
import { formatSize } from '$lib/format';
import type { PreviewResult } from '$lib/worker/preview';

/** How long Start waits for the browser's storage estimate, then goes on without it. */
export const ESTIMATE_DEADLINE_MS = 3000;
/** How long Start waits for the job to be stored before it says so. */
export const START_DEADLINE_MS = 60_000;

export interface StorageLike {
	persist?(): Promise<boolean>;
	estimate?(): Promise<StorageEstimate>;
}

export interface StartInput {
	file: File;
	preview: PreviewResult;
	totalRows: number;
	mapping: Target[];
	options: ImportOptions;
	fixes: Fix[];
	customFields: readonly CustomFieldDef[];
	/** The file's id in storage (stored once for the draft and the job it becomes). */
	storedFileId: () => Promise<string>;
}

export interface StartDeps {
	db: CallaroDb;
	storage?: StorageLike;
	newId?: () => string;
	now?: () => number;
}

/** Creates the job; the answer is its id, or the message that says why it could not start. */
export async function startJob(
	deps: StartDeps,
	input: StartInput
): Promise<{ id: string } | { error: string }> {
	try {
		// The estimate may be refused: the import goes on without it, and a full disk then pauses
		// the job with its own message. Persistence is never asked for here: Firefox answers
		// `persist()` with a prompt, and the import would wait on it (see persistence.svelte.ts).
		const estimate = await withDeadline(
			deps.storage?.estimate?.() ?? Promise.resolve(undefined),
			ESTIMATE_DEADLINE_MS,
			'no estimate'
		).catch(() => undefined);
		const short = storageShortfall(storageNeeded(input.file.size, input.totalRows), estimate);
		if (short) {
			return {
				error: m.start_no_space({ need: formatSize(short.need), free: formatSize(short.free) })
			};
		}
		const { job, fields } = planImport({
			id: deps.newId?.() ?? crypto.randomUUID(),
			now: deps.now?.() ?? Date.now(),
			fileName: input.file.name,
			fileSize: input.file.size,
			parse: input.preview,
			headers: input.preview.headers,
			mapping: input.mapping,
			options: input.options,
			fixes: input.fixes,
			totalRows: input.totalRows,
			customFields: input.customFields
		});
		const fileId = await withDeadline(
			input.storedFileId(),
			START_DEADLINE_MS,
			m.start_file_timeout()
		);
		await withDeadline(
			createJob(deps.db, job, fileId, fields),
			START_DEADLINE_MS,
			m.start_job_timeout()
		);
		await deleteDraft(deps.db);
		await rememberMapping(
			deps.db,
			job.headers,
			job.mapping,
			valuesByHeader(job.headers, input.fixes)
		);
		return { id: job.id };
	} catch (error) {
		return { error: m.start_failed({ message: messageOf(error) }) };
	}
}
