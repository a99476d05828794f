/**
 * Saved segments.
 */
import {
	segmentDefinitionSchema,
	type Segment,
	type SegmentDefinition
} from '$lib/domain/segments';
import type { CallaroDb } from './database';

/** Every saved segment, by name. */
export function listSegments(db: CallaroDb): Promise<Segment[]> {
	return db.segments.orderBy('name').toArray();
}

export function getSegment(db: CallaroDb, id: string): Promise<Segment | undefined> {
	return db.segments.get(id);
}

/** Saves a segment (new when `id` is absent); validates the definition. Returns its id. */
export async function saveSegment(
	db: CallaroDb,
	name: string,
	def: SegmentDefinition,
	id?: string
): Promise<string> {
	const clean = name.trim();
	if (!clean) throw new Error('Give the segment a name.');
	const parsed = segmentDefinitionSchema.safeParse(def);
	if (!parsed.success) {
		throw new Error(
			`The conditions are not complete: ${parsed.error.issues[0]?.message ?? 'check each condition'}.`
		);
	}
	const now = Date.now();
	const existing = id ? await db.segments.get(id) : undefined;
	const segment: Segment = {
		id: id ?? crypto.randomUUID(),
		name: clean,
		groups: parsed.data.groups,
		createdAt: existing?.createdAt ?? now,
		updatedAt: now
	};
	await db.segments.put(segment);
	return segment.id;
}

export async function deleteSegment(db: CallaroDb, id: string): Promise<void> {
	await db.segments.delete(id);
}
