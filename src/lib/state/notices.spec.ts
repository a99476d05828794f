import { describe, expect, it } from 'vitest';
import { Notices } from './notices.svelte';

describe('Notices', () => {
	it('reports a failure once per context and message, and dismisses it', () => {
		const notices = new Notices();
		const a = notices.report(new Error('disk is full'), 'Saving');
		expect(notices.report(new Error('disk is full'), 'Saving')).toBe(a);
		notices.report('offline', 'Loading');
		expect(notices.items.map((n) => `${n.context}: ${n.message}`)).toEqual([
			'Saving: disk is full',
			'Loading: offline'
		]);
		notices.dismiss(a);
		expect(notices.items).toHaveLength(1);
	});

	it('attempt returns the result, or reports the failure and returns undefined', async () => {
		const notices = new Notices();
		await expect(notices.attempt('Counting', () => Promise.resolve(3))).resolves.toBe(3);
		await expect(
			notices.attempt('Counting', () => Promise.reject(new Error('no index')))
		).resolves.toBeUndefined();
		expect(notices.items[0]).toMatchObject({ context: 'Counting', message: 'no index' });
	});

	it('a cancelled action is not a failure', async () => {
		const notices = new Notices();
		await notices.attempt('Reviewing', () =>
			Promise.reject(new DOMException('cancelled', 'AbortError'))
		);
		expect(notices.items).toHaveLength(0);
	});
});
