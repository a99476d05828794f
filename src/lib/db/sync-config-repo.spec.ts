import { describe, expect, it } from 'vitest';
import { freshDb } from '$support/test-db';
import { getSyncConfig, setSyncConfig } from './sync-config-repo';

describe('setSyncConfig', () => {
	it('saves nothing when the URL is refused', async () => {
		const db = freshDb();
		await expect(
			setSyncConfig(db, { url: 'http://10.0.0.2:8787', token: 't', enabled: true })
		).rejects.toThrow(/https/);
		expect((await getSyncConfig(db)).url).toBe('');
		await setSyncConfig(db, { url: ' https://sync.example.com ', token: ' t ', enabled: true });
		expect(await getSyncConfig(db)).toEqual({
			url: 'https://sync.example.com',
			token: 't',
			enabled: true
		});
	});
});
