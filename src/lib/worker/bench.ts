/**
 * The floors the benchmark compares against, measured in the same browser and worker as the app:
 * reading the file with no processing (decode + papaparse), and raw IndexedDB writes of the same
 * number of contacts with the same object shape and indexes, into a scratch database.
 */
import Dexie from 'dexie';
import { newContact } from '$lib/domain/contact';
import { detectDelimiter, detectEncoding, detectNewline } from '$lib/domain/sniff';
import { SCHEMA_V3 } from '$lib/db/database';
import { readRecords } from '$lib/io/blob-records';

/** Reads every record of the file and does nothing else. Returns [records, ms]. */
export async function parseFloor(file: Blob): Promise<[number, number]> {
	const head = new Uint8Array(await file.slice(0, 65536).arrayBuffer());
	const { encoding } = detectEncoding(head);
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

/** Writes `rows` contacts like the import's (same shape, same indexes, 2,000 per transaction). */
export async function writeFloor(rows: number): Promise<number> {
	const name = `callaro-bench-${Date.now()}`;
	const db = new Dexie(name);
	db.version(1).stores({ contacts: SCHEMA_V3.contacts });
	const t = performance.now();
	for (let start = 0; start < rows; start += 2000) {
		const batch = [];
		for (let i = start; i < Math.min(rows, start + 2000); i++) {
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
	db.close();
	await Dexie.delete(name);
	return ms;
}
