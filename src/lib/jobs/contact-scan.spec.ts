import Papa from 'papaparse';
import { describe, expect, it } from 'vitest';
import { newContact } from '$lib/domain/contact';
import { freshDb } from './test-support';
import {
	Cancelled,
	countSegment,
	customFieldUsage,
	exportSegment,
	segmentPhones
} from './contact-scan';

describe('contact scans', () => {
	it('count, list and export a segment; count custom field usage', async () => {
		const db = freshDb();
		await db.contacts.bulkPut(
			Array.from({ length: 25_000 }, (_, i) =>
				newContact(
					`+1212${String(2000000 + i)}`,
					{
						firstName: i % 2 ? 'Odd' : 'Even',
						tags: i % 5 === 0 ? ['vip'] : [],
						custom: i % 3 === 0 ? { region: '=West' } : {}
					},
					0
				)
			)
		);
		const def = {
			groups: [
				[
					{ field: 'tags' as const, operator: 'has_tag' as const, value: 'VIP' },
					{ field: 'first_name' as const, operator: 'equals' as const, value: 'even' }
				]
			]
		};
		expect(await countSegment(db, def)).toBe(2500);
		const phones = await segmentPhones(db, def);
		expect(phones).toHaveLength(2500);
		expect(phones[0]).toBe('+12122000000');
		expect(await customFieldUsage(db, 'region')).toBe(8334);
		const csv = Papa.parse<string[]>(
			await (
				await exportSegment(db, def, [
					{ key: 'region', label: 'Region', type: 'text', createdAt: 0 }
				])
			).text(),
			{ skipEmptyLines: true }
		).data;
		expect(csv[0]).toEqual([
			'phone',
			'first_name',
			'last_name',
			'email',
			'company',
			'tags',
			'timezone',
			'region'
		]);
		expect(csv).toHaveLength(2501);
		expect(csv[1][0]).toBe("'+12122000000");
		expect(csv[1][7]).toBe("'=West");
	});

	it('stops when cancelled', async () => {
		const db = freshDb();
		await db.contacts.put(newContact('+12122000000', {}, 0));
		await expect(
			countSegment(
				db,
				{ groups: [[{ field: 'phone', operator: 'is_not_empty', value: '' }]] },
				() => true
			)
		).rejects.toThrow(Cancelled);
	});
});
