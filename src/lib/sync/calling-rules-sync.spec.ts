import { describe, expect, it } from 'vitest';
import { createApp } from '../../../server/app';
import { openSqliteStore } from '../../../server/sqlite-store';
import { freshDb } from '$support/test-db';
import { serverTransport } from '$support/test-transports';
import { setSyncConfig } from '$lib/db/sync-config-repo';
import { getCallingHours, setCallingHours } from '$lib/db/calling-hours-repo';
import {
	addToDoNotCall,
	clearDoNotCall,
	getDoNotCallMeta,
	readDoNotCall,
	readDoNotCallSync
} from '$lib/db/do-not-call-repo';
import { DoNotCallSet } from '$lib/domain/do-not-call';
import { readTeam } from '$lib/db/team-repo';
import { SyncEngine } from './engine';
import type { Transport } from './transport';

/** A server (owner token `owner`) and devices on it; `restore` replaces its database. */
function setup() {
	let app = createApp({ store: openSqliteStore(':memory:'), token: 'owner' });
	// Through whichever app is current, so that a restore swaps the database under the devices.
	const asked: string[] = [];
	const transport: Transport = (request) => {
		asked.push(`${request.method} ${new URL(request.url).pathname}`);
		return serverTransport(app)(request);
	};
	const device = async (token = 'owner') => {
		const db = freshDb();
		await setSyncConfig(db, { url: 'https://x.test', token, enabled: true });
		return { db, engine: new SyncEngine({ db, transport }) };
	};
	const member = async (name = 'Agent') => {
		const res = await app.request('/v1/members', {
			method: 'POST',
			headers: { Authorization: 'Bearer owner', 'Content-Type': 'application/json' },
			body: JSON.stringify({ name, role: 'member' })
		});
		return ((await res.json()) as { token: string }).token;
	};
	const restore = () => (app = createApp({ store: openSqliteStore(':memory:'), token: 'owner' }));
	return { device, member, restore, asked };
}

const numbers = (...phones: string[]) => DoNotCallSet.of(phones);
const listed = async (db: ReturnType<typeof freshDb>) =>
	Array.from((await readDoNotCall(db)).set.keys(), (k) => `+${k}`);

describe('the calling rules in a drain', () => {
	it('takes the newer calling hours on every device, and only an owner’s change is sent', async () => {
		const { device, member } = setup();
		const a = await device();
		await setCallingHours(a.db, { from: '09:00', to: '17:00' }, 5000);
		expect(await a.engine.drain()).toMatchObject({ kind: 'done' });
		const b = await device();
		expect(await b.engine.drain()).toMatchObject({ kind: 'done' });
		expect(await getCallingHours(b.db)).toEqual({ from: '09:00', to: '17:00', updatedAt: 5000 });
		// A member's device takes the workspace's hours over its own, even its newer ones.
		const m = await device(await member());
		await setCallingHours(m.db, { from: '06:00', to: '23:00' }, 9000);
		expect(await m.engine.drain()).toMatchObject({ kind: 'done' });
		expect(await getCallingHours(m.db)).toEqual({ from: '09:00', to: '17:00', updatedAt: 5000 });
		expect(await a.engine.drain()).toMatchObject({ kind: 'done' });
		expect((await getCallingHours(a.db)).from).toBe('09:00');
	});

	it('sends numbers added anywhere to every device, and an owner’s clear empties every copy', async () => {
		const { device, member } = setup();
		const a = await device();
		const m = await device(await member());
		await addToDoNotCall(a.db, numbers('+14155550101', '+14155550102'));
		await addToDoNotCall(m.db, numbers('+14155550103'));
		for (const d of [a, m, a]) expect(await d.engine.drain()).toMatchObject({ kind: 'done' });
		expect(await listed(a.db)).toEqual(['+14155550101', '+14155550102', '+14155550103']);
		expect(await listed(m.db)).toEqual(['+14155550101', '+14155550102', '+14155550103']);
		expect((await readDoNotCallSync(a.db)).pending).toHaveLength(0);
		// A member's clear is not the workspace's: its copy comes back.
		await clearDoNotCall(m.db);
		expect(await m.engine.drain()).toMatchObject({ kind: 'done' });
		expect((await getDoNotCallMeta(m.db)).count).toBe(3);
		// An owner's clear is, and a number added after it stays.
		await clearDoNotCall(a.db);
		await addToDoNotCall(a.db, numbers('+14155550109'));
		expect(await a.engine.drain()).toMatchObject({ kind: 'done' });
		expect(await m.engine.drain()).toMatchObject({ kind: 'done' });
		expect(await listed(m.db)).toEqual(['+14155550109']);
		expect(await listed(a.db)).toEqual(['+14155550109']);
	});

	it('sends a restored backend everything a device lists, in parts, and gets what another sent it', async () => {
		const { device, restore } = setup();
		const a = await device();
		const many = Array.from({ length: 25_000 }, (_, i) => `+1415${String(5_000_000 + i)}`);
		await addToDoNotCall(a.db, DoNotCallSet.of(many));
		expect(await a.engine.drain()).toMatchObject({ kind: 'done' });
		restore();
		const b = await device();
		await addToDoNotCall(b.db, numbers('+14155550199'));
		expect(await b.engine.drain()).toMatchObject({ kind: 'done' });
		// A lost the backend it had sent to: it sends its whole list again, and gets B's.
		expect(await a.engine.drain()).toMatchObject({ kind: 'done' });
		expect((await getDoNotCallMeta(a.db)).count).toBe(25_001);
		expect(await b.engine.drain()).toMatchObject({ kind: 'done' });
		expect((await getDoNotCallMeta(b.db)).count).toBe(25_001);
	});

	it('reads the team a contact can be owned by on every device, again only when it changed', async () => {
		const { device, member, asked } = setup();
		const agent = await member('ana.ruiz@acme.com');
		const m = await device(agent);
		expect(await m.engine.drain()).toMatchObject({ kind: 'done' });
		expect((await readTeam(m.db)).names).toEqual(['ana.ruiz@acme.com']);
		const teamReads = () => asked.filter((a) => a === 'GET /v1/team').length;
		expect(teamReads()).toBe(1);
		expect(await m.engine.drain()).toMatchObject({ kind: 'done' });
		expect(teamReads()).toBe(1);
		await new Promise((resolve) => setTimeout(resolve, 2));
		await member('Ben Okafor');
		expect(await m.engine.drain()).toMatchObject({ kind: 'done' });
		expect(teamReads()).toBe(2);
		expect([...(await readTeam(m.db)).names].sort()).toEqual(['Ben Okafor', 'ana.ruiz@acme.com']);
	});
});
