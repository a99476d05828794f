#!/usr/bin/env node
/**
 * `npm start`: serves the built app (http://localhost:4173) and the reference sync backend
 * (http://localhost:8787) together, so sync can be tried with no other set-up. A token is made
 * and printed at start; a token the user set in SYNC_TOKEN is never printed (it is a secret they
 * already know, and logs travel).
 */
import { spawn } from 'node:child_process';
import { randomBytes } from 'node:crypto';

const token = process.env.SYNC_TOKEN || randomBytes(18).toString('base64url');
const children = [
	spawn(process.execPath, ['scripts/serve.js'], { stdio: 'inherit' }),
	spawn(process.execPath, ['--import', 'tsx', 'server/index.ts'], {
		stdio: 'inherit',
		env: { ...process.env, SYNC_TOKEN: token, PORT: process.env.SYNC_PORT ?? '8787' }
	})
];
const shown = process.env.SYNC_TOKEN ? 'your SYNC_TOKEN' : token;
console.log(
	`\nTo try sync: open Settings, set Backend URL http://localhost:${process.env.SYNC_PORT ?? 8787} and API token ${shown}, tick Sync enabled.\n`
);
const stop = () => children.forEach((c) => c.kill('SIGTERM'));
process.on('SIGINT', stop);
process.on('SIGTERM', stop);
children.forEach((c) => c.on('exit', (code) => code && code !== 0 && stop()));
