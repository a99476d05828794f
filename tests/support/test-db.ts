/**
 * Builders for jobs in unit tests .
 */
import type { DBCoreTable } from 'dexie';
import { emptyCounts } from '$lib/domain/counts';
import type { Target } from '$lib/domain/fields';
import { CallaroDb } from '$lib/db/database';
import type { ImportJob, ImportOptions } from '$lib/domain/import-job';
import { createJob } from '$lib/db/jobs-repo';
import { putContacts } from '$lib/db/contact-index-repo';
import { newContact } from '$lib/domain/contact';
import { storeFile } from '$lib/db/file-store';

let n = 0;

/** A fresh database with a unique name (fake-indexeddb keeps them apart). */
export function freshDb(): CallaroDb {
	return new CallaroDb(`test-${Date.now()}-${++n}`);
}

/**
 * A fresh database whose every table operation goes through `intercept(tableName, table)`: a
 * test returns the table with the operations it wants to fail (a full disk, injected faults).
 */
export function interceptedDb(
	intercept: (name: string, table: DBCoreTable) => DBCoreTable
): CallaroDb {
	const db = freshDb();
	db.use({
		stack: 'dbcore',
		name: 'intercept',
		create: (down) => ({ ...down, table: (name) => intercept(name, down.table(name)) })
	});
	return db;
}

/**
 * A fresh database with three contacts: Ada King and Bob Adams from import j1 (both tagged vip),
 * then Cy Lee (+44) from import j2, each write with its index chunk.
 */
export async function threeContacts(): Promise<CallaroDb> {
	const db = freshDb();
	await putContacts(db, [
		newContact(
			'+14155550101',
			{
				firstName: 'Ada',
				lastName: 'King',
				email: 'ada@acme.io',
				company: 'Acme Corp',
				tags: ['VIP']
			},
			1,
			'j1'
		),
		newContact(
			'+14155550102',
			{ firstName: 'Bob', lastName: 'Adams', company: 'Initech', tags: ['vip', 'west'] },
			1,
			'j1'
		)
	]);
	await putContacts(db, [
		newContact('+442079460958', { firstName: 'Cy', lastName: 'Lee' }, 1, 'j2')
	]);
	return db;
}

/**
 * Stores a queued job for `csv` with a header on row 1 and the given mapping. `file` stores other
 * bytes with the same rows (a workbook of the CSV), read as `parse` says.
 */
export async function queueJob(
	db: CallaroDb,
	csv: string,
	mapping: Target[],
	options: Partial<ImportOptions> = {},
	parse: Partial<ImportJob['parse']> = {},
	file: Blob = new Blob([csv])
): Promise<ImportJob> {
	const headers = csv.split(/\r?\n/)[0].split(',');
	const job: ImportJob = {
		id: `job-${++n}`,
		fileName: 'test.csv',
		fileSize: csv.length,
		status: 'queued',
		createdAt: Date.now(),
		updatedAt: Date.now(),
		parse: { encoding: 'utf-8', delimiter: ',', newline: '\n', headerRow: 1, ...parse },
		headers,
		mapping,
		options: { defaultCountry: 'US', existingPolicy: 'update', autoCreate: false, ...options },
		createdFields: [],
		totalRows: 0,
		checkpointRow: 0,
		counts: emptyCounts(),
		rowsPerSecond: 0
	};
	await createJob(db, job, await storeFile(db, file, { partBytes: TEST_PART_BYTES }), []);
	return job;
}

/**
 * Parts of a test's stored file: small, so that reads across part boundaries are what every
 * runner test exercises.
 */
export const TEST_PART_BYTES = 4096;

/** A CSV of `rows` distinct valid US numbers: `phone,first_name`. */
export function numberedCsv(rows: number, start = 0): string {
	const lines = ['phone,first_name'];
	for (let i = start; i < start + rows; i++)
		lines.push(`+1415555${String(1000 + i).padStart(4, '0')},Name ${i}`);
	return lines.join('\n') + '\n';
}
