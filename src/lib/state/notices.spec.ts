import { describe, expect, it } from 'vitest';
import { Notices, watchUncaught } from './notices.svelte';

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

	it('shows every unhandled rejection and uncaught error, until it stops watching', () => {
		const notices = new Notices();
		const target = new EventTarget();
		const stop = watchUncaught(target, notices, 'Unexpected');
		const rejection = Object.assign(new Event('unhandledrejection'), {
			reason: new Error('Error preparing Blob/File data to be stored in object store')
		});
		target.dispatchEvent(rejection);
		target.dispatchEvent(
			Object.assign(new Event('error'), { error: new TypeError('x is undefined'), message: '' })
		);
		// Neither a cancellation nor the browser's resize-loop report is a failure to show.
		target.dispatchEvent(
			Object.assign(new Event('unhandledrejection'), {
				reason: new DOMException('stop', 'AbortError')
			})
		);
		target.dispatchEvent(
			Object.assign(new Event('error'), {
				message: 'ResizeObserver loop completed with undelivered notifications.'
			})
		);
		expect(notices.items.map((n) => `${n.context}: ${n.message}`)).toEqual([
			'Unexpected: Error preparing Blob/File data to be stored in object store',
			'Unexpected: x is undefined'
		]);
		stop();
		target.dispatchEvent(rejection);
		expect(notices.items).toHaveLength(2);
	});
});
