/**
 * Mapping checks: what stops the user from going past the Map step.
 */
import { customKeyOf, targetLabel, type CustomFieldDef, type Target } from './fields';

export interface MappingBlocker {
	kind: 'duplicate_target' | 'no_phone' | 'unknown_custom_field';
	target?: Target;
	columns: string[];
	message: string;
}

/**
 * Everything that blocks the mapping: two or more columns on one target (named with every column),
 * no column on `phone`, and a `cf:` target whose field no longer exists.
 */
export function mappingBlockers(
	headers: readonly string[],
	mapping: readonly Target[],
	customFields: readonly CustomFieldDef[]
): MappingBlocker[] {
	const byTarget = new Map<Target, string[]>();
	mapping.forEach((target, i) => {
		if (target === '' || target === 'skip') return;
		const list = byTarget.get(target) ?? [];
		list.push(headers[i] ?? `Column ${i + 1}`);
		byTarget.set(target, list);
	});
	const blockers: MappingBlocker[] = [];
	const keys = new Set(customFields.map((f) => f.key));
	for (const [target, columns] of byTarget) {
		if (columns.length > 1) {
			const names = columns.map((c) => `“${c}”`);
			const list = `${names.slice(0, -1).join(', ')} and ${names[names.length - 1]}`;
			blockers.push({
				kind: 'duplicate_target',
				target,
				columns,
				message: `${list} are all mapped to ${targetLabel(target, customFields)}. Map only one column to each field.`
			});
		}
		const key = customKeyOf(target);
		if (key !== null && !keys.has(key)) {
			blockers.push({
				kind: 'unknown_custom_field',
				target,
				columns,
				message: `The custom field “${key}” no longer exists. Choose another target for ${columns.map((c) => `“${c}”`).join(', ')}.`
			});
		}
	}
	if (!byTarget.has('phone')) {
		blockers.push({
			kind: 'no_phone',
			columns: [],
			message:
				'No column is mapped to Phone. Every contact needs a phone number: map the column that holds it.'
		});
	}
	return blockers;
}

/** Headers of the columns left *not mapped* ('' target), in file order. */
export function unmappedColumns(headers: readonly string[], mapping: readonly Target[]): string[] {
	return headers.filter((_, i) => (mapping[i] ?? '') === '');
}
