/**
 * Starts the reference sync backend: `npm run server`.
 * Environment:
 * - PORT (default 8787);
 * - HOST, the address to listen on (default 127.0.0.1: this machine only; 0.0.0.0 for every
 *   interface, behind a TLS proxy, since browsers reach other machines only over https);
 * - SYNC_TOKEN, the API token (generated and printed when unset; never printed when set);
 * - DATABASE_URL, a postgres:// (or postgresql://) URL: the PostgreSQL store, whose schema is
 *   migrated at start; several processes may share one database. When unset, SQLite:
 * - DATABASE_PATH (default ./data/sync.db; created 0600).
 * Neither the token nor the database password is ever printed.
 */
import { serve } from '@hono/node-server';
import { randomBytes } from 'node:crypto';
import { resolve } from 'node:path';
import { createApp } from './app';
import { openPgStore } from './pg-store';
import { openSqliteStore } from './sqlite-store';
import type { Store } from './store';

/** Stops the process with one clear line (no stack trace): what is wrong and what to do. */
function fail(message: string): never {
	console.error(`Callaro sync server cannot start: ${message}`);
	process.exit(1);
}

const port = Number(process.env.PORT ?? 8787);
if (!Number.isInteger(port) || port < 0 || port > 65535)
	fail(`PORT must be a port number (0–65535), not “${process.env.PORT}”.`);
const host = process.env.HOST ?? '127.0.0.1';
const databaseUrl = process.env.DATABASE_URL ?? '';
let token = process.env.SYNC_TOKEN ?? '';
if (!token) {
	token = randomBytes(18).toString('base64url');
	console.log(`SYNC_TOKEN was not set; this run's API token is: ${token}`);
}

/** An error as one line (a connection's AggregateError has no message of its own). */
function reasonOf(error: unknown): string {
	if (error instanceof AggregateError && !error.message)
		return error.errors.map(reasonOf).join('; ');
	if (error instanceof Error)
		return error.message || (error as NodeJS.ErrnoException).code || error.name;
	return String(error);
}

/** `url` as it may be shown: user, host, port and database, never the password. */
function describePg(url: URL): string {
	const user = url.username ? `${decodeURIComponent(url.username)}@` : '';
	return `postgresql://${user}${url.hostname || 'localhost'}:${url.port || '5432'}${url.pathname}`;
}

let store: Store;
let described: string;
if (databaseUrl) {
	let url: URL;
	try {
		url = new URL(databaseUrl);
	} catch {
		// The URL itself is not repeated: it may hold a password.
		fail('DATABASE_URL is not a URL. Set it to postgres://user:password@host:5432/database.');
	}
	if (url.protocol !== 'postgres:' && url.protocol !== 'postgresql:')
		fail(
			`DATABASE_URL must be a postgres:// or postgresql:// URL, not ${url.protocol}//…. Unset it to use SQLite (DATABASE_PATH).`
		);
	described = `PostgreSQL ${describePg(url)}`;
	try {
		store = await openPgStore(databaseUrl);
	} catch (error) {
		let reason = reasonOf(error);
		// Driver messages do not carry the password; this makes sure of it.
		const password = decodeURIComponent(url.password);
		if (password) reason = reason.split(password).join('***');
		fail(
			`the PostgreSQL database at ${describePg(url)} cannot be used (${reason}). Check DATABASE_URL and that the server is reachable.`
		);
	}
} else {
	const path = resolve(process.env.DATABASE_PATH ?? './data/sync.db');
	described = `SQLite ${path}`;
	try {
		store = openSqliteStore(path);
	} catch (error) {
		fail(
			`the database at ${path} cannot be opened (${error instanceof Error ? error.message : String(error)}). Set DATABASE_PATH to a file in a folder this user can write.`
		);
	}
}
const server = serve({ fetch: createApp({ store, token }).fetch, port, hostname: host }, () => {
	console.log(`Callaro sync server listening on http://${host}:${port} (database: ${described})`);
});
server.on('error', (error: NodeJS.ErrnoException) => {
	fail(
		error.code === 'EADDRINUSE'
			? `${host}:${port} is already in use. Stop the other server or set PORT.`
			: `cannot listen on ${host}:${port} (${error.message}).`
	);
});

const stop = () => {
	server.close();
	// Exits once the database is closed; a failure to close is reported, and the exit is the same.
	store
		.close()
		.catch((error: unknown) => console.error('Closing the database failed:', error))
		.finally(() => process.exit(0));
};
process.on('SIGTERM', stop);
process.on('SIGINT', stop);
