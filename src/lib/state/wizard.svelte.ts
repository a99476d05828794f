/**
 * The import wizard's step controller. Where it is is one value of a union of steps, each
 * carrying what that step works on: Upload has only the file source; Map and Review the file and
 * its preview; Import also the review it summarises. Its state is private (`#fields` behind
 * getters): components read it and call its methods. The parts with rules of their own live
 * beside it, each with its spec: the file source (file-source.svelte.ts), the mapping
 * (mapping-editor.svelte.ts), the review pass (review-run.svelte.ts), Start (import-start.ts),
 * the plan of the job (domain/import-plan.ts) and the draft that survives a reload
 * (db/drafts-repo.ts).
 *
 * What is left here is the coordination, one state machine: a new file or header row suggests a
 * mapping and clears the review; a fix, a country or entering Review saves the draft and reviews
 * again; Start writes the plan and drops the draft.
 */
import { m } from '$lib/paraglide/messages';
import { FIELD_LIMITS, type CustomFieldDef, type Target } from '$lib/domain/fields';
import { cleanText } from '$lib/domain/text';
import { templateCsv } from '$lib/domain/template';
import type { CallaroDb } from '$lib/db/database';
import type { ExistingPolicy, ImportOptions } from '$lib/domain/import-job';
import { fixSchema, type ColumnRule, type Fix } from '$lib/domain/fixes';
import { suggestValues } from '$lib/domain/value-map';
import { callingView } from '$lib/domain/calling-counts';
import { parseSettingsOf, planFields, type PlannedField } from '$lib/domain/import-plan';
import { listSavedMappings } from '$lib/db/mappings-repo';
import { listCustomFields } from '$lib/db/custom-fields-repo';
import { readTeam } from '$lib/db/team-repo';
import { DRAFT_ID } from '$lib/db/drafts-repo';
import { sweepFiles } from '$lib/db/file-store';
import { getDefaultCountry } from '$lib/db/settings-repo';
import { withDeadline } from '$lib/errors';
import type { WorkerBridge } from '$lib/worker/bridge';
import type { Delimiter, Encoding } from '$lib/domain/sniff';
import type { PreviewResult } from '$lib/worker/preview';
import type { ReviewRequest, ReviewSummary } from '$lib/worker/review-pass';
import { DraftKeeper } from './draft-keeper.svelte';
import { FileSource, type PreviewApi } from './file-source.svelte';
import { startJob, type StorageLike } from './import-start';
import { MappingEditor } from './mapping-editor.svelte';
import { ReviewRun, type ReviewApi } from './review-run.svelte';

export { DRAFT_ID };
export type { PlannedField, StorageLike };

export enum Step {
	Upload = 'upload',
	Map = 'map',
	Review = 'review',
	Import = 'import'
}

/** Where the wizard is, with what that step works on. */
export type WizardAt =
	| { step: Step.Upload }
	| { step: Step.Map | Step.Review; file: File; preview: PreviewResult }
	| { step: Step.Import; file: File; preview: PreviewResult; review: ReviewSummary };

/** How long entering Review waits for the draft before the review starts anyway. */
export const DRAFT_DEADLINE_MS = 15_000;

export const STEP_ORDER: readonly Step[] = [Step.Upload, Step.Map, Step.Review, Step.Import];

/** Each step's title in the app's language (in English: the names the tests drive). */
export function stepTitle(step: Step): string {
	switch (step) {
		case Step.Upload:
			return m.step_upload();
		case Step.Map:
			return m.step_map();
		case Step.Review:
			return m.step_review();
		case Step.Import:
			return m.step_import();
	}
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

/** A column of the Review's value mapping. */
export interface ValueColumn {
	column: number;
	header: string;
	values: [string, number][];
	suggested: ReadonlyMap<string, string>;
	/** The mapping in effect (a fix), empty before one is applied. */
	applied: ReadonlyMap<string, string>;
}

export class ImportWizard {
	#at = $state.raw<WizardAt>({ step: Step.Upload });
	#defaultCountry = $state('US');
	#existingPolicy = $state<ExistingPolicy>('update');
	#autoCreate = $state(false);
	/** The workspace's team as the last sync read it: whom an owner column's values suggest. */
	#team = $state.raw<readonly string[]>([]);
	/** Fill a row's missing time zone from its phone number (on for every new import). */
	#fillTimezones = $state(true);
	/** The owner of rows that name none, as typed ('' for none). */
	#defaultOwner = $state('');
	/** Skip rows on the do-not-call list instead of importing them flagged. */
	#skipDoNotCall = $state(false);
	#starting = $state(false);
	#startError = $state<string | null>(null);
	/** The Review's fixes: a patch over the file, never a rewrite of it. */
	#fixes = $state<Fix[]>([]);
	#fixError = $state<string | null>(null);
	#restored = $state(false);
	/** Whether the person chose a file on this page (a draft restore then gives way to it). */
	#fileChosen = false;
	readonly #draft: DraftKeeper;

	readonly source: FileSource;
	readonly reviewRun: ReviewRun;
	/** The Map step's state: what it receives. */
	readonly map: MappingEditor;

	readonly plannedFields: PlannedField[] = $derived.by(() =>
		this.#autoCreate ? planFields(this.headers, this.map.mapping, this.map.customFields) : []
	);
	/** Rows that would be imported (or skipped, with the option) whose phone is listed. */
	readonly doNotCallRows = $derived.by(() => {
		const review = this.reviewRun.summary;
		if (!review) return 0;
		// Older summaries (a draft restored from before the list existed) have no such counts.
		return (
			(review.doNotCall ?? 0) -
			(this.#existingPolicy === 'skip' ? (review.doNotCallExisting ?? 0) : 0)
		);
	});
	readonly rowsToImport = $derived.by(() => {
		const review = this.reviewRun.summary;
		if (!review) return 0;
		return (
			review.validRows -
			(this.#existingPolicy === 'skip' ? review.existingMatches : 0) -
			(this.#skipDoNotCall ? this.doNotCallRows : 0)
		);
	});
	/** Phone kinds and time zones of the rows to import, for the policy and option chosen. */
	readonly calling = $derived.by(() => {
		const review = this.reviewRun.summary;
		if (!review) return null;
		return callingView(
			review.calling,
			review.callingExisting,
			{
				skipExisting: this.#existingPolicy === 'skip',
				fillTimezones: this.#fillTimezones,
				skipDoNotCall: this.#skipDoNotCall
			},
			review.callingListed && review.callingListedExisting
				? { valid: review.callingListed, existing: review.callingListedExisting }
				: undefined
		);
	});
	/** Columns whose values can be mapped, with their values, suggestions and mapping so far. */
	readonly valueColumns: ValueColumn[] = $derived.by(() => {
		const values = this.reviewRun.summary?.values ?? [];
		return values.map(({ column, values }) => {
			const target = this.map.mapping[column];
			const applied = this.#fixes.find(
				(f): f is Extract<Fix, { kind: 'values' }> => f.kind === 'values' && f.column === column
			);
			const header = this.headers[column] ?? m.column_n({ n: column + 1 });
			// What these values were mapped to last time (mapping memory) comes before a guess.
			const suggested = suggestValues(target, values, target === 'owner' ? this.#team : []);
			// Rebuilt by the derivation, never mutated after: no reactive set is needed.
			// eslint-disable-next-line svelte/prefer-svelte-reactivity
			const seen = new Set(values.map(([value]) => value));
			for (const [from, to] of this.map.rememberedValues(header))
				if (seen.has(from)) suggested.set(from, to);
			return {
				column,
				header,
				values,
				suggested,
				// Rebuilt by the derivation, never mutated: no reactive map is needed.
				// eslint-disable-next-line svelte/prefer-svelte-reactivity
				applied: new Map(applied?.map ?? [])
			};
		});
	});
	readonly canNext = $derived.by(() => {
		switch (this.#at.step) {
			case Step.Upload:
				return this.source.ready && this.map.madeFor(this.source.preview?.headers);
			case Step.Map:
				return this.map.blockers.length === 0;
			case Step.Review:
				return !!this.review && !this.reviewing;
			default:
				return false;
		}
	});
	readonly canStart = $derived.by(
		() =>
			(this.#at.step === Step.Review || this.#at.step === Step.Import) &&
			!!this.review &&
			!this.reviewing &&
			!this.#starting &&
			this.map.blockers.length === 0
	);

	constructor(private readonly deps: WizardDeps) {
		this.source = new FileSource(deps.worker);
		this.reviewRun = new ReviewRun(deps.worker, deps.watchdogMs);
		this.#draft = new DraftKeeper(deps.db);
		this.map = new MappingEditor(
			deps.db,
			() => this.source.headers,
			() => this.reviewRun.clear()
		);
	}

	get step(): Step {
		return this.#at.step;
	}
	get headers(): readonly string[] {
		return this.source.headers;
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
		return this.#fixError ?? this.reviewRun.error;
	}
	get mapping(): readonly Target[] {
		return this.map.mapping;
	}
	get customFields(): readonly CustomFieldDef[] {
		return this.map.customFields;
	}
	get blockers() {
		return this.map.blockers;
	}
	get unmapped() {
		return this.map.unmapped;
	}
	get defaultCountry(): string {
		return this.#defaultCountry;
	}
	get existingPolicy(): ExistingPolicy {
		return this.#existingPolicy;
	}
	get autoCreate(): boolean {
		return this.#autoCreate;
	}
	get fillTimezones(): boolean {
		return this.#fillTimezones;
	}
	get defaultOwner(): string {
		return this.#defaultOwner;
	}
	get skipDoNotCall(): boolean {
		return this.#skipDoNotCall;
	}
	get fixes(): readonly Fix[] {
		return this.#fixes;
	}
	get starting(): boolean {
		return this.#starting;
	}
	get startError(): string | null {
		return this.#startError;
	}
	/** Set when a draft left by a reload was restored. */
	get restored(): boolean {
		return this.#restored;
	}
	/** Set when a draft was left but its file is no longer stored (the browser cleared it). */
	get draftLost(): string | null {
		return this.#draft.lost;
	}
	/** What could not be saved for a reload (the Review still works; a reload would lose it). */
	get draftError(): string | null {
		return this.#draft.error;
	}

	/** The file and preview of every step after Upload. */
	#working(): Exclude<WizardAt, { step: Step.Upload }> | null {
		const at = this.#at;
		return at.step === Step.Upload ? null : at;
	}

	/** Moves to `step` with the source's file and preview (null if there is none yet). */
	#enter(step: Step.Map | Step.Review): boolean {
		const { file, preview } = this.source;
		if (!file || !preview) return false;
		this.#at = { step, file, preview };
		return true;
	}

	/** Loads the custom fields, the default country and saved mappings, then any draft. */
	async init(): Promise<void> {
		const [fields, country, saved] = await Promise.all([
			listCustomFields(this.deps.db),
			getDefaultCountry(this.deps.db, this.deps.locale),
			listSavedMappings(this.deps.db)
		]);
		this.map.load(fields, saved);
		this.#defaultCountry = country;
		await this.#restoreDraft();
		// Files a crash left half stored, or nothing refers to any more.
		await sweepFiles(this.deps.db);
	}

	/** Brings back the import being prepared before a reload (file, settings, mapping, fixes). */
	async #restoreDraft(): Promise<void> {
		// A file the person chose on this page (while the draft was being read) wins over it.
		const chosen = () => this.#fileChosen;
		const left = await this.#draft.read(chosen);
		if (!left || chosen()) return;
		const { draft, file } = left;
		await this.source.choose(file, draft.overrides);
		const preview = this.source.preview;
		if (chosen() || !preview || preview.problem) return;
		this.map.restore(preview.headers, draft.mapping);
		this.#defaultCountry = draft.options.defaultCountry;
		this.#existingPolicy = draft.options.existingPolicy;
		this.#autoCreate = draft.options.autoCreate;
		this.#fillTimezones = draft.options.fillTimezones ?? true;
		this.#defaultOwner = draft.options.defaultOwner ?? '';
		this.#skipDoNotCall = draft.options.skipDoNotCall ?? false;
		this.#fixes = draft.fixes;
		if (!this.#enter(Step.Review)) return;
		this.#restored = true;
		await this.runReview();
	}

	/** Keeps what is being prepared for a reload (never throws: see DraftKeeper). */
	async #saveDraft(): Promise<void> {
		const at = this.#working();
		if (!at) return;
		await this.#draft.save(
			at.file,
			{
				overrides: $state.snapshot(this.source.overrides),
				mapping: this.map.snapshot(),
				options: this.#options(),
				fixes: $state.snapshot(this.#fixes)
			},
			() => this.file === at.file
		);
	}

	#options(): ImportOptions {
		return {
			defaultCountry: this.#defaultCountry,
			existingPolicy: this.#existingPolicy,
			autoCreate: this.#autoCreate,
			fillTimezones: this.#fillTimezones,
			...(cleanText(this.#defaultOwner) && { defaultOwner: cleanText(this.#defaultOwner) }),
			skipDoNotCall: this.#skipDoNotCall
		};
	}

	/** Drops the draft and starts again from Upload. */
	async discardDraft(): Promise<void> {
		this.reviewRun.clear();
		await this.#draft.drop();
		this.source.clear();
		this.map.clear();
		this.#fixes = [];
		this.#restored = false;
		this.#at = { step: Step.Upload };
	}

	/** Sets one cell (Review's inline edit); the review runs again. */
	async editCell(row: number, column: number, value: string): Promise<void> {
		await this.#addFix({ kind: 'cell', row, column, value });
	}

	/** Skips a row on purpose. */
	async skipRow(row: number): Promise<void> {
		await this.#addFix({ kind: 'skip', row });
	}

	/** How many rows a column rule would change, before it is applied. */
	async previewRule(rule: ColumnRule): Promise<number> {
		const at = this.#working();
		if (!at) return 0;
		const request = { parse: parseSettingsOf(at.preview), fixes: $state.snapshot(this.#fixes) };
		return this.deps.worker.call((api) => api.countRuleChanges(at.file, request, rule));
	}

	/** Applies a column rule to every row. */
	async applyRule(rule: ColumnRule): Promise<void> {
		await this.#addFix(rule);
	}

	/**
	 * Maps a column's values to canonical ones (replacing the column's earlier value mapping);
	 * identical or empty pairs are left out, and no pair at all removes the mapping.
	 */
	async applyValueMap(column: number, pairs: [string, string][]): Promise<void> {
		const map = pairs
			.map(([from, to]): [string, string] => [from, to.trim()])
			.filter(([from, to]) => to !== '' && to !== from);
		const i = this.#fixes.findIndex((f) => f.kind === 'values' && f.column === column);
		if (i >= 0) this.#fixes.splice(i, 1);
		if (map.length === 0) {
			await this.#saveDraft();
			await this.runReview();
			return;
		}
		await this.#addFix({
			kind: 'values',
			column,
			tags: this.map.mapping[column] === 'tags',
			map
		});
	}

	/** Removes one fix (by its position in the history). */
	async undoFix(index: number): Promise<void> {
		this.#fixes.splice(index, 1);
		await this.#saveDraft();
		await this.runReview();
	}

	async #addFix(fix: Fix): Promise<void> {
		const parsed = fixSchema.safeParse(fix);
		if (!parsed.success) {
			this.#fixError = m.fix_incomplete();
			return;
		}
		this.#fixes.push(parsed.data);
		await this.#saveDraft();
		await this.runReview();
	}

	/** Stops the review in flight (leaving the page); the shared worker ends when idle. */
	dispose(): void {
		this.reviewRun.cancel();
	}

	/** Reads the start of `file` and suggests a mapping. */
	async selectFile(file: File): Promise<void> {
		this.#fileChosen = true;
		this.#fixes = [];
		this.#restored = false;
		this.#at = { step: Step.Upload };
		this.reviewRun.clear();
		this.map.clear();
		await this.source.choose(file);
		await this.#suggest();
	}

	/** Re-reads the preview with another header row (1-based). */
	async setHeaderRow(row: number): Promise<void> {
		this.reviewRun.clear();
		if (await this.source.setHeaderRow(row)) await this.#suggest();
	}

	async setEncoding(encoding: Encoding): Promise<void> {
		this.reviewRun.clear();
		await this.source.setEncoding(encoding);
		await this.#suggest();
	}

	async setDelimiter(delimiter: Delimiter): Promise<void> {
		this.reviewRun.clear();
		await this.source.setDelimiter(delimiter);
		await this.#suggest();
	}

	/** Reads another sheet of the workbook (its header row detected again). */
	async setSheet(sheet: string): Promise<void> {
		this.reviewRun.clear();
		await this.source.setSheet(sheet);
		await this.#suggest();
	}

	/** The mapping for the preview just read (another read may replace it meanwhile). */
	async #suggest(): Promise<void> {
		const preview = this.preview;
		if (!preview) {
			this.map.clear();
			return;
		}
		await this.map.suggest(preview.headers, () => this.preview === preview);
	}

	/** Changes the default country; in Review the pass runs again, since validity depends on it. */
	async setDefaultCountry(country: string): Promise<void> {
		if (country === this.#defaultCountry) return;
		this.#defaultCountry = country;
		if (this.#at.step !== Step.Review) return;
		await this.#saveDraft();
		await this.runReview();
	}

	async setExistingPolicy(policy: ExistingPolicy): Promise<void> {
		this.#existingPolicy = policy;
		await this.#saveDraft();
	}

	/** The review counts both ways, so the option needs no new pass over the file. */
	async setFillTimezones(on: boolean): Promise<void> {
		this.#fillTimezones = on;
		await this.#saveDraft();
	}

	/** The review counts listed rows apart, so the option needs no new pass. */
	async setSkipDoNotCall(on: boolean): Promise<void> {
		this.#skipDoNotCall = on;
		await this.#saveDraft();
	}

	/** Counts do not depend on the owner: no new pass over the file. */
	async setDefaultOwner(owner: string): Promise<void> {
		this.#defaultOwner = owner.slice(0, FIELD_LIMITS.owner);
		await this.#saveDraft();
	}

	async setAutoCreate(on: boolean): Promise<void> {
		this.#autoCreate = on;
		await this.#saveDraft();
	}

	/** Goes to the next step when allowed; entering Review starts the full pass. */
	async next(): Promise<void> {
		if (!this.canNext) return;
		const at = this.#at;
		switch (at.step) {
			case Step.Upload:
				this.#enter(Step.Map);
				return;
			case Step.Map:
				this.#at = { ...at, step: Step.Review };
				// The draft (its file stored: about 1 s per 100 MB) is saved before the pass starts,
				// so that a browser killed during the review comes back to it. `#saveDraft` never
				// throws: it says on the step what could not be saved. A save that does not answer
				// (WebKit's storage has been seen to stall) does not hold the review: it goes on,
				// and says what failed if it does.
				await withDeadline(this.#saveDraft(), DRAFT_DEADLINE_MS, 'slow').catch(() =>
					this.#draft.slow()
				);
				if (!this.review) await this.runReview();
				return;
			case Step.Review: {
				const review = this.review;
				if (review) this.#at = { ...at, step: Step.Import, review };
				return;
			}
		}
	}

	back(): void {
		const at = this.#at;
		switch (at.step) {
			case Step.Map:
				this.#at = { step: Step.Upload };
				return;
			case Step.Review:
				this.reviewRun.cancel();
				this.#at = { ...at, step: Step.Map };
				return;
			case Step.Import:
				this.#at = { step: Step.Review, file: at.file, preview: at.preview };
				return;
		}
	}

	/** The full pass over the file (see ReviewRun); a newer pass cancels an older one. */
	async runReview(): Promise<void> {
		const at = this.#working();
		if (!at) return;
		this.#fixError = null;
		// The team as the latest sync read it, read here only: its suggestions show with the pass's
		// values, and a sync may have finished since the page opened. Beside the pass, never delaying it.
		void this.#readTeam();
		await this.reviewRun.run(at.file, {
			parse: parseSettingsOf(at.preview),
			headers: [...at.preview.headers],
			mapping: this.map.snapshot(),
			defaultCountry: this.#defaultCountry,
			fixes: $state.snapshot(this.#fixes),
			draftId: DRAFT_ID
		});
	}

	async #readTeam(): Promise<void> {
		try {
			this.#team = (await readTeam(this.deps.db)).names;
		} catch {
			// Only suggestions are lost: the owner column's values stay as written, to be mapped by hand.
		}
	}

	/** The template CSV (standard fields + custom field keys). */
	template(): string {
		return templateCsv(this.map.customFields);
	}

	/**
	 * Creates the import job (file, mapping, options, auto-created fields) after checking
	 * storage. Returns the job id, or null with `startError` set.
	 */
	async startImport(): Promise<string | null> {
		const at = this.#working();
		const review = at?.step === Step.Import ? at.review : this.review;
		if (!this.canStart || !at || !review) return null;
		this.#starting = true;
		this.#startError = null;
		try {
			const started = await startJob(this.deps, {
				file: at.file,
				preview: at.preview,
				totalRows: review.totalRows,
				mapping: this.map.snapshot(),
				options: this.#options(),
				fixes: $state.snapshot(this.#fixes),
				customFields: this.map.customFields,
				storedFileId: () => this.#draft.fileId(at.file)
			});
			if ('error' in started) {
				this.#startError = started.error;
				return null;
			}
			this.#draft.release();
			return started.id;
		} finally {
			this.#starting = false;
		}
	}
}
