import 'fake-indexeddb/auto';
import { describe, expect, it } from 'vitest';
import { freshDb } from '$support/test-db';
import { getSyncConfig, setSyncConfig } from '$lib/db/sync-config-repo';
import { DeadlineError } from '$lib/errors';
import {
	MARKER_KEY,
	checkEviction,
	checkEvictionInTime,
	evictionMessage,
	type KeyValue
} from './storage-marker';

function memory(): KeyValue & { items: Map<string, string> } {
	const items = new Map<string, string>();
	return {
		items,
		getItem: (k) => items.get(k) ?? null,
		setItem: (k, v) => void items.set(k, v)
	};
}

describe('eviction marker', () => {
	it('a first visit and later visits report nothing', async () => {
		const db = freshDb();
		const mem = memory();
		expect(await checkEviction(db, mem, 1000)).toBeNull();
		expect(await checkEviction(db, mem, 2000)).toBeNull();
		expect(JSON.parse(mem.items.get(MARKER_KEY)!)).toMatchObject({ lastSeen: 2000 });
	});

	it('a database deleted under the marker is reported, and the backend URL comes back', async () => {
		const mem = memory();
		const before = freshDb();
		await setSyncConfig(before, { url: 'http://localhost:8787', token: 'secret', enabled: true });
		await checkEviction(before, mem, Date.UTC(2026, 10, 20));
		expect(mem.items.get(MARKER_KEY)).not.toContain('secret');

		const after = freshDb();
		const report = await checkEviction(after, mem, Date.UTC(2026, 11, 2));
		expect(report).toEqual({ lastSeen: Date.UTC(2026, 10, 20), syncUrl: 'http://localhost:8787' });
		expect(await getSyncConfig(after)).toEqual({
			url: 'http://localhost:8787',
			token: '',
			enabled: false
		});
		expect(evictionMessage(report!, 'en-US')).toMatch(
			/deleted the data .* \(November 20, 2026\).*still on the backend http:\/\/localhost:8787: enter your API token/
		);
		// Reported once: the new database has its id now.
		expect(await checkEviction(after, mem)).toBeNull();
	});

	it('a store that never answers is reported after the deadline, not waited on for ever', async () => {
		const db = freshDb();
		const mem = memory();
		expect(await checkEvictionInTime(db, mem, 300)).toBeNull();
		// A transaction that never ends holds the settings store, as WebKit leaves one.
		let holding = true;
		const held = db.transaction('rw', db.settings, async () => {
			while (holding) await db.settings.get('nothing');
		});
		const check = checkEvictionInTime(db, mem, 300);
		await expect(check).rejects.toBeInstanceOf(DeadlineError);
		await expect(check).rejects.toThrow(/storage for this app is not answering/);
		// The check's own read ended with it: a write to another store, created after it and
		// sharing its scope, is not held back by it.
		await db.jobs.put({ id: 'after-the-check' } as never);
		holding = false;
		await held;
		// Once the store answers again, so does the check.
		expect(await checkEvictionInTime(db, mem, 300)).toBeNull();
	});

	it('without sync, the message says to import again', () => {
		expect(evictionMessage({ lastSeen: 0 }, 'en-US')).toMatch(/Import the files again/);
	});
});
