/**
 * Custom field definitions: add with key validation, rename the label, delete.
 */
import { customKeyProblem, type CustomFieldDef } from '$lib/domain/fields';
import type { CallaroDb } from './database';

/** Every custom field, by key. */
export function listCustomFields(db: CallaroDb): Promise<CustomFieldDef[]> {
	return db.customFields.orderBy('key').toArray();
}

/** Adds a field; throws an Error with a message for people when the key or label is not valid. */
export async function addCustomField(
	db: CallaroDb,
	key: string,
	label: string
): Promise<CustomFieldDef> {
	return db.transaction('rw', db.customFields, async () => {
		const existing = await db.customFields.toCollection().primaryKeys();
		const problem = customKeyProblem(key, existing);
		if (problem) throw new Error(problem);
		const def: CustomFieldDef = {
			key,
			label: label.trim() || key,
			type: 'text',
			createdAt: Date.now()
		};
		await db.customFields.add(def);
		return def;
	});
}

/** Renames a field's label (the key never changes: stored values refer to it). */
export async function renameCustomField(db: CallaroDb, key: string, label: string): Promise<void> {
	const clean = label.trim();
	if (clean === '') throw new Error('The label cannot be empty.');
	const n = await db.customFields.update(key, { label: clean });
	if (n === 0) throw new Error(`No custom field “${key}”.`);
}

/** Deletes a field definition. Values already stored on contacts are kept. */
export async function deleteCustomField(db: CallaroDb, key: string): Promise<void> {
	await db.customFields.delete(key);
}

/** Adds the fields another device defined (pulled from the backend), as they are. */
export async function addRemoteCustomFields(
	db: CallaroDb,
	fields: CustomFieldDef[]
): Promise<void> {
	await db.customFields.bulkPut(fields);
}
