import { describe, expect, it } from 'vitest';
import { backendUrlProblem, mergeSkipped, SKIPPED_KEPT } from './sync-config';

describe('backendUrlProblem', () => {
	it.each([
		'https://sync.example.com',
		'https://10.0.0.5:8443/base',
		'http://localhost:8787',
		'http://127.0.0.1:8787',
		'http://localhost'
	])('accepts %s', (url) => {
		expect(backendUrlProblem(url)).toBeNull();
	});

	it('refuses plain http to another machine, naming the host and the fix', () => {
		expect(backendUrlProblem('http://192.168.1.20:8787')).toMatch(
			/Use https:\/\/.*192\.168\.1\.20.*localhost or 127\.0\.0\.1/
		);
		expect(backendUrlProblem('http://sync.example.com')).toMatch(/https:\/\//);
	});

	it('refuses what is not an http(s) URL', () => {
		expect(backendUrlProblem('localhost:8787')).toMatch(/must start with https:\/\//);
		expect(backendUrlProblem('ftp://x')).toMatch(/must start with https:\/\//);
		expect(backendUrlProblem('not a url')).toMatch(/is not a URL/);
	});
});

describe('mergeSkipped', () => {
	const bad = (phone: string, reason = 'at: expected number') => ({ phone, reason });
	it('adds a page’s skipped changes and drops those whose phone was read since', () => {
		const first = mergeSkipped({ count: 0, changes: [] }, new Set(), [bad('+1'), bad('+2')]);
		expect(first).toEqual({ count: 2, changes: [bad('+1'), bad('+2')] });
		expect(mergeSkipped(first, new Set(['+1']), [])).toEqual({ count: 1, changes: [bad('+2')] });
		expect(mergeSkipped(first, new Set(['+1', '+2']), [])).toEqual({ count: 0, changes: [] });
	});

	it('keeps the latest few to show and goes on counting past them', () => {
		const many = Array.from({ length: SKIPPED_KEPT + 5 }, (_, i) => bad(`+${i}`));
		const merged = mergeSkipped({ count: 0, changes: [] }, new Set(), many);
		expect(merged.count).toBe(SKIPPED_KEPT + 5);
		expect(merged.changes).toHaveLength(SKIPPED_KEPT);
		expect(merged.changes.at(-1)).toEqual(bad(`+${SKIPPED_KEPT + 4}`));
	});
});
