/**
 * When the runner drains: at once when the live channel says the feed moved, polling every
 * `fallbackMs` while the channel is not open and only every `periodMs` while it is, again shortly
 * when another tab holds the drain lock, and with the channel following the settings.
 */
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { freshDb } from '$support/test-db';
import { setSyncConfig } from '$lib/db/sync-config-repo';
import { startSyncRunner, type LiveOpener } from './sync-runner';
import type { LiveState } from './live-channel';
import type { DrainResult } from './engine';

const DONE: DrainResult = { kind: 'done', pushed: 0, pulled: 0 };
const ON = { url: 'http://localhost:8787/', token: 't', enabled: true };

beforeEach(() => {
	vi.stubGlobal('window', new EventTarget());
	vi.stubGlobal('document', Object.assign(new EventTarget(), { visibilityState: 'visible' }));
});
afterEach(() => vi.unstubAllGlobals());

const sleep = (ms: number) => new Promise((done) => setTimeout(done, ms));

async function until(check: () => boolean, ms = 3000) {
	const end = Date.now() + ms;
	while (!check()) {
		if (Date.now() > end) throw new Error('timed out');
		await sleep(5);
	}
}

/** A live opener that records what it opened and lets the test drive it. */
function fakeLive() {
	const opened: { url: string; token: string; closed: boolean }[] = [];
	let change = () => {};
	let state: (s: LiveState) => void = () => {};
	const open: LiveOpener = (backend, onChange, onState) => {
		const entry = { ...backend, closed: false };
		opened.push(entry);
		change = onChange;
		state = onState;
		return () => (entry.closed = true);
	};
	return { open, opened, change: () => change(), state: (s: LiveState) => state(s) };
}

function runner(
	db: Awaited<ReturnType<typeof freshDb>>,
	live: ReturnType<typeof fakeLive>,
	extra = {}
) {
	let drains = 0;
	const states: string[] = [];
	const stop = startSyncRunner({
		db,
		drain: () => {
			drains++;
			return Promise.resolve(DONE);
		},
		online: () => true,
		periodMs: 60_000,
		fallbackMs: 100,
		openLive: live.open,
		onLiveState: (s) => states.push(s),
		...extra
	});
	return {
		stop,
		states,
		get drains() {
			return drains;
		}
	};
}

describe('startSyncRunner', () => {
	it('opens the channel for the configured backend, and drains when it says the feed moved', async () => {
		const db = await freshDb();
		await setSyncConfig(db, ON);
		const live = fakeLive();
		const run = runner(db, live);
		try {
			await until(() => live.opened.length === 1 && run.drains >= 1);
			expect(live.opened[0]).toMatchObject({ url: 'http://localhost:8787', token: 't' });
			live.state('live');
			await sleep(50);
			const before = run.drains;
			live.change();
			await until(() => run.drains === before + 1);
		} finally {
			run.stop();
		}
		expect(live.opened[0].closed).toBe(true);
	});

	it('polls every fallbackMs while the channel is down, and stops polling once it is live', async () => {
		const db = await freshDb();
		await setSyncConfig(db, ON);
		const live = fakeLive();
		const run = runner(db, live);
		try {
			await until(() => run.drains >= 1);
			live.state('down');
			const down = run.drains;
			await sleep(450);
			expect(run.drains - down).toBeGreaterThanOrEqual(2);
			live.state('live');
			// Let a poll already scheduled go by; then only the minute's period remains.
			await sleep(150);
			const up = run.drains;
			await sleep(400);
			expect(run.drains).toBe(up);
		} finally {
			run.stop();
		}
	});

	it('tries again shortly when another tab holds the drain lock, instead of skipping', async () => {
		const db = await freshDb();
		await setSyncConfig(db, ON);
		const live = fakeLive();
		let busy = true;
		const locks = {
			request: (_name: string, _options: unknown, fn: (lock: unknown) => unknown) =>
				Promise.resolve(fn(busy ? null : {}))
		} as unknown as Pick<LockManager, 'request'>;
		const run = runner(db, live, { locks, fallbackMs: 60_000 });
		try {
			live.state('live');
			await sleep(100);
			expect(run.drains).toBe(0);
			busy = false;
			await until(() => run.drains >= 1, 2500);
		} finally {
			run.stop();
		}
	});

	it('follows the settings: a new token opens a new channel, sync off closes it', async () => {
		const db = await freshDb();
		await setSyncConfig(db, ON);
		const live = fakeLive();
		const run = runner(db, live);
		try {
			await until(() => live.opened.length === 1);
			await setSyncConfig(db, { ...ON, token: 'other' });
			await until(() => live.opened.length === 2);
			expect(live.opened[0].closed).toBe(true);
			expect(live.opened[1].token).toBe('other');
			await setSyncConfig(db, { ...ON, token: 'other', enabled: false });
			await until(() => live.opened[1].closed);
			expect(run.states.at(-1)).toBe('off');
		} finally {
			run.stop();
		}
	});
});
