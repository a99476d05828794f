import { describe, expect, it } from 'vitest';
import { syncStatusText } from './status';

const base = { configured: true, online: true, pending: 0, failed: 0, state: { attempt: 0 } };

describe('syncStatusText', () => {
	it('covers every state', () => {
		expect(syncStatusText({ ...base, configured: false, pending: 3 })).toBe('Off');
		expect(syncStatusText({ ...base, online: false, pending: 3 })).toBe('Offline');
		expect(
			syncStatusText({ ...base, state: { attempt: 0, lastError: 'Check the API token.' } })
		).toBe('Error: Check the API token.');
		expect(syncStatusText({ ...base, failed: 1, firstFailure: 'Invalid batch' })).toBe(
			'Error: 1 batch was refused by the server: Invalid batch'
		);
		expect(syncStatusText({ ...base, pending: 4 })).toBe('Pending 4');
		expect(syncStatusText(base)).toBe('Synced');
	});
});
