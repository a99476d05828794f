import { describe, expect, it } from 'vitest';
import { freshDb } from '$support/test-db';
import {
	listSavedMappings,
	recallMapping,
	recallMappingMemory,
	rememberMapping,
	saveNamedMapping
} from './mappings-repo';

describe('mappings repository', () => {
	it('remembers a mapping by header set, in any order', async () => {
		const db = freshDb();
		await rememberMapping(db, ['Phone', 'Name'], ['phone', 'first_name']);
		expect(await recallMapping(db, ['name', 'phone'])).toEqual([
			['Phone', 'phone'],
			['Name', 'first_name']
		]);
		expect(await recallMapping(db, ['Phone'])).toBeUndefined();
	});

	it('remembers the value mappings of a header set with its mapping', async () => {
		const db = freshDb();
		await rememberMapping(db, ['Phone', 'Zone'], ['phone', 'timezone'], {
			Zone: [['EST', 'America/New_York']]
		});
		expect(await recallMappingMemory(db, ['zone', 'phone'])).toEqual({
			pairs: [
				['Phone', 'phone'],
				['Zone', 'timezone']
			],
			values: { Zone: [['EST', 'America/New_York']] }
		});
	});

	it('saves named mappings and refuses an empty name', async () => {
		const db = freshDb();
		await saveNamedMapping(db, ' CRM export ', ['Tel'], ['phone']);
		expect((await listSavedMappings(db)).map((m) => m.name)).toEqual(['CRM export']);
		await expect(saveNamedMapping(db, '  ', ['Tel'], ['phone'])).rejects.toThrow(/name/);
	});
});
