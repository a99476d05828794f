import { describe, expect, it } from 'vitest';
import { freshDb, queueJob, threeContacts } from '$support/test-db';
import type { SyncIdentity } from '$lib/domain/sync-config';
import { getSyncState, setSyncState } from './sync-config-repo';
import { readPullCursor } from './pull-repo';
import { bindWorkspace, getBoundWorkspace, startAfresh, workspaceData } from './workspace-repo';

const a: SyncIdentity = {
	workspaceId: 'w-a',
	workspaceName: 'Acme',
	memberId: 'm1',
	memberName: 'Ada',
	role: 'owner'
};
const b: SyncIdentity = { ...a, workspaceId: 'w-b', workspaceName: 'Bolt', memberId: 'm9' };

describe('the workspace this device holds', () => {
	it('is bound by the first token a backend names, and never silently moved to another', async () => {
		const db = freshDb();
		expect(await getBoundWorkspace(db)).toBeNull();
		expect(await bindWorkspace(db, a)).toEqual(a);
		expect(await bindWorkspace(db, b)).toEqual(a);
		expect(await getBoundWorkspace(db)).toEqual(a);
		// A renamed workspace keeps its binding and takes the new name.
		expect(await bindWorkspace(db, { ...a, workspaceName: 'Acme Ltd' })).toMatchObject({
			workspaceName: 'Acme Ltd'
		});
	});

	it('starts afresh with another workspace: the old data goes, preferences stay', async () => {
		const db = await threeContacts();
		await bindWorkspace(db, a);
		await setSyncState(db, { attempt: 2, lastError: 'x', identity: a });
		const done = await queueJob(db, 'phone\n+14155550199\n', ['phone']);
		await db.jobs.update(done.id, { status: 'completed' });
		await db.settings.put({ key: 'pullCursor', value: { url: 'http://localhost:1', cursor: 7 } });
		await db.settings.put({ key: 'defaultCountry', value: 'GB' });
		expect((await workspaceData(db)).contacts).toBe(3);
		await startAfresh(db, b);
		expect(await workspaceData(db)).toEqual({ contacts: 0, unsent: 0 });
		expect(await db.contactIndex.count()).toBe(0);
		expect(await db.jobs.count()).toBe(0);
		expect(await getBoundWorkspace(db)).toEqual(b);
		expect(await getSyncState(db)).toEqual({ attempt: 0 });
		expect(await readPullCursor(db, 'http://localhost:1')).toBe(0);
		expect((await db.settings.get('defaultCountry'))?.value).toBe('GB');
	});

	it('refuses to start afresh while an import has not finished, and changes nothing', async () => {
		const db = await threeContacts();
		await bindWorkspace(db, a);
		await queueJob(db, 'phone\n+14155550199\n', ['phone']);
		await expect(startAfresh(db, b)).rejects.toThrow(/import has not finished/);
		expect((await workspaceData(db)).contacts).toBe(3);
		expect(await getBoundWorkspace(db)).toEqual(a);
	});
});
