import { describe, expect, it } from 'vitest';
import { backendUrlProblem } from './sync-config';

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
