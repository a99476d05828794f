/**
 * The floors the benchmark compares against, measured in the same browser build and worker as the
 * app: reading the file with no processing (decode + record splitting), and the plain-store floor: raw
 * IndexedDB writes, 5,000 contacts per transaction, into a fresh database with one object store
 * keyed by the E.164 phone, an `email` index and a `[lastName+firstName]` index (a complete
 * contacts store: lookup by phone, email and name). Written twice: the very contacts the import
 * stored (the same rows and values), and as many synthetic contacts.
 *
 * The write floors run in a fresh browser profile each: every database of an origin shares one
 * LevelDB in Chromium, so writes next to the import's million contacts (or after a deleted
 * scratch database) are slowed by their compaction — up to 3× in one run here.
 *
 * Only bench.worker.ts imports this module; it is built apart from the app and never ships.
 */
import Dexie from 'dexie';
import { newContact, type Contact } from '$lib/domain/contact';
import { getDb, type CallaroDb } from '$lib/db/database';
import { detectDelimiter, detectEncoding, detectNewline } from '$lib/domain/sniff';
import { readRecords } from '$lib/formats/registry';

/** Reads every record of the file and does nothing else. Returns [records, ms]. */
async function parseFloor(file: Blob): Promise<[number, number]> {
	const head = new Uint8Array(await file.slice(0, 65536).arrayBuffer());
	const { encoding } = detectEncoding(head, file.size <= 65536);
	const text = new TextDecoder(encoding).decode(head);
	const t = performance.now();
	let n = 0;
	for await (const chunk of readRecords(file, {
		encoding,
		delimiter: detectDelimiter(text),
		newline: detectNewline(text)
	})) {
		n += chunk.records.length;
	}
	return [n, performance.now() - t];
}

/** The plain contacts store: keyed by phone, with an email index and a name index. */
const PLAIN_STORE = 'phone, email, [lastName+firstName]';
/** Contacts per transaction in the floors. */
const FLOOR_BATCH = 5000;

function scratchDb(): Dexie {
	const db = new Dexie(`callaro-bench-${Date.now()}`);
	db.version(1).stores({ contacts: PLAIN_STORE });
	return db;
}

async function dropScratch(db: Dexie): Promise<void> {
	db.close();
	await Dexie.delete(db.name);
}

/**
 * One page of the stored contacts in key order, after `after` (the same-rows floor exports the
 * import's contacts in pages, so that a million never sit in memory).
 */
function exportContacts(
	source: CallaroDb,
	after?: string,
	limit = FLOOR_BATCH
): Promise<Contact[]> {
	const range =
		after === undefined
			? source.contacts.orderBy(':id')
			: source.contacts.where(':id').above(after);
	return range.limit(limit).toArray();
}

let scratch: Dexie | undefined;

/**
 * Writes one batch, unchanged, into a scratch database (opened on first use) in one transaction.
 * The benchmark calls it in a fresh browser profile with each page `exportContacts` gave.
 * @returns ms spent in the write
 */
async function writeScratch(batch: Contact[]): Promise<number> {
	scratch ??= scratchDb();
	const t = performance.now();
	await scratch.table('contacts').bulkPut(batch);
	return performance.now() - t;
}

/** Writes `rows` synthetic contacts into the plain store, 5,000 per transaction. */
async function writeFloor(rows: number): Promise<number> {
	const db = scratchDb();
	const t = performance.now();
	for (let start = 0; start < rows; start += FLOOR_BATCH) {
		const batch = [];
		for (let i = start; i < Math.min(rows, start + FLOOR_BATCH); i++) {
			batch.push(
				newContact(
					`+1212${2000000 + i}`,
					{
						firstName: `First${i}`,
						lastName: 'Müller',
						email: `p${i}@example.com`,
						company: `Company ${i % 500}, Inc.`,
						tags: ['vip', `list ${i % 7}`],
						timezone: 'America/New_York',
						custom: { lead_source: 'Web' }
					},
					0,
					'bench'
				)
			);
		}
		await db.table('contacts').bulkPut(batch);
	}
	const ms = performance.now() - t;
	await dropScratch(db);
	return ms;
}

/**
 * A fixed amount of arithmetic, for measuring how much a CPU slowdown really slows a worker.
 * Resolves the ms it took. The page runs `spin` too, for its main thread.
 */
export function spin(loops: number): number {
	const t = performance.now();
	let sum = 0;
	for (let i = 0; i < loops; i++) sum += i % 7;
	// The sum is returned through a condition that never holds, so the loop cannot be dropped.
	return sum < 0 ? sum : performance.now() - t;
}

/**
 * The benchmark worker's API over the app's database (the import's contacts are read from it);
 * the write floors never touch it.
 */
export function createBenchApi(db: CallaroDb = getDb()) {
	return {
		/** Reads every record of the file, no processing. Resolves [records, ms]. */
		parseFloor,
		/** One page of the stored contacts after `after`, in key order. */
		exportContacts(after?: string): Promise<Contact[]> {
			return exportContacts(db, after);
		},
		/** Writes one exported page into the scratch store. Resolves the ms the write took. */
		writeScratch,
		/** Writes `rows` synthetic contacts into a fresh plain store. Resolves the ms it took. */
		writeFloor,
		spin
	};
}

export type BenchApi = ReturnType<typeof createBenchApi>;
