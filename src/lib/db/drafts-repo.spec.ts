import 'fake-indexeddb/auto';
import { describe, expect, it } from 'vitest';
import { freshDb } from '$lib/jobs/test-support';
import { deleteDraft, getDraft, saveDraft, type DraftFields } from './drafts-repo';

const draft = (fileName: string): DraftFields => ({
	file: new Blob(['Phone\n+14155552671\n']),
	fileName,
	overrides: { delimiter: ';' },
	mapping: ['phone'],
	options: { defaultCountry: 'US', existingPolicy: 'update', autoCreate: false },
	fixes: [{ kind: 'skip', row: 2 }]
});

describe('drafts repository', () => {
	it('keeps one draft: saving again replaces it, deleting forgets it', async () => {
		const db = freshDb();
		expect(await getDraft(db)).toBeUndefined();
		await saveDraft(db, draft('a.csv'), 1);
		await saveDraft(db, draft('b.csv'), 2);
		const saved = await getDraft(db);
		expect(saved).toMatchObject({ fileName: 'b.csv', updatedAt: 2, fixes: [{ kind: 'skip' }] });
		expect(await db.drafts.count()).toBe(1);
		await deleteDraft(db);
		expect(await getDraft(db)).toBeUndefined();
	});
});
