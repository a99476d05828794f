import { describe, expect, it } from 'vitest';
import { syncStatusLabel } from './sync-status';

const base = { configured: true, online: true, pending: 0, failed: 0, state: { attempt: 0 } };

// In English (the base language the specs run in) the line reads as the UI contract names it.
describe('syncStatusLabel', () => {
	it('covers every state', () => {
		expect(syncStatusLabel({ ...base, configured: false, pending: 3 })).toBe('Off');
		expect(syncStatusLabel({ ...base, online: false, pending: 3 })).toBe('Offline');
		expect(
			syncStatusLabel({ ...base, state: { attempt: 0, lastError: 'Check the API token.' } })
		).toBe('Error: Check the API token.');
		expect(syncStatusLabel({ ...base, failed: 1, firstFailure: 'Invalid batch' })).toBe(
			'Error: 1 batch was refused by the server: Invalid batch'
		);
		expect(syncStatusLabel({ ...base, failed: 2 })).toBe(
			'Error: 2 batches were refused by the server: no reason given'
		);
		expect(syncStatusLabel({ ...base, pending: 1234 })).toBe('Pending 1234');
		expect(syncStatusLabel(base)).toBe('Synced');
	});
});
