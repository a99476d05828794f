/**
 * Throwaway PostgreSQL clusters and scratch databases, for the server's tests, CI and the sync
 * measure: the one place that starts and stops them.
 *
 * - `startCluster()` runs `initdb` on a fresh temporary folder and starts `postgres` on a free
 *   loopback port (trust authentication: the cluster listens on 127.0.0.1 only and lives as long
 *   as one test run). As root, the binaries run as the `postgres` user (initdb refuses root) and
 *   the folder is handed to that user.
 * - `createDatabase(adminUrl)` makes a database with a random name and returns its URL.
 *
 * As a command (CI): `node --import tsx scripts/pg-cluster.ts start` prints the admin URL and the
 * cluster's folder, one a line; `… stop <folder>` stops that cluster and removes the folder.
 */
import { execFile, execFileSync } from 'node:child_process';
import { chownSync, existsSync, mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { promisify } from 'node:util';
import { randomBytes } from 'node:crypto';
import pg from 'pg';
import { freePort } from './free-port.js';

const run = promisify(execFile);
const asRoot = process.getuid?.() === 0;

/** The newest installed PostgreSQL's bin folder (Debian's layout), or undefined. */
export function findPgBin(): string | undefined {
	const root = '/usr/lib/postgresql';
	if (!existsSync(root)) return undefined;
	const versions = readdirSync(root)
		.filter((v) => existsSync(join(root, v, 'bin', 'initdb')))
		.sort((a, b) => Number(b) - Number(a));
	return versions.length > 0 ? join(root, versions[0], 'bin') : undefined;
}

/** Runs a PostgreSQL binary, as the `postgres` user when we are root. */
async function pgRun(bin: string, tool: string, args: string[]): Promise<void> {
	const [file, argv] = asRoot
		? ['runuser', ['-u', 'postgres', '--', join(bin, tool), ...args]]
		: [join(bin, tool), args];
	await run(file, argv, { timeout: 60_000 });
}

export interface PgCluster {
	/** A superuser URL to the `postgres` database: it may create and drop databases. */
	url: string;
	/** The folder holding the cluster's data, socket and log. */
	dir: string;
	stop(): Promise<void>;
}

/** Stops the cluster in `dir` (immediate: its data is thrown away) and removes the folder. */
export async function stopCluster(dir: string, bin = findPgBin()): Promise<void> {
	if (!bin) throw new Error('PostgreSQL is not installed (no /usr/lib/postgresql/*/bin/initdb).');
	await pgRun(bin, 'pg_ctl', ['-D', join(dir, 'data'), '-m', 'immediate', '-w', 'stop']);
	rmSync(dir, { recursive: true, force: true });
}

/** Starts a throwaway cluster (about 2 s); `stop()` ends it and deletes its folder. */
export async function startCluster(): Promise<PgCluster> {
	const bin = findPgBin();
	if (!bin) throw new Error('PostgreSQL is not installed (no /usr/lib/postgresql/*/bin/initdb).');
	const dir = mkdtempSync(join(tmpdir(), 'callaro-pg-'));
	if (asRoot) {
		const uid = Number(execFileSync('id', ['-u', 'postgres']).toString());
		const gid = Number(execFileSync('id', ['-g', 'postgres']).toString());
		chownSync(dir, uid, gid);
	}
	const port = await freePort();
	const log = join(dir, 'log');
	try {
		// UTF8 whatever this machine's locale: contacts hold any script.
		await pgRun(bin, 'initdb', [
			'-D',
			join(dir, 'data'),
			'-A',
			'trust',
			'-U',
			'postgres',
			'-E',
			'UTF8',
			'--locale=C'
		]);
		await pgRun(bin, 'pg_ctl', [
			'-D',
			join(dir, 'data'),
			'-o',
			`-p ${port} -k ${dir} -c listen_addresses=127.0.0.1`,
			'-l',
			log,
			'-w',
			'start'
		]);
	} catch (error) {
		const tail = existsSync(log) ? readFileSync(log, 'utf8').slice(-2000) : '';
		rmSync(dir, { recursive: true, force: true });
		throw new Error(
			`The throwaway PostgreSQL cluster did not start: ${error instanceof Error ? error.message : String(error)}${tail ? `\n${tail}` : ''}`,
			{ cause: error }
		);
	}
	return {
		url: `postgresql://postgres@127.0.0.1:${port}/postgres`,
		dir,
		stop: () => stopCluster(dir, bin)
	};
}

/** `adminUrl` with another database name. */
export function withDatabase(adminUrl: string, name: string): string {
	const url = new URL(adminUrl);
	url.pathname = `/${name}`;
	return url.toString();
}

/** Creates an empty database with a random name (`prefix_<hex>`) and returns its URL. */
export async function createDatabase(adminUrl: string, prefix = 't'): Promise<string> {
	const name = `${prefix}_${randomBytes(6).toString('hex')}`;
	const admin = new pg.Client({ connectionString: adminUrl });
	await admin.connect();
	try {
		await admin.query(`CREATE DATABASE ${name}`);
	} finally {
		await admin.end();
	}
	return withDatabase(adminUrl, name);
}

/** Drops the database at `url`, closing any session still on it. */
export async function dropDatabase(adminUrl: string, url: string): Promise<void> {
	const name = new URL(url).pathname.slice(1);
	if (!/^[a-z_][a-z0-9_]*$/.test(name)) throw new Error(`Not a scratch database name: ${name}`);
	const admin = new pg.Client({ connectionString: adminUrl });
	await admin.connect();
	try {
		await admin.query(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`);
	} finally {
		await admin.end();
	}
}

if (process.argv[1] && import.meta.url === pathToFileURL(process.argv[1]).href) {
	const [command, dir] = process.argv.slice(2);
	if (command === 'start') {
		const cluster = await startCluster();
		console.log(cluster.url);
		console.log(cluster.dir);
	} else if (command === 'stop' && dir) {
		await stopCluster(dir);
	} else {
		console.error('Usage: node --import tsx scripts/pg-cluster.ts start | stop <folder>');
		process.exit(2);
	}
}
