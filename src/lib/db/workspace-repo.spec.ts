import { describe, expect, it } from 'vitest';
import { freshDb, queueJob, threeContacts } from '$support/test-db';
import type { SyncIdentity } from '$lib/domain/sync-config';
import { getSyncState, setSyncState } from './sync-config-repo';
import { readPullCursor } from './pull-repo';
import { DoNotCallSet } from '$lib/domain/do-not-call';
import { addToDoNotCall, getDoNotCallMeta, readDoNotCallSync } from './do-not-call-repo';
import { getCallingHours, setCallingHours } from './calling-hours-repo';
import { readTeam, saveTeam } from './team-repo';
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

	it('starts afresh without the old workspace’s calling rules or team: its list is never sent to the new one', async () => {
		const db = await threeContacts();
		await bindWorkspace(db, a);
		await addToDoNotCall(db, DoNotCallSet.of(['+14155550100', '+14155550101']));
		await setCallingHours(db, { from: '10:00', to: '12:00' }, 5);
		await saveTeam(db, { names: ['ana@acme.com'], teamAt: 3 });
		const before = await getDoNotCallMeta(db);
		await startAfresh(db, b);
		const after = await getDoNotCallMeta(db);
		expect(after.count).toBe(0);
		// The version moves, so a worker holding the old list reads it again.
		expect(after.version).toBeGreaterThan(before.version);
		expect((await readDoNotCallSync(db)).pending).toHaveLength(0);
		expect(await getCallingHours(db)).toMatchObject({ from: '08:00', to: '21:00', updatedAt: 0 });
		expect((await readTeam(db)).names).toEqual([]);
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
