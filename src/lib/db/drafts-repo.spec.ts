import 'fake-indexeddb/auto';
import { describe, expect, it } from 'vitest';
import { freshDb } from '$support/test-db';
import { readWholeFile, storeFile, storedFile } from './file-store';
import { deleteDraft, getDraft, saveDraft, type DraftFields } from './drafts-repo';

const draft = (fileName: string, fileId: string): DraftFields => ({
	fileId,
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
		const a = await storeFile(db, new File(['Phone\n+14155552671\n'], 'a.csv'));
		const b = await storeFile(db, new File(['Phone\n+14155552672\n'], 'b.csv'));
		await saveDraft(db, draft('a.csv', a), 1);
		await saveDraft(db, draft('b.csv', b), 2);
		const saved = await getDraft(db);
		expect(saved).toMatchObject({ fileName: 'b.csv', updatedAt: 2, fixes: [{ kind: 'skip' }] });
		expect(await db.drafts.count()).toBe(1);
		// The replaced draft's file is gone; the current one stays.
		expect(await storedFile(db, a)).toBeUndefined();
		expect(await (await readWholeFile(db, b))!.text()).toBe('Phone\n+14155552672\n');
		await deleteDraft(db);
		expect(await getDraft(db)).toBeUndefined();
		expect(await db.files.count()).toBe(0);
		expect(await db.fileParts.count()).toBe(0);
	});
});
