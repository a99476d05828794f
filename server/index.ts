/**
 * Starts the reference sync backend: `npm run server`.
 * Environment:
 * - PORT (default 8787);
 * - HOST, the address to listen on (default 127.0.0.1: this machine only; 0.0.0.0 for every
 *   interface, behind a TLS proxy, since browsers reach other machines only over https);
 * - SYNC_TOKEN, the token of the default workspace's owner (generated and printed when unset;
 *   never printed when set). The default workspace is where a database from before workspaces
 *   keeps its data. Each start makes this the one token of that owner (member `sync-token`), so
 *   a changed SYNC_TOKEN replaces the old one; processes sharing a database need the same one;
 * - ADMIN_TOKEN, the operator's token for `POST /v1/workspaces` (create a workspace and get its
 *   owner's token). Unset: that route answers 404;
 * - RATE_LIMIT, requests per second per token (default 50; `0` for no limit), and
 *   RATE_LIMIT_BURST, requests at once (default twice RATE_LIMIT). Past it: 429 with Retry-After.
 *   The buckets are in each process's memory;
 * - DATABASE_URL, a postgres:// (or postgresql://) URL: the PostgreSQL store, whose schema is
 *   migrated at start; several processes may share one database. When unset, SQLite:
 * - DATABASE_PATH (default ./data/sync.db; created 0600);
 * - HEARTBEAT_SECONDS, how often the live channel (`GET /v1/events`, live.ts) sends a heartbeat
 *   on an idle stream (default 15): below the idle timeout of every proxy in front of it.
 * - TOMBSTONE_DAYS (default 90): how long deletes are kept. Tombstones older than that are
 *   removed at start and hourly, and each workspace's horizon moves with them (store.ts, bounded
 *   history): a device whose cursor is older gets 410 and reads everything again.
 * No token, nor the database password, is ever printed, except a token made here (the generated
 * SYNC_TOKEN, a new workspace's owner token), once.
 *
 * Command: `npm run server -- workspace create NAME` creates workspace NAME in the database above
 * (DATABASE_URL, else DATABASE_PATH), prints `workspaceId: …` and `ownerToken: …` (the token is
 * shown this once: only its hash is stored) and exits without serving. The owner then adds
 * members with `POST /v1/members`.
 *
 * Command: `npm run server -- compact` removes the tombstones older than TOMBSTONE_DAYS in every
 * workspace of that database now, prints what it removed and exits (a running server does the
 * same hourly; running both at once is safe).
 */
import { serve } from '@hono/node-server';
import { randomBytes } from 'node:crypto';
import { resolve } from 'node:path';
import { createApp, MAX_NAME_LENGTH, parseName } from './app';
import { parseTombstoneDays, startCompaction } from './compaction';
import {
	createLocalSignal,
	DEFAULT_HEARTBEAT_MS,
	LiveHub,
	openPgSignal,
	type FeedSignal
} from './live';
import { openPgStore } from './pg-store';
import { DEFAULT_RATE_LIMIT, type RateLimit } from './rate-limit';
import { openSqliteStore } from './sqlite-store';
import { DEFAULT_TOMBSTONE_DAYS, type Store } from './store';
import { hashToken, newToken } from './tokens';

const [command, subcommand, ...rest] = process.argv.slice(2);
const creating = command === 'workspace';
const compacting = command === 'compact';
const USAGE = 'Usage: npm run server -- workspace create NAME | compact';

/** Stops the process with one clear line (no stack trace): what is wrong and what to do. */
function fail(message: string): never {
	const doing = creating
		? 'cannot create the workspace'
		: compacting
			? 'cannot compact'
			: 'cannot start';
	console.error(`Callaro sync server ${doing}: ${message}`);
	process.exit(1);
}

if (
	command !== undefined &&
	!(creating && subcommand === 'create') &&
	!(compacting && subcommand === undefined)
) {
	console.error(USAGE);
	process.exit(2);
}
const workspaceName = creating ? parseName(rest.join(' ')) : undefined;
if (creating && !workspaceName) {
	console.error(`${USAGE}\nNAME must be 1 to ${MAX_NAME_LENGTH} characters.`);
	process.exit(2);
}

const tombstoneDays = parseTombstoneDays(process.env.TOMBSTONE_DAYS, DEFAULT_TOMBSTONE_DAYS);
if (typeof tombstoneDays === 'string') fail(tombstoneDays);

const port = Number(process.env.PORT ?? 8787);
if (!creating && !compacting && (!Number.isInteger(port) || port < 0 || port > 65535))
	fail(`PORT must be a port number (0–65535), not “${process.env.PORT}”.`);
const host = process.env.HOST ?? '127.0.0.1';
const databaseUrl = process.env.DATABASE_URL ?? '';
const adminToken = process.env.ADMIN_TOKEN || undefined;

/** RATE_LIMIT and RATE_LIMIT_BURST as a limit, or false for none. */
function rateLimitOf(env: NodeJS.ProcessEnv): RateLimit | false {
	const perSecond = Number(env.RATE_LIMIT ?? DEFAULT_RATE_LIMIT.perSecond);
	if (!Number.isFinite(perSecond) || perSecond < 0)
		fail(
			`RATE_LIMIT must be requests per second (a number, 0 for no limit), not “${env.RATE_LIMIT}”.`
		);
	if (perSecond === 0) return false;
	const burst = Number(
		env.RATE_LIMIT_BURST ??
			(env.RATE_LIMIT === undefined ? DEFAULT_RATE_LIMIT.burst : Math.max(1, 2 * perSecond))
	);
	if (!Number.isFinite(burst) || burst < 1)
		fail(
			`RATE_LIMIT_BURST must be a number of requests (1 or more), not “${env.RATE_LIMIT_BURST}”.`
		);
	return { perSecond, burst };
}
const rateLimit = creating || compacting ? false : rateLimitOf(process.env);
const heartbeatSeconds = Number(process.env.HEARTBEAT_SECONDS ?? DEFAULT_HEARTBEAT_MS / 1000);
if (!creating && !compacting && !(Number.isFinite(heartbeatSeconds) && heartbeatSeconds >= 1))
	fail(
		`HEARTBEAT_SECONDS must be a number of seconds (1 or more), not “${process.env.HEARTBEAT_SECONDS}”.`
	);

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
		store = await openPgStore(databaseUrl, { tombstoneDays });
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
		store = openSqliteStore(path, { tombstoneDays });
	} catch (error) {
		fail(
			`the database at ${path} cannot be opened (${error instanceof Error ? error.message : String(error)}). Set DATABASE_PATH to a file in a folder this user can write.`
		);
	}
}
if (creating) {
	const ownerToken = newToken();
	let created: Awaited<ReturnType<Store['createWorkspace']>>;
	try {
		created = await store.createWorkspace(workspaceName!, hashToken(ownerToken));
	} catch (error) {
		await store.close().catch(() => undefined);
		fail(`${reasonOf(error)} (database: ${described}).`);
	}
	console.log(`Workspace “${created.name}” created (database: ${described}).`);
	console.log(`workspaceId: ${created.workspaceId}`);
	console.log(`ownerToken: ${ownerToken}`);
	console.log('The owner token is shown only this once: the server keeps only its hash.');
	await store.close();
	process.exit(0);
}

if (compacting) {
	try {
		const report = await store.compact();
		console.log(
			`Compacted ${described}: ${report.removed} tombstones older than ${tombstoneDays} days (before ${new Date(report.cutoff).toISOString()}) removed from ${report.workspaces} workspaces in ${Math.round(report.ms)} ms.`
		);
	} catch (error) {
		// The compaction's error is the one reported; a failure to close as well changes nothing.
		await store.close().catch(() => undefined);
		fail(`${reasonOf(error)} (database: ${described}).`);
	}
	await store.close();
	process.exit(0);
}

let token = process.env.SYNC_TOKEN ?? '';
if (!token) {
	token = randomBytes(18).toString('base64url');
	console.log(`SYNC_TOKEN was not set; this run's API token is: ${token}`);
}
try {
	await store.setSyncTokenHash(hashToken(token));
} catch (error) {
	const code = (error as { code?: string }).code ?? '';
	fail(
		code === '23505' || code.startsWith('SQLITE_CONSTRAINT')
			? 'SYNC_TOKEN is already the token of a member of a workspace. Set another SYNC_TOKEN.'
			: `SYNC_TOKEN cannot be stored (${reasonOf(error)}).`
	);
}

// Streams in this process hear of every process's batches: over PostgreSQL, through LISTEN/NOTIFY.
let signal: FeedSignal;
try {
	signal = databaseUrl
		? await openPgSignal(databaseUrl, (error) =>
				console.error(`The live channel's database connection failed: ${reasonOf(error)}`)
			)
		: createLocalSignal();
} catch (error) {
	fail(`the live channel cannot listen on the database (${reasonOf(error)}).`);
}
const live = new LiveHub(signal, heartbeatSeconds * 1000);
const app = createApp({ store, token, adminToken, rateLimit, live });
const server = serve({ fetch: app.fetch, port, hostname: host }, () => {
	console.log(`Callaro sync server listening on http://${host}:${port} (database: ${described})`);
});
server.on('error', (error: NodeJS.ErrnoException) => {
	fail(
		error.code === 'EADDRINUSE'
			? `${host}:${port} is already in use. Stop the other server or set PORT.`
			: `cannot listen on ${host}:${port} (${error.message}).`
	);
});

const stopCompaction = startCompaction(store, {
	onRun: (report) => {
		if (report.removed > 0)
			console.log(
				`Removed ${report.removed} tombstones older than ${tombstoneDays} days in ${Math.round(report.ms)} ms.`
			);
	},
	onError: (error) =>
		console.error(`Compaction failed (it runs again within the hour): ${reasonOf(error)}`)
});

const stop = () => {
	// Open live streams would hold the server open: they end first, and devices reconnect.
	live.close();
	server.close();
	(server as { closeAllConnections?: () => void }).closeAllConnections?.();
	// Exits once a compaction in progress has ended and the database is closed; a failure to close
	// is reported, and the exit is the same.
	stopCompaction()
		.then(() => Promise.all([store.close(), signal.close()]))
		.catch((error: unknown) => console.error('Closing the database failed:', error))
		.finally(() => process.exit(0));
};
process.on('SIGTERM', stop);
process.on('SIGINT', stop);
