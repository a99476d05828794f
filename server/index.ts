/**
 * Starts the reference sync backend: `npm run server`.
 * Environment: PORT (default 8787), SYNC_TOKEN (generated and printed when unset),
 * DATABASE_PATH (default ./data/sync.db).
 */
import { serve } from '@hono/node-server';
import { randomBytes } from 'node:crypto';
import { createApp } from './app';
import { openStore } from './store';

const port = Number(process.env.PORT ?? 8787);
const path = process.env.DATABASE_PATH ?? './data/sync.db';
let token = process.env.SYNC_TOKEN ?? '';
if (!token) {
	token = randomBytes(18).toString('base64url');
	console.log(`SYNC_TOKEN was not set; this run's API token is: ${token}`);
}
const store = openStore(path);
const server = serve(
	{ fetch: createApp({ store, token }).fetch, port, hostname: process.env.HOST ?? '127.0.0.1' },
	() => {
		console.log(`Callaro sync server listening on http://localhost:${port} (database ${path})`);
	}
);

const stop = () => {
	server.close();
	store.close();
	process.exit(0);
};
process.on('SIGTERM', stop);
process.on('SIGINT', stop);
