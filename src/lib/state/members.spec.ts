import { describe, expect, it } from 'vitest';
import type { Member } from '$lib/protocol/sync';
import type { MembersClient } from '$lib/sync/members';
import { readJoinFragment } from '$lib/sync/members';
import { MembersAdmin } from './members.svelte';

function fakeClient(): MembersClient & { members: Member[] } {
	const members: Member[] = [{ memberId: 'm1', name: 'Owner', role: 'owner' }];
	return {
		members,
		list: () => Promise.resolve(members.map((m) => ({ ...m }))),
		add: (name, role) => {
			members.push({ memberId: `m${members.length + 1}`, name, role });
			return Promise.resolve({ memberId: `m${members.length}`, token: 'secret-token' });
		},
		revoke: (id) => {
			const m = members.find((x) => x.memberId === id);
			if (!m) return Promise.reject(new Error('No such member.'));
			m.revoked = true;
			return Promise.resolve();
		}
	};
}

describe('MembersAdmin', () => {
	it('adds a member and shows its token once, with a join link for this backend', async () => {
		const client = fakeClient();
		const admin = new MembersAdmin(
			() => client,
			'https://app.example',
			() => 'https://sync.example'
		);
		await admin.load();
		expect(admin.members.map((m) => m.name)).toEqual(['Owner']);
		await admin.add('  Field phone ', 'member');
		expect(admin.created?.name).toBe('Field phone');
		expect(admin.created?.token).toBe('secret-token');
		expect(readJoinFragment(new URL(admin.created!.link).hash)).toEqual({
			url: 'https://sync.example',
			token: 'secret-token'
		});
		expect(admin.members.map((m) => m.name)).toEqual(['Owner', 'Field phone']);
		admin.dismiss();
		expect(admin.created).toBeNull();
	});

	it('revokes, and says what failed without losing the list', async () => {
		const client = fakeClient();
		const admin = new MembersAdmin(
			() => client,
			'https://app.example',
			() => ''
		);
		await admin.add('Tablet', 'member');
		await admin.revoke('m2');
		expect(admin.members.find((m) => m.memberId === 'm2')?.revoked).toBe(true);
		await admin.revoke('nope');
		expect(admin.error).toBe('The member could not be revoked: No such member.');
		expect(admin.members).toHaveLength(2);
		await admin.add('   ', 'member');
		expect(admin.error).toMatch(/Give the member a name/);
	});
});
