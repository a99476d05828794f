/**
 * The import wizard's step controller: a step enum, `$state` fields and `$derived` totals over
 * the Upload, Map and Review steps. Components read its fields and call its methods; they never
 * assign its fields. The parts with rules of their own live beside it, each with its spec: the
 * review pass (review-run.svelte.ts), the plan of the job and its fields (domain/import-plan.ts),
 * and the draft that survives a reload (db/drafts-repo.ts).
 *
 * Why it is still this long: what is left is the coordination itself, and it is one state
 * machine: a new file or header row suggests a mapping and clears the review; a fix, a country or
 * entering Review saves the draft and reviews again; Start writes the plan and drops the draft.
 * Splitting it further would spread those orderings across classes that call each other.
 */
import type { CustomFieldDef, Target } from '$lib/domain/fields';
import { mappingBlockers, unmappedColumns } from '$lib/domain/mapping';
import { suggestMapping } from '$lib/domain/suggest';
import { templateCsv } from '$lib/domain/template';
import type { CallaroDb } from '$lib/db/database';
import type { ExistingPolicy } from '$lib/domain/import-job';
import { applySavedMapping, type SavedMapping } from '$lib/domain/mapping-memory';
import { fixSchema, type ColumnRule, type Fix } from '$lib/domain/fixes';
import { callingView } from '$lib/domain/calling-counts';
import {
	parseSettingsOf,
	planFields,
	planImport,
	storageNeeded,
	storageShortfall,
	type PlannedField
} from '$lib/domain/import-plan';
import {
	listSavedMappings,
	recallMapping,
	rememberMapping,
	saveNamedMapping
} from '$lib/db/mappings-repo';
import { listCustomFields } from '$lib/db/custom-fields-repo';
import { createJob } from '$lib/db/jobs-repo';
import { DRAFT_ID, deleteDraft, getDraft, saveDraft } from '$lib/db/drafts-repo';
import { readWholeFile, storeFile, sweepFiles } from '$lib/db/file-store';
import { getDefaultCountry } from '$lib/db/settings-repo';
import { messageOf, withDeadline } from '$lib/errors';
import { formatSize } from '$lib/format';
import type { WorkerBridge } from '$lib/worker/bridge';
import type { Delimiter, Encoding } from '$lib/domain/sniff';
import type { ReviewRequest } from '$lib/worker/review-pass';
import { FileSource, type PreviewApi } from './file-source.svelte';
import { ReviewRun, type ReviewApi } from './review-run.svelte';

export { DRAFT_ID };
export type { PlannedField };

export enum Step {
	Upload = 'upload',
	Map = 'map',
	Review = 'review',
	Import = 'import'
}

/** How long the Upload step waits for the mapping memory before suggesting without it. */
export const MEMORY_DEADLINE_MS = 3000;
/** How long entering Review waits for the draft before the review starts anyway. */
export const DRAFT_DEADLINE_MS = 15_000;
/** How long Start waits for the browser's storage estimate, then goes on without it. */
export const ESTIMATE_DEADLINE_MS = 3000;
/** How long Start waits for the job to be stored before it says so. */
export const START_DEADLINE_MS = 60_000;

export const STEP_ORDER: readonly Step[] = [Step.Upload, Step.Map, Step.Review, Step.Import];

export const STEP_TITLES: Record<Step, string> = {
	[Step.Upload]: 'Upload',
	[Step.Map]: 'Map columns',
	[Step.Review]: 'Review',
	[Step.Import]: 'Import'
};

export interface StorageLike {
	persist?(): Promise<boolean>;
	estimate?(): Promise<StorageEstimate>;
}

/** The slice of the worker API the wizard needs. */
export interface WizardApi extends ReviewApi, PreviewApi {
	countRuleChanges(
		file: Blob,
		request: Pick<ReviewRequest, 'parse' | 'fixes'>,
		rule: ColumnRule
	): Promise<number>;
}

export interface WizardDeps {
	db: CallaroDb;
	worker: WorkerBridge<WizardApi>;
	locale?: string;
	storage?: StorageLike;
	newId?: () => string;
	now?: () => number;
	/** A review pass with no progress for this long is stopped. */
	watchdogMs?: number;
}

export class ImportWizard {
	step = $state<Step>(Step.Upload);
	mapping = $state<Target[]>([]);
	customFields = $state.raw<CustomFieldDef[]>([]);
	savedMappings = $state.raw<SavedMapping[]>([]);
	/** What happened to the mapping (remembered, saved, applied), for people. */
	mappingNote = $state<string | null>(null);
	defaultCountry = $state('US');
	existingPolicy = $state<ExistingPolicy>('update');
	autoCreate = $state(false);
	/** Fill a row's missing time zone from its phone number (on for every new import). */
	fillTimezones = $state(true);
	starting = $state(false);
	startError = $state<string | null>(null);
	/** The Review's fixes: a patch over the file, never a rewrite of it. */
	fixes = $state<Fix[]>([]);
	fixError = $state<string | null>(null);
	/** Whether the person chose a file on this page (a draft restore then gives way to it). */
	private fileChosen = false;
	/** Set when a draft left by a reload was restored. */
	restored = $state(false);
	/** Set when a draft was left but its file is no longer stored (the browser cleared it). */
	draftLost = $state<string | null>(null);
	/** What could not be saved for a reload (the Review still works; a reload would lose it). */
	draftError = $state<string | null>(null);

	/**
	 * The headers the mapping was made for. Next on Upload waits for it, so that the Map step
	 * never opens before its suggestions, however quickly Next is pressed.
	 */
	private mappedHeaders = $state.raw<readonly string[] | null>(null);

	/** The current file, stored once for the draft and the job it becomes (file-store.ts). */
	private stored: { file: File; id: Promise<string> } | null = null;

	readonly source: FileSource;
	readonly reviewRun: ReviewRun;
	readonly headers = $derived.by(() => this.source.headers);
	readonly blockers = $derived(mappingBlockers(this.headers, this.mapping, this.customFields));
	readonly unmapped = $derived(unmappedColumns(this.headers, this.mapping));
	readonly plannedFields: PlannedField[] = $derived(
		this.autoCreate ? planFields(this.headers, this.mapping, this.customFields) : []
	);
	readonly rowsToImport = $derived.by(() => {
		const review = this.reviewRun.summary;
		if (!review) return 0;
		return review.validRows - (this.existingPolicy === 'skip' ? review.existingMatches : 0);
	});
	/** Phone kinds and time zones of the rows to import, for the policy and option chosen. */
	readonly calling = $derived.by(() => {
		const review = this.reviewRun.summary;
		if (!review) return null;
		return callingView(review.calling, review.callingExisting, {
			skipExisting: this.existingPolicy === 'skip',
			fillTimezones: this.fillTimezones
		});
	});
	readonly canNext = $derived.by(() => {
		switch (this.step) {
			case Step.Upload:
				return this.source.ready && this.mappedHeaders === this.source.preview?.headers;
			case Step.Map:
				return this.blockers.length === 0;
			case Step.Review:
				return !!this.review && !this.reviewing;
			default:
				return false;
		}
	});
	readonly canStart = $derived(
		!!this.review && !this.reviewing && !this.starting && this.blockers.length === 0
	);

	constructor(private readonly deps: WizardDeps) {
		this.source = new FileSource(deps.worker);
		this.reviewRun = new ReviewRun(deps.worker, deps.watchdogMs);
	}

	get file() {
		return this.source.file;
	}
	get preview() {
		return this.source.preview;
	}
	get previewing() {
		return this.source.reading;
	}
	get uploadError() {
		return this.source.error;
	}

	get review() {
		return this.reviewRun.summary;
	}
	get reviewing() {
		return this.reviewRun.running;
	}
	get reviewProgress() {
		return this.reviewRun.progress;
	}
	get reviewRows() {
		return this.reviewRun.rows;
	}
	get reviewError() {
		return this.fixError ?? this.reviewRun.error;
	}

	/** Loads the custom fields, the default country and saved mappings, then any draft. */
	async init(): Promise<void> {
		const [fields, country, saved] = await Promise.all([
			listCustomFields(this.deps.db),
			getDefaultCountry(this.deps.db, this.deps.locale),
			listSavedMappings(this.deps.db)
		]);
		this.customFields = fields;
		this.defaultCountry = country;
		this.savedMappings = saved;
		await this.restoreDraft();
		// Files a crash left half stored, or nothing refers to any more.
		await sweepFiles(this.deps.db);
	}

	/** Brings back the import being prepared before a reload (file, settings, mapping, fixes). */
	private async restoreDraft(): Promise<void> {
		// A file the person chose on this page (while the draft was being read) wins over it.
		const chosen = () => this.fileChosen;
		const draft = await getDraft(this.deps.db);
		if (!draft || chosen()) return;
		const file = await readWholeFile(this.deps.db, draft.fileId);
		if (chosen()) return;
		if (!file) {
			this.draftLost = `The file “${draft.fileName}” you were preparing is no longer stored in this browser. Choose it again.`;
			await deleteDraft(this.deps.db);
			return;
		}
		this.stored = { file, id: Promise.resolve(draft.fileId) };
		await this.source.choose(file, draft.overrides);
		if (chosen() || !this.preview || this.preview.problem) return;
		this.mapping = draft.mapping;
		this.mappedHeaders = this.preview.headers;
		this.defaultCountry = draft.options.defaultCountry;
		this.existingPolicy = draft.options.existingPolicy;
		this.autoCreate = draft.options.autoCreate;
		this.fillTimezones = draft.options.fillTimezones ?? true;
		this.fixes = draft.fixes;
		this.step = Step.Review;
		this.restored = true;
		await this.runReview();
	}

	/** The id of the current file in storage, storing it the first time it is asked for. */
	private storedFileId(file: File): Promise<string> {
		if (this.stored?.file !== file) {
			const id = storeFile(this.deps.db, file);
			this.stored = { file, id };
			// A failed store is forgotten, so that the next save tries again.
			id.catch(() => {
				if (this.stored?.id === id) this.stored = null;
			});
		}
		return this.stored.id;
	}

	/**
	 * Keeps what is being prepared for a reload. A failure is said on the step (`draftError`) and
	 * stops nothing: the review and the import work without a draft.
	 */
	private async saveDraft(): Promise<void> {
		const file = this.file;
		if (!file || !this.preview) return;
		try {
			const fileId = await this.storedFileId(file);
			if (this.file !== file) return;
			await saveDraft(this.deps.db, {
				fileId,
				fileName: file.name,
				overrides: $state.snapshot(this.source.overrides),
				mapping: $state.snapshot(this.mapping),
				options: this.options(),
				fixes: $state.snapshot(this.fixes)
			});
			this.draftError = null;
		} catch (error) {
			this.draftError = `What you prepare here could not be saved for a reload: ${messageOf(error)}`;
		}
	}

	private options() {
		return {
			defaultCountry: this.defaultCountry,
			existingPolicy: this.existingPolicy,
			autoCreate: this.autoCreate,
			fillTimezones: this.fillTimezones
		};
	}

	/** Drops the draft and starts again from Upload. */
	async discardDraft(): Promise<void> {
		this.reviewRun.clear();
		await deleteDraft(this.deps.db);
		this.source.clear();
		this.stored = null;
		this.fixes = [];
		this.restored = false;
		this.step = Step.Upload;
	}

	/** Sets one cell (Review's inline edit); the review runs again. */
	async editCell(row: number, column: number, value: string): Promise<void> {
		await this.addFix({ kind: 'cell', row, column, value });
	}

	/** Skips a row on purpose. */
	async skipRow(row: number): Promise<void> {
		await this.addFix({ kind: 'skip', row });
	}

	/** How many rows a column rule would change, before it is applied. */
	async previewRule(rule: ColumnRule): Promise<number> {
		const { file, preview } = this;
		if (!file || !preview) return 0;
		const request = { parse: parseSettingsOf(preview), fixes: $state.snapshot(this.fixes) };
		return this.deps.worker.call((api) => api.countRuleChanges(file, request, rule));
	}

	/** Applies a column rule to every row. */
	async applyRule(rule: ColumnRule): Promise<void> {
		await this.addFix(rule);
	}

	/** Removes one fix (by its position in the history). */
	async undoFix(index: number): Promise<void> {
		this.fixes.splice(index, 1);
		await this.saveDraft();
		await this.runReview();
	}

	private async addFix(fix: Fix): Promise<void> {
		const parsed = fixSchema.safeParse(fix);
		if (!parsed.success) {
			this.fixError = 'That fix is not complete.';
			return;
		}
		this.fixes.push(parsed.data);
		await this.saveDraft();
		await this.runReview();
	}

	/** Stops the review in flight (leaving the page); the shared worker ends when idle. */
	dispose(): void {
		this.reviewRun.cancel();
	}

	/** Reads the start of `file` and suggests a mapping. */
	async selectFile(file: File): Promise<void> {
		this.fileChosen = true;
		this.fixes = [];
		this.restored = false;
		this.reviewRun.clear();
		await this.source.choose(file);
		await this.suggest();
	}

	/** Re-reads the preview with another header row (1-based). */
	async setHeaderRow(row: number): Promise<void> {
		this.reviewRun.clear();
		if (await this.source.setHeaderRow(row)) await this.suggest();
	}

	async setEncoding(encoding: Encoding): Promise<void> {
		this.reviewRun.clear();
		await this.source.setEncoding(encoding);
		await this.suggest();
	}

	async setDelimiter(delimiter: Delimiter): Promise<void> {
		this.reviewRun.clear();
		await this.source.setDelimiter(delimiter);
		await this.suggest();
	}

	/** Reads another sheet of the workbook (its header row detected again). */
	async setSheet(sheet: string): Promise<void> {
		this.reviewRun.clear();
		await this.source.setSheet(sheet);
		await this.suggest();
	}

	/** The mapping for a newly read header row: the one used for these headers before, else suggested. */
	private async suggest(): Promise<void> {
		this.mappingNote = null;
		this.mappedHeaders = null;
		const preview = this.preview;
		if (!preview) return;
		const headers = preview.headers;
		const suggested = suggestMapping(headers, this.customFields);
		let remembered: Awaited<ReturnType<typeof recallMapping>>;
		try {
			remembered =
				headers.length > 0
					? await withDeadline(
							recallMapping(this.deps.db, headers),
							MEMORY_DEADLINE_MS,
							'the browser’s storage did not answer in time'
						)
					: undefined;
		} catch (error) {
			// The suggestion stands without the memory; the person is told it could not be read.
			this.mappingNote = `The mapping used before for these columns could not be read: ${messageOf(error)}`;
		}
		if (remembered) {
			this.mapping = applySavedMapping(headers, remembered, this.customFields, suggested).mapping;
			this.mappingNote = 'These columns were imported before: the mapping used then is applied.';
		} else {
			this.mapping = suggested;
		}
		// Another read may have replaced the preview meanwhile: its own suggestion follows.
		if (this.preview === preview) this.mappedHeaders = headers;
	}

	/** Saves the current mapping under `name`. */
	async saveMapping(name: string): Promise<void> {
		try {
			await saveNamedMapping(this.deps.db, name, this.headers, $state.snapshot(this.mapping));
			this.savedMappings = await listSavedMappings(this.deps.db);
			this.mappingNote = `Mapping “${name.trim()}” saved.`;
		} catch (error) {
			this.mappingNote = messageOf(error);
		}
	}

	/** Applies a saved mapping by name; columns it maps that this file lacks are reported. */
	applyMapping(name: string): void {
		const saved = this.savedMappings.find((m) => m.name === name);
		if (!saved) return;
		const { mapping, missing } = applySavedMapping(
			this.headers,
			saved.pairs,
			this.customFields,
			$state.snapshot(this.mapping)
		);
		this.mapping = mapping;
		this.reviewRun.clear();
		this.mappingNote =
			`Mapping “${name}” applied.` +
			(missing.length
				? ` Columns it maps that this file does not have: ${missing.join(', ')}.`
				: '');
	}

	/** Maps column `index` to `target`. */
	setTarget(index: number, target: Target): void {
		if (index < 0 || index >= this.mapping.length) return;
		this.mapping[index] = target;
		this.reviewRun.clear();
	}

	/** Changes the default country; in Review the pass runs again, since validity depends on it. */
	async setDefaultCountry(country: string): Promise<void> {
		if (country === this.defaultCountry) return;
		this.defaultCountry = country;
		if (this.step !== Step.Review) return;
		await this.saveDraft();
		await this.runReview();
	}

	async setExistingPolicy(policy: ExistingPolicy): Promise<void> {
		this.existingPolicy = policy;
		await this.saveDraft();
	}

	/** The review counts both ways, so the option needs no new pass over the file. */
	async setFillTimezones(on: boolean): Promise<void> {
		this.fillTimezones = on;
		await this.saveDraft();
	}

	async setAutoCreate(on: boolean): Promise<void> {
		this.autoCreate = on;
		await this.saveDraft();
	}

	/** Goes to the next step when allowed; entering Review starts the full pass. */
	async next(): Promise<void> {
		if (!this.canNext) return;
		const i = STEP_ORDER.indexOf(this.step);
		this.step = STEP_ORDER[i + 1];
		if (this.step === Step.Review) {
			// The draft (its file stored: about 1 s per 100 MB) is saved before the pass starts,
			// so that a browser killed during the review comes back to it. `saveDraft` never
			// throws: it says on the step what could not be saved.
			// A save that does not answer (WebKit's storage has been seen to stall) does not hold
			// the review: it goes on, and says what failed if it does.
			await withDeadline(this.saveDraft(), DRAFT_DEADLINE_MS, 'slow').catch(() => {
				this.draftError ??=
					'Saving what you prepare here for a reload is taking long; the review goes on.';
			});
			if (!this.review) await this.runReview();
		}
	}

	back(): void {
		const i = STEP_ORDER.indexOf(this.step);
		if (i === 0) return;
		if (this.step === Step.Review) this.reviewRun.cancel();
		this.step = STEP_ORDER[i - 1];
	}

	/** The full pass over the file (see ReviewRun); a newer pass cancels an older one. */
	async runReview(): Promise<void> {
		const { file, preview } = this;
		if (!file || !preview) return;
		this.fixError = null;
		await this.reviewRun.run(file, {
			parse: parseSettingsOf(preview),
			headers: [...preview.headers],
			mapping: [...this.mapping],
			defaultCountry: this.defaultCountry,
			fixes: $state.snapshot(this.fixes),
			draftId: DRAFT_ID
		});
	}

	/** The template CSV (standard fields + custom field keys). */
	template(): string {
		return templateCsv(this.customFields);
	}

	/**
	 * Creates the import job (file stored as a Blob, mapping, options, auto-created fields) in one
	 * transaction after checking storage. Returns the job id, or null with `startError` set.
	 */
	async startImport(): Promise<string | null> {
		const { file, preview, review } = this;
		if (!this.canStart || !file || !preview || !review) return null;
		this.starting = true;
		this.startError = null;
		try {
			const storage = this.deps.storage;
			// The estimate may be refused: the import goes on without it, and a full disk then pauses
			// the job with its own message. Persistence is never asked for here: Firefox answers
			// `persist()` with a prompt, and the import would wait on it (see persistence.svelte.ts).
			const estimate = await withDeadline(
				storage?.estimate?.() ?? Promise.resolve(undefined),
				ESTIMATE_DEADLINE_MS,
				'no estimate'
			).catch(() => undefined);
			const short = storageShortfall(storageNeeded(file.size, review.totalRows), estimate);
			if (short) {
				this.startError = `This import needs about ${formatSize(short.need)} of storage, but the browser allows only ${formatSize(short.free)} more for this site. Free some space, then try again.`;
				return null;
			}
			const { job, fields } = planImport({
				id: this.deps.newId?.() ?? crypto.randomUUID(),
				now: this.deps.now?.() ?? Date.now(),
				fileName: file.name,
				fileSize: file.size,
				parse: preview,
				headers: preview.headers,
				mapping: $state.snapshot(this.mapping),
				options: this.options(),
				fixes: $state.snapshot(this.fixes),
				totalRows: review.totalRows,
				customFields: this.customFields
			});
			const fileId = await withDeadline(
				this.storedFileId(file),
				START_DEADLINE_MS,
				'the browser’s storage did not answer while saving the file. Reload the page and try again'
			);
			await withDeadline(
				createJob(this.deps.db, job, fileId, fields),
				START_DEADLINE_MS,
				'the browser’s storage did not answer while saving the import. Reload the page and try again'
			);
			await deleteDraft(this.deps.db);
			this.stored = null;
			await rememberMapping(this.deps.db, job.headers, job.mapping);
			return job.id;
		} catch (error) {
			this.startError = `The import could not start: ${messageOf(error)}`;
			return null;
		} finally {
			this.starting = false;
		}
	}
}
