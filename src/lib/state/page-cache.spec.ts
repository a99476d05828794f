import 'fake-indexeddb/auto';
import { describe, expect, it } from 'vitest';
import { CallaroDb } from '$lib/db/database';
import { releaseOnPageHide } from './page-cache';

const transition = (type: string, persisted: boolean) =>
	Object.assign(new Event(type), { persisted });

describe('releaseOnPageHide', () => {
	it('aborts, closes and stops the workers on every pagehide, and reloads only on a return from the cache', () => {
		const page = new EventTarget();
		const calls: string[] = [];
		const stop = releaseOnPageHide(page, {
			db: {
				abortOpenTransactions: () => (calls.push('abort'), 0),
				close: () => calls.push('close')
			},
			stopWorkers: () => calls.push('workers'),
			reload: () => calls.push('reload')
		});
		page.dispatchEvent(transition('pageshow', false));
		expect(calls).toEqual([]);
		page.dispatchEvent(transition('pagehide', true));
		expect(calls).toEqual(['workers', 'abort', 'close']);
		page.dispatchEvent(transition('pageshow', false));
		expect(calls).toHaveLength(3);
		page.dispatchEvent(transition('pageshow', true));
		expect(calls).toEqual(['workers', 'abort', 'close', 'reload']);
		page.dispatchEvent(transition('pagehide', false));
		expect(calls).toEqual(['workers', 'abort', 'close', 'reload', 'workers', 'abort', 'close']);
		stop();
		page.dispatchEvent(transition('pagehide', true));
		expect(calls).toHaveLength(7);
	});

	it('does not reload a page restored from the cache that never let go of anything', () => {
		const page = new EventTarget();
		const calls: string[] = [];
		releaseOnPageHide(page, {
			db: { abortOpenTransactions: () => 0, close: () => calls.push('close') },
			stopWorkers: () => undefined,
			reload: () => calls.push('reload')
		});
		page.dispatchEvent(transition('pageshow', true));
		expect(calls).toEqual([]);
	});
});

describe('CallaroDb.abortOpenTransactions', () => {
	it('aborts a transaction in flight, which then frees its stores for another connection', async () => {
		const name = `abort-${crypto.randomUUID()}`;
		const db = new CallaroDb(name);
		await db.open();
		let release!: () => void;
		const held = new Promise<void>((r) => (release = r));
		// A write that never finishes on its own: its transaction keeps requesting while `held`.
		const stuck = db.transaction('rw', db.settings, async () => {
			await db.settings.put({ key: 'a', value: 1 });
			for (let i = 0; ; i++) {
				const done = await Promise.race([
					held.then(() => true),
					db.settings.get('a').then(() => false)
				]);
				if (done || i > 100_000) return;
			}
		});
		await new Promise((r) => setTimeout(r, 20));
		expect(db.abortOpenTransactions()).toBe(1);
		await expect(stuck).rejects.toThrow();
		release();
		const other = new CallaroDb(name);
		await other.settings.put({ key: 'b', value: 2 });
		expect(await other.settings.get('a')).toBeUndefined();
		expect(db.abortOpenTransactions()).toBe(0);
		other.close();
		db.close();
	});
});
