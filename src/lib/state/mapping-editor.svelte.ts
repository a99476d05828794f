/**
 * The Map step's state: the column mapping, its blockers, the mapping memory (a mapping used
 * before for the same headers, and mappings saved by name) and what happened to it, for people.
 * The wizard owns one; the Map step receives it and calls its methods. Its fields are private:
 * nothing outside assigns them.
 */
import type { ValuesByHeader } from '$lib/domain/mapping-memory';
import type { CustomFieldDef, Target } from '$lib/domain/fields';
import { mappingBlockers, unmappedColumns } from '$lib/domain/mapping';
import { blockerMessage } from '$lib/field-labels';
import { m } from '$lib/paraglide/messages';
import { applySavedMapping, type SavedMapping } from '$lib/domain/mapping-memory';
import { suggestMapping } from '$lib/domain/suggest';
import type { CallaroDb } from '$lib/db/database';
import { listSavedMappings, recallMappingMemory, saveNamedMapping } from '$lib/db/mappings-repo';
import { messageOf, withDeadline } from '$lib/errors';

/** How long a suggestion waits for the mapping memory before suggesting without it. */
export const MEMORY_DEADLINE_MS = 3000;

export class MappingEditor {
	#mapping = $state<Target[]>([]);
	#customFields = $state.raw<CustomFieldDef[]>([]);
	#saved = $state.raw<SavedMapping[]>([]);
	#note = $state<string | null>(null);
	/**
	 * The headers the mapping was made for, or null while a suggestion is under way: Next on
	 * Upload waits for it, so that the Map step never opens before its suggestions.
	 */
	#madeFor = $state.raw<readonly string[] | null>(null);
	/** The value mappings used before for these columns (mapping memory), by header. */
	#rememberedValues = $state.raw<ValuesByHeader>({});

	readonly blockers = $derived.by(() =>
		mappingBlockers(this.headers(), this.#mapping, this.#customFields).map((b) => ({
			...b,
			message: blockerMessage(b, this.#customFields)
		}))
	);
	readonly unmapped = $derived.by(() => unmappedColumns(this.headers(), this.#mapping));

	/**
	 * @param headers the current file's headers (read live)
	 * @param changed called after every change a person makes, since the review no longer holds
	 */
	constructor(
		private readonly db: CallaroDb,
		readonly headers: () => readonly string[],
		private readonly changed: () => void
	) {}

	get mapping(): readonly Target[] {
		return this.#mapping;
	}
	get customFields(): readonly CustomFieldDef[] {
		return this.#customFields;
	}
	get savedMappings(): readonly SavedMapping[] {
		return this.#saved;
	}
	/** What happened to the mapping (remembered, saved, applied, or could not be read). */
	/** What each value of the column `header` was mapped to the last time, if it was. */
	rememberedValues(header: string): readonly [string, string][] {
		return this.#rememberedValues[header] ?? [];
	}

	get note(): string | null {
		return this.#note;
	}

	/** Whether the mapping was made for exactly these headers (the same array). */
	madeFor(headers: readonly string[] | undefined): boolean {
		return headers !== undefined && this.#madeFor === headers;
	}

	/** A plain copy, for a draft or a job. */
	snapshot(): Target[] {
		return $state.snapshot(this.#mapping);
	}

	/** The workspace's custom fields and the saved mappings, read once the page opens. */
	load(customFields: CustomFieldDef[], saved: SavedMapping[]): void {
		this.#customFields = customFields;
		this.#saved = saved;
	}

	/** A draft's mapping, for the headers it was made for. */
	restore(headers: readonly string[], mapping: Target[]): void {
		this.#mapping = mapping;
		this.#madeFor = headers;
	}

	/**
	 * The mapping for newly read headers: the one used for them before, else suggested.
	 * `stillCurrent` says whether these headers are still the file's once the memory answered.
	 */
	async suggest(headers: readonly string[], stillCurrent: () => boolean): Promise<void> {
		this.#note = null;
		this.#madeFor = null;
		const suggested = suggestMapping(headers, this.#customFields);
		let remembered: Awaited<ReturnType<typeof recallMappingMemory>>;
		try {
			remembered =
				headers.length > 0
					? await withDeadline(
							recallMappingMemory(this.db, headers),
							MEMORY_DEADLINE_MS,
							m.map_memory_timeout()
						)
					: undefined;
		} catch (error) {
			// The suggestion stands without the memory; the person is told it could not be read.
			this.#note = m.map_memory_failed({ message: messageOf(error) });
		}
		// Another read replaced the headers meanwhile: its own suggestion follows.
		if (!stillCurrent()) return;
		this.#rememberedValues = remembered?.values ?? {};
		if (remembered) {
			this.#mapping = applySavedMapping(
				headers,
				remembered.pairs,
				this.#customFields,
				suggested
			).mapping;
			this.#note = m.map_memory_applied();
		} else {
			this.#mapping = suggested;
		}
		this.#madeFor = headers;
	}

	/** Forgets the mapping (a new file is being read). */
	clear(): void {
		this.#madeFor = null;
		this.#note = null;
	}

	/** Maps column `index` to `target`. */
	setTarget(index: number, target: Target): void {
		if (index < 0 || index >= this.#mapping.length) return;
		this.#mapping[index] = target;
		this.changed();
	}

	/** Saves the current mapping under `name`. */
	async save(name: string): Promise<void> {
		try {
			await saveNamedMapping(this.db, name, this.headers(), this.snapshot());
			this.#saved = await listSavedMappings(this.db);
			this.#note = m.map_saved({ name: name.trim() });
		} catch (error) {
			this.#note = messageOf(error);
		}
	}

	/** Applies a saved mapping by name; columns it maps that this file lacks are reported. */
	apply(name: string): void {
		const saved = this.#saved.find((s) => s.name === name);
		if (!saved) return;
		const { mapping, missing } = applySavedMapping(
			this.headers(),
			saved.pairs,
			this.#customFields,
			this.snapshot()
		);
		this.#mapping = mapping;
		this.changed();
		this.#note = missing.length
			? m.map_applied_missing({ name, columns: missing.join(', ') })
			: m.map_applied({ name });
	}
}
