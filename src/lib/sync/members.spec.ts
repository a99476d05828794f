import { describe, expect, it } from 'vitest';
import { joinLink, readJoinFragment } from './members';

describe('join links', () => {
	it('carry the backend and token in the fragment only, and read back', () => {
		const link = joinLink('https://app.example', 'https://sync.example/', 'tok+/=en');
		const url = new URL(link);
		expect(url.origin + url.pathname).toBe('https://app.example/settings');
		expect(url.search).toBe('');
		expect(link).not.toContain('tok+/=en');
		expect(readJoinFragment(url.hash)).toEqual({ url: 'https://sync.example/', token: 'tok+/=en' });
	});

	it('fill nothing in from a damaged or foreign fragment', () => {
		expect(readJoinFragment('')).toBeNull();
		expect(readJoinFragment('#join=%%%')).toBeNull();
		expect(readJoinFragment('#join=' + btoa('{"url":1}'))).toBeNull();
		expect(readJoinFragment('#section')).toBeNull();
	});
});
