/**
 * The import wizard's state: one class, a step enum, `$state` fields and `$derived` totals.
 * Components read its fields and call its methods; they never assign its fields.
 */
import { emptyCounts } from '$lib/domain/counts';
import { uniqueKeyFor, type CustomFieldDef, type Target } from '$lib/domain/fields';
import { mappingBlockers, unmappedColumns } from '$lib/domain/mapping';
import { suggestMapping } from '$lib/domain/suggest';
import { templateCsv } from '$lib/domain/template';
import type {
	CallaroDb,
	ExistingPolicy,
	ImportJob,
	ParseSettings,
	SavedMapping
} from '$lib/db/database';
import { applySavedMapping } from '$lib/domain/mapping-memory';
import { fixSchema, type ColumnRule, type Fix } from '$lib/domain/fixes';
import {
	listSavedMappings,
	recallMapping,
	rememberMapping,
	saveNamedMapping
} from '$lib/db/mappings-repo';
import { listCustomFields } from '$lib/db/custom-fields-repo';
import { createJob } from '$lib/db/jobs-repo';
import { getDefaultCountry } from '$lib/db/settings-repo';
import type { CsvWorker } from '$lib/worker/client';
import type { Delimiter, Encoding } from '$lib/domain/sniff';
import type { PreviewOverrides, PreviewResult } from '$lib/worker/preview';
import type { ReviewProgress, ReviewSummary } from '$lib/worker/review-pass';

export enum Step {
	Upload = 'upload',
	Map = 'map',
	Review = 'review',
	Import = 'import'
}

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

export interface WizardDeps {
	db: CallaroDb;
	startWorker: () => CsvWorker;
	/** Wraps a callback so the worker can call it (Comlink.proxy). */
	callback: <F extends (...args: never[]) => unknown>(fn: F) => F;
	locale?: string;
	storage?: StorageLike;
	newId?: () => string;
	/** A review pass with no progress for this long is stopped (default 30 s). */
	watchdogMs?: number;
}

/** A custom field the import will create for a not-mapped column. */
export interface PlannedField {
	column: number;
	header: string;
	key: string;
}

/** Bytes the import may need: the stored file, contacts and error rows (rough, generous). */
export function storageNeeded(fileSize: number, rows: number): number {
	return fileSize * 2 + rows * 800;
}

function formatBytes(n: number): string {
	if (n >= 1e9) return `${(n / 1e9).toFixed(1)} GB`;
	if (n >= 1e6) return `${(n / 1e6).toFixed(1)} MB`;
	return `${Math.ceil(n / 1e3)} KB`;
}

let taskCounter = 0;

/** One import is prepared at a time; its draft has a fixed id. */
export const DRAFT_ID = 'current';

/** How the file is read, as the preview detected it (or the user chose). */
function parseSettingsOf(p: PreviewResult): ParseSettings {
	return {
		encoding: p.encoding,
		delimiter: p.delimiter,
		newline: p.newline,
		headerRow: p.headerRow,
		columns: p.columns
	};
}

export class ImportWizard {
	step = $state<Step>(Step.Upload);
	file = $state.raw<File | null>(null);
	preview = $state.raw<PreviewResult | null>(null);
	previewing = $state(false);
	/** What the user chose over the detected settings on Upload. */
	overrides = $state<PreviewOverrides>({});
	uploadError = $state<string | null>(null);
	mapping = $state<Target[]>([]);
	customFields = $state.raw<CustomFieldDef[]>([]);
	savedMappings = $state.raw<SavedMapping[]>([]);
	/** What happened to the mapping (remembered, saved, applied), for people. */
	mappingNote = $state<string | null>(null);
	defaultCountry = $state('US');
	existingPolicy = $state<ExistingPolicy>('update');
	autoCreate = $state(false);
	review = $state.raw<ReviewSummary | null>(null);
	reviewing = $state(false);
	reviewProgress = $state(0);
	reviewRows = $state(0);
	reviewError = $state<string | null>(null);
	starting = $state(false);
	startError = $state<string | null>(null);
	/** The Review's fixes: a patch over the file, never a rewrite of it. */
	fixes = $state<Fix[]>([]);
	/** Set when a draft left by a reload was restored. */
	restored = $state(false);

	readonly headers = $derived(this.preview?.headers ?? []);
	readonly blockers = $derived(mappingBlockers(this.headers, this.mapping, this.customFields));
	readonly unmapped = $derived(unmappedColumns(this.headers, this.mapping));
	readonly plannedFields: PlannedField[] = $derived(this.autoCreate ? this.planFields() : []);
	readonly rowsToImport = $derived(
		this.review
			? this.review.validRows - (this.existingPolicy === 'skip' ? this.review.existingMatches : 0)
			: 0
	);
	readonly canNext = $derived.by(() => {
		switch (this.step) {
			case Step.Upload:
				return (
					!!this.preview && !this.preview.problem && !this.previewing && this.headers.length > 0
				);
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

	private worker: CsvWorker | null = null;
	private reviewTask: string | null = null;

	constructor(private readonly deps: WizardDeps) {}

	/** Loads the custom fields and the default country. */
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
	}

	/** Brings back the import being prepared before a reload (file, settings, mapping, fixes). */
	private async restoreDraft(): Promise<void> {
		const draft = await this.deps.db.drafts.get(DRAFT_ID);
		if (!draft) return;
		this.file = new File([draft.file], draft.fileName);
		this.overrides = draft.overrides;
		await this.loadPreview();
		if (!this.preview || this.preview.problem) return;
		this.mapping = draft.mapping;
		this.defaultCountry = draft.options.defaultCountry;
		this.existingPolicy = draft.options.existingPolicy;
		this.autoCreate = draft.options.autoCreate;
		this.fixes = draft.fixes;
		this.step = Step.Review;
		this.restored = true;
		await this.runReview();
	}

	private async saveDraft(): Promise<void> {
		if (!this.file || !this.preview) return;
		await this.deps.db.drafts.put({
			id: DRAFT_ID,
			file: this.file,
			fileName: this.file.name,
			overrides: $state.snapshot(this.overrides),
			mapping: $state.snapshot(this.mapping),
			options: {
				defaultCountry: this.defaultCountry,
				existingPolicy: this.existingPolicy,
				autoCreate: this.autoCreate
			},
			fixes: $state.snapshot(this.fixes),
			updatedAt: Date.now()
		});
	}

	/** Drops the draft and starts again from Upload. */
	async discardDraft(): Promise<void> {
		this.cancelReview();
		await this.deps.db.drafts.delete(DRAFT_ID);
		this.file = null;
		this.preview = null;
		this.review = null;
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
		if (!this.file || !this.preview) return 0;
		return this.api().countRuleChanges(
			this.file,
			{
				parse: parseSettingsOf(this.preview),
				fixes: $state.snapshot(this.fixes)
			},
			rule
		);
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
			this.reviewError = 'That fix is not complete.';
			return;
		}
		this.fixes.push(parsed.data);
		await this.saveDraft();
		await this.runReview();
	}

	/** Ends the worker (leaving the page). */
	dispose(): void {
		this.cancelReview();
		this.worker?.terminate();
		this.worker = null;
	}

	private api() {
		this.worker ??= this.deps.startWorker();
		return this.worker.api;
	}

	/** Reads the start of `file` and suggests a mapping. */
	async selectFile(file: File): Promise<void> {
		this.file = file;
		this.review = null;
		this.overrides = {};
		this.fixes = [];
		this.restored = false;
		await this.refreshPreview();
	}

	/** Re-reads the preview with another header row (1-based). */
	async setHeaderRow(row: number): Promise<void> {
		if (!this.file || !Number.isInteger(row) || row < 1) {
			this.uploadError = 'The header row is a whole number from 1.';
			return;
		}
		this.overrides = { ...this.overrides, headerRow: row };
		await this.refreshPreview();
	}

	/** Reads the file with another encoding; delimiter and header row are detected again unless chosen. */
	async setEncoding(encoding: Encoding): Promise<void> {
		const { headerRow: _, ...rest } = this.overrides;
		this.overrides = { ...rest, encoding };
		await this.refreshPreview();
	}

	/** Reads the file with another delimiter. */
	async setDelimiter(delimiter: Delimiter): Promise<void> {
		const { headerRow: _, ...rest } = this.overrides;
		this.overrides = { ...rest, delimiter };
		await this.refreshPreview();
	}

	private async refreshPreview(): Promise<void> {
		await this.loadPreview();
		this.review = null;
		this.mappingNote = null;
		if (!this.preview) return;
		const headers = this.preview.headers;
		const suggested = suggestMapping(headers, this.customFields);
		const remembered = headers.length > 0 ? await recallMapping(this.deps.db, headers) : undefined;
		if (remembered) {
			this.mapping = applySavedMapping(headers, remembered, this.customFields, suggested).mapping;
			this.mappingNote = 'These columns were imported before: the mapping used then is applied.';
		} else {
			this.mapping = suggested;
		}
	}

	/** Saves the current mapping under `name`. */
	async saveMapping(name: string): Promise<void> {
		try {
			await saveNamedMapping(this.deps.db, name, this.headers, $state.snapshot(this.mapping));
			this.savedMappings = await listSavedMappings(this.deps.db);
			this.mappingNote = `Mapping “${name.trim()}” saved.`;
		} catch (error) {
			this.mappingNote = error instanceof Error ? error.message : String(error);
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
		this.review = null;
		this.mappingNote =
			`Mapping “${name}” applied.` +
			(missing.length
				? ` Columns it maps that this file does not have: ${missing.join(', ')}.`
				: '');
	}

	private async loadPreview(): Promise<void> {
		if (!this.file) return;
		this.previewing = true;
		this.uploadError = null;
		try {
			this.preview = await this.api().preview(this.file, $state.snapshot(this.overrides));
		} catch (error) {
			this.preview = null;
			this.uploadError = `The file could not be read: ${error instanceof Error ? error.message : String(error)}`;
		} finally {
			this.previewing = false;
		}
	}

	/** Maps column `index` to `target`. */
	setTarget(index: number, target: Target): void {
		if (index < 0 || index >= this.mapping.length) return;
		this.mapping[index] = target;
		this.review = null;
	}

	setDefaultCountry(country: string): void {
		if (country === this.defaultCountry) return;
		this.defaultCountry = country;
		if (this.step === Step.Review) void this.saveDraft().then(() => this.runReview());
	}

	setExistingPolicy(policy: ExistingPolicy): void {
		this.existingPolicy = policy;
		void this.saveDraft();
	}

	setAutoCreate(on: boolean): void {
		this.autoCreate = on;
		void this.saveDraft();
	}

	/** Goes to the next step when allowed; entering Review starts the full pass. */
	async next(): Promise<void> {
		if (!this.canNext) return;
		const i = STEP_ORDER.indexOf(this.step);
		this.step = STEP_ORDER[i + 1];
		if (this.step === Step.Review) {
			await this.saveDraft();
			if (!this.review) await this.runReview();
		}
	}

	back(): void {
		const i = STEP_ORDER.indexOf(this.step);
		if (i > 0) {
			if (this.step === Step.Review) this.cancelReview();
			this.step = STEP_ORDER[i - 1];
		}
	}

	/** The full pass over the file in the worker, with progress; a newer pass cancels an older one. */
	async runReview(): Promise<void> {
		if (!this.file || !this.preview) return;
		this.cancelReview();
		const task = `review-${++taskCounter}`;
		this.reviewTask = task;
		this.reviewing = true;
		this.reviewError = null;
		this.reviewProgress = 0;
		this.reviewRows = 0;
		this.review = null;
		const p = this.preview;
		let lastProgress = Date.now();
		const limit = this.deps.watchdogMs ?? 30_000;
		const watchdog = setInterval(
			() => {
				if (this.reviewTask !== task || Date.now() - lastProgress <= limit) return;
				// A stuck worker cannot be asked to stop: end it; a new one starts on the next try.
				this.worker?.terminate();
				this.worker = null;
				this.reviewTask = null;
				this.reviewing = false;
				this.reviewError = `The review made no progress for ${Math.round(limit / 1000)} seconds and was stopped. The file may no longer be readable (moved, or on a disconnected drive): choose it again, or try again.`;
			},
			Math.min(2000, limit / 4)
		);
		try {
			const result = await this.api().review(
				task,
				this.file,
				{
					parse: parseSettingsOf(p),
					headers: [...p.headers],
					mapping: [...this.mapping],
					defaultCountry: this.defaultCountry,
					fixes: $state.snapshot(this.fixes),
					draftId: DRAFT_ID
				},
				this.deps.callback((progress: ReviewProgress) => {
					if (this.reviewTask !== task) return;
					lastProgress = Date.now();
					this.reviewProgress = progress.fraction;
					this.reviewRows = progress.rows;
				})
			);
			if (this.reviewTask === task && result) this.review = result;
		} catch (error) {
			if (this.reviewTask === task) {
				this.reviewError = `The review could not finish: ${error instanceof Error ? error.message : String(error)}`;
			}
		} finally {
			clearInterval(watchdog);
			if (this.reviewTask === task) {
				this.reviewing = false;
				this.reviewTask = null;
			}
		}
	}

	private cancelReview(): void {
		if (this.reviewTask && this.worker) void this.worker.api.cancel(this.reviewTask);
		this.reviewTask = null;
		this.reviewing = false;
	}

	private planFields(): PlannedField[] {
		// A local working set, not reactive state.
		// eslint-disable-next-line svelte/prefer-svelte-reactivity
		const taken = new Set(this.customFields.map((f) => f.key));
		const planned: PlannedField[] = [];
		this.mapping.forEach((target, column) => {
			if (target !== '') return;
			const header = this.headers[column];
			const existing = this.customFields.find(
				(f) => f.label.toLowerCase() === header.toLowerCase()
			);
			if (existing && !this.mapping.includes(`cf:${existing.key}`)) {
				planned.push({ column, header, key: existing.key });
				return;
			}
			const key = uniqueKeyFor(header, taken);
			if (key === null) return;
			taken.add(key);
			planned.push({ column, header, key });
		});
		return planned;
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
		if (!this.canStart || !this.file || !this.preview || !this.review) return null;
		this.starting = true;
		this.startError = null;
		try {
			const storage = this.deps.storage;
			await storage?.persist?.().catch(() => false);
			const estimate = await storage?.estimate?.().catch(() => undefined);
			const need = storageNeeded(this.file.size, this.review.totalRows);
			if (estimate?.quota !== undefined && estimate.usage !== undefined) {
				const free = estimate.quota - estimate.usage;
				if (free < need) {
					this.startError = `This import needs about ${formatBytes(need)} of storage, but the browser allows only ${formatBytes(free)} more for this site. Free some space, then try again.`;
					return null;
				}
			}
			const mapping = [...this.mapping];
			const now = Date.now();
			const fields: CustomFieldDef[] = [];
			const id = this.deps.newId?.() ?? crypto.randomUUID();
			for (const plan of this.plannedFields) {
				mapping[plan.column] = `cf:${plan.key}`;
				if (!this.customFields.some((f) => f.key === plan.key)) {
					fields.push({
						key: plan.key,
						label: plan.header,
						type: 'text',
						createdAt: now,
						createdByJob: id
					});
				}
			}
			const p = this.preview;
			const job: ImportJob = {
				id,
				fileName: this.file.name,
				fileSize: this.file.size,
				status: 'queued',
				createdAt: now,
				updatedAt: now,
				parse: parseSettingsOf(p),
				headers: [...p.headers],
				mapping,
				options: {
					defaultCountry: this.defaultCountry,
					existingPolicy: this.existingPolicy,
					autoCreate: this.autoCreate
				},
				createdFields: fields.map((f) => f.key),
				totalRows: this.review.totalRows,
				checkpointRow: 0,
				counts: emptyCounts(),
				rowsPerSecond: 0,
				fixes: $state.snapshot(this.fixes)
			};
			await createJob(this.deps.db, job, this.file, fields);
			await this.deps.db.drafts.delete(DRAFT_ID);
			await rememberMapping(this.deps.db, job.headers, mapping);
			return id;
		} catch (error) {
			this.startError = `The import could not start: ${error instanceof Error ? error.message : String(error)}`;
			return null;
		} finally {
			this.starting = false;
		}
	}
}
