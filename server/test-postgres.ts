/**
 * PostgreSQL for the server's tests. As vitest's global setup (the `unit` project), it provides
 * an admin URL the specs create their databases from:
 * - TEST_DATABASE_URL when set (a cluster where the tests may CREATE DATABASE);
 * - else a throwaway cluster (scripts/pg-cluster.ts) when PostgreSQL is installed, stopped after
 *   the run;
 * - else nothing: the PostgreSQL half of the server suite does not run, and this says so.
 * The specs read it with `pgAdminUrl()` and make a fresh database with `scratchDatabase()`.
 */
import { inject } from 'vitest';
import type { TestProject } from 'vitest/node';
import { createDatabase, dropDatabase, findPgBin, startCluster } from '../scripts/pg-cluster';

declare module 'vitest' {
	export interface ProvidedContext {
		/** The admin URL of the tests' PostgreSQL, or '' when there is none. */
		pgAdminUrl: string;
	}
}

export default async function setup(project: TestProject): Promise<(() => Promise<void>) | void> {
	const given = process.env.TEST_DATABASE_URL ?? '';
	if (given) {
		project.provide('pgAdminUrl', given);
		return;
	}
	if (!findPgBin()) {
		console.warn(
			'PostgreSQL not found: the server suite runs on SQLite only; set TEST_DATABASE_URL or install postgresql.'
		);
		project.provide('pgAdminUrl', '');
		return;
	}
	const cluster = await startCluster();
	project.provide('pgAdminUrl', cluster.url);
	return () => cluster.stop();
}

/** The tests' PostgreSQL admin URL, or '' when the PostgreSQL half does not run. */
export function pgAdminUrl(): string {
	return inject('pgAdminUrl');
}

/** A new empty database on the tests' cluster: its URL, and `drop` to remove it after the test. */
export async function scratchDatabase(): Promise<{ url: string; drop: () => Promise<void> }> {
	const admin = pgAdminUrl();
	if (!admin) throw new Error('No PostgreSQL for the tests (see server/test-postgres.ts).');
	const url = await createDatabase(admin);
	return { url, drop: () => dropDatabase(admin, url) };
}
