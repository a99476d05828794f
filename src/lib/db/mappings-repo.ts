/**
 * Mapping memory (by header signature) and named saved mappings.
 */
import type { Target } from '$lib/domain/fields';
import {
	headerSignature,
	mappingByHeader,
	type MappingByHeader,
	type ValuesByHeader
} from '$lib/domain/mapping-memory';
import type { CallaroDb } from './database';
import type { SavedMapping } from '$lib/domain/mapping-memory';

/** Remembers the mapping used for this header set, with the value mappings of its columns. */
export async function rememberMapping(
	db: CallaroDb,
	headers: readonly string[],
	mapping: readonly Target[],
	values: ValuesByHeader = {}
): Promise<void> {
	await db.rememberedMappings.put({
		signature: headerSignature(headers),
		pairs: mappingByHeader(headers, mapping),
		values,
		updatedAt: Date.now()
	});
}

/** The mapping last used for this header set, if any. */
export async function recallMapping(
	db: CallaroDb,
	headers: readonly string[]
): Promise<MappingByHeader | undefined> {
	return (await recallMappingMemory(db, headers))?.pairs;
}

/** The mapping last used for this header set and its columns' value mappings, if any. */
export async function recallMappingMemory(
	db: CallaroDb,
	headers: readonly string[]
): Promise<{ pairs: MappingByHeader; values: ValuesByHeader } | undefined> {
	const record = await db.rememberedMappings.get(headerSignature(headers));
	return record && { pairs: record.pairs, values: record.values ?? {} };
}

/** Saves (or replaces) a named mapping. */
export async function saveNamedMapping(
	db: CallaroDb,
	name: string,
	headers: readonly string[],
	mapping: readonly Target[]
): Promise<void> {
	const clean = name.trim();
	if (clean === '') throw new Error('Give the mapping a name.');
	await db.savedMappings.put({
		name: clean,
		pairs: mappingByHeader(headers, mapping),
		createdAt: Date.now()
	});
}

/** Every saved mapping, by name. */
export function listSavedMappings(db: CallaroDb): Promise<SavedMapping[]> {
	return db.savedMappings.orderBy('name').toArray();
}
