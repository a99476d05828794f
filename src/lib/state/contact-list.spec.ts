import { describe, expect, it } from 'vitest';
import { newContact, type Contact } from '$lib/domain/contact';
import type { ListSnapshot } from '$lib/db/list-snapshot-repo';
import type { AppWorker } from '$lib/worker/client';
import { ContactList } from './contact-list.svelte';

const people = (n: number) =>
	Array.from({ length: n }, (_, i) =>
		newContact(`+1212${2_000_000 + i}`, { firstName: `P${i}` }, 0)
	);

/** A worker whose contact queries wait until `answer` is called (the index is still being read). */
function slowWorker(stored: Contact[]) {
	let release!: () => void;
	const ready = new Promise<void>((r) => (release = r));
	const calls: string[] = [];
	const api = {
		contactCount: async () => (await ready, stored.length),
		listContacts: async (_f: unknown, _s: unknown, offset: number, limit: number) => {
			calls.push(`list ${offset} ${limit}`);
			await ready;
			return { total: stored.length, contacts: stored.slice(offset, offset + limit) };
		}
	};
	const worker = { call: (fn: (a: typeof api) => unknown) => fn(api) } as unknown as AppWorker;
	return { worker, calls, answer: release };
}

const snapshotOf = (contacts: Contact[], total = contacts.length): ListSnapshot => ({
	seq: 7,
	chunks: 1,
	total,
	contacts: contacts.slice(0, 100)
});

const settle = () => new Promise((r) => setTimeout(r, 0));

describe('ContactList', () => {
	it("shows a current snapshot at once, then keeps its pages when the worker's answer agrees", async () => {
		const stored = people(150);
		const { worker, calls, answer } = slowWorker(stored);
		const list = new ContactList(worker, () => Promise.resolve(snapshotOf(stored)));
		const refreshed = list.refresh({ kind: 'all' }, 'name');
		await settle();
		expect([list.count, list.shown, list.loading]).toEqual([150, 150, false]);
		const shownAt = list.version;
		const first = await list.page({ kind: 'all' }, 'name', 0, 100);
		expect(first.map((c) => c?.firstName)).toEqual(stored.slice(0, 100).map((c) => c.firstName));
		expect(calls).toEqual(['list 0 0']);
		answer();
		await refreshed;
		expect(list.version).toBe(shownAt);
		// From now on every page is the worker's.
		await list.page({ kind: 'all' }, 'name', 0, 100);
		expect(calls).toEqual(['list 0 0', 'list 0 100']);
	});

	it("redraws when the worker's answer differs, and never uses a snapshot for another view", async () => {
		const stored = people(30);
		const { worker, calls, answer } = slowWorker(stored);
		const list = new ContactList(worker, () => Promise.resolve(snapshotOf(stored.slice(0, 20))));
		const refreshed = list.refresh({ kind: 'all' }, 'name');
		await settle();
		expect(list.count).toBe(20);
		expect((await list.page({ kind: 'all' }, 'name', 0, 100)).length).toBe(20);
		const tagged = list.page({ kind: 'tag', tag: 'vip' }, 'name', 0, 100);
		expect(calls).toEqual(['list 0 0', 'list 0 100']);
		const before = list.version;
		answer();
		await Promise.all([refreshed, tagged]);
		expect([list.count, list.shown]).toEqual([30, 30]);
		expect(list.version).toBe(before + 1);
	});

	it('drops a snapshot that arrives after the worker answered', async () => {
		const stored = people(5);
		const { worker, answer } = slowWorker(stored);
		let late!: (s: ListSnapshot) => void;
		const list = new ContactList(worker, () => new Promise((r) => (late = r)));
		answer();
		await list.refresh({ kind: 'all' }, 'name');
		late(snapshotOf(people(2)));
		await settle();
		expect(list.count).toBe(5);
	});

	it('shows early matches as early until the full answer, and drops those of an older query', async () => {
		const stored = people(5);
		const answers: ((found: Contact[]) => void)[] = [];
		const earlyOf: ((found: Contact[]) => void)[] = [];
		const api = {
			searchContacts: (_q: string, _l: number, _c: string, onEarly: (f: Contact[]) => void) => {
				earlyOf.push(onEarly);
				return new Promise<Contact[]>((r) => answers.push(r));
			}
		};
		const worker = {
			call: (fn: (a: typeof api, t: { callback: <F>(f: F) => F }) => unknown) =>
				fn(api, { callback: (f) => f })
		} as unknown as AppWorker;
		const list = new ContactList(worker);
		const searched = list.search('p', 'US');
		await settle();
		earlyOf[0]([stored[0]]);
		expect([list.results.map((c) => c.firstName), list.early, list.searching]).toEqual([
			['P0'],
			true,
			true
		]);
		answers[0](stored);
		await searched;
		expect([list.results.length, list.early, list.searching]).toEqual([5, false, false]);
		// An early answer of a query typed over is not shown.
		const older = list.search('p1', 'US');
		await settle();
		const newer = list.search('p2', 'US');
		await settle();
		earlyOf[1]([stored[1]]);
		expect(list.early).toBe(false);
		answers[2]([stored[2]]);
		await newer;
		answers[1]([stored[1]]);
		await older;
		expect([list.results.map((c) => c.firstName), list.early]).toEqual([['P2'], false]);
	});
});
