/**
 * The store procedures over an in-memory database that logs each primitive call: what a batch
 * reads and writes (and what it leaves alone), the numbers it takes, the feed's paging, and that
 * a synchronous and an asynchronous database get the same answers. The stores' SQL is covered by
 * app.spec.ts on each store.
 */
import { describe, expect, it } from 'vitest';
import type { ContactBatch, SyncContact } from '../src/lib/protocol/sync';
import { runAsync, runSync, step, type Steps } from './steps';
import { KEY_REUSED } from './store';
import {
	applyBatchSteps,
	listChangesSteps,
	type BatchPrimitives,
	type ContactRow,
	type FeedPrimitives,
	type StoredReplay,
	type TombstoneRow
} from './store-procedure';

/** The memory database's feed id. */
const FEED = 'feed-of-the-memory-database';

/** A database in maps, and the log of the primitives called on it (name and first argument). */
function memoryDatabase() {
	const contacts = new Map<string, ContactRow>();
	const tombstones = new Map<string, TombstoneRow>();
	const replays = new Map<string, StoredReplay>();
	let seq = 0;
	const horizon = { seq: 0, before: 0, gen: 0 };
	const log: [string, unknown][] = [];
	const logged = <F extends (...args: never[]) => unknown>(name: string, f: F): F =>
		((...args: Parameters<F>) => {
			log.push([name, args[0]]);
			return f(...args);
		}) as F;
	const primitives: BatchPrimitives & FeedPrimitives = {
		findReplay: logged('findReplay', (key: string) => replays.get(key)),
		readVersions: logged('readVersions', (phones: string[]) =>
			phones.flatMap((phone) => [
				...(contacts.has(phone) ? [{ kind: 'contact' as const, ...contacts.get(phone)! }] : []),
				...(tombstones.has(phone)
					? [{ kind: 'tombstone' as const, ...tombstones.get(phone)! }]
					: [])
			])
		),
		takeSeqs: logged('takeSeqs', (count: number) => (seq += count)),
		upsertContacts: logged('upsertContacts', (rows: ContactRow[]) => {
			for (const row of rows) contacts.set(row.phone, row);
		}),
		deleteContacts: logged('deleteContacts', (phones: string[]) => {
			for (const phone of phones) contacts.delete(phone);
		}),
		upsertTombstones: logged('upsertTombstones', (rows: TombstoneRow[]) => {
			for (const row of rows) tombstones.set(row.phone, row);
		}),
		deleteTombstones: logged('deleteTombstones', (phones: string[]) => {
			for (const phone of phones) tombstones.delete(phone);
		}),
		saveReplay: logged('saveReplay', (key: string, replay: StoredReplay) => {
			replays.set(key, replay);
		}),
		readHorizon: logged('readHorizon', () => horizon),
		readFeed: logged('readFeed', () => ({ feedId: FEED, horizon })),
		readChangesAfter: logged('readChangesAfter', (after: number, limit: number) =>
			[
				...[...contacts.values()].map((c) => ({ ...c })),
				...[...tombstones.values()].map((t) => ({ ...t, data: null }))
			]
				.filter((row) => row.seq > after)
				.sort((a, b) => a.seq - b.seq)
				.slice(0, limit)
				.map(({ seq, phone, data, version_at, device_id }) => ({
					seq,
					phone,
					data,
					version_at,
					device_id
				}))
		),
		countChangesAfter: logged(
			'countChangesAfter',
			(after: number) =>
				[...contacts.values(), ...tombstones.values()].filter((row) => row.seq > after).length
		)
	};
	/** The same database answering every call with a promise. */
	const asynchronous = Object.fromEntries(
		Object.entries(primitives).map(([name, f]) => [
			name,
			(...args: unknown[]) => Promise.resolve((f as (...a: unknown[]) => unknown)(...args))
		])
	) as unknown as BatchPrimitives & FeedPrimitives;
	return { primitives, asynchronous, log, contacts, tombstones, replays };
}

const contact = (phone: string, updatedAt: number): { contact: SyncContact } => ({
	contact: { phone, firstName: 'F', tags: [], custom: {}, updatedAt }
});
const batch = (deletes: ContactBatch['deletes'] = []): ContactBatch => ({
	batchId: 'b',
	importId: 'i',
	deviceId: 'd',
	contacts: [],
	deletes
});
const A = '+1001';
const B = '+1002';
const D = '+1004';

describe('applyBatchSteps', () => {
	it('writes each phone it changes once, numbered in plan order, with the answer', () => {
		const db = memoryDatabase();
		const answer = runSync(
			applyBatchSteps(
				db.primitives,
				'k',
				'h',
				batch([
					{ phone: B, deletedAt: 5 },
					{ phone: D, deletedAt: 5 }
				]),
				[contact(A, 1), contact(B, 2), contact(A, 3)],
				[]
			)
		);
		const ack = { batchId: 'b', importId: 'i', accepted: 3, refused: [], stale: 0, deleted: 1 };
		expect(answer).toEqual({ status: 200, body: ack, replayed: false });
		expect(db.log.map(([name]) => name)).toEqual([
			'findReplay',
			'readVersions',
			// D has nothing held: the horizon decides whether its delete is written.
			'readHorizon',
			'takeSeqs',
			'upsertContacts',
			'deleteTombstones',
			'deleteContacts',
			'upsertTombstones',
			'saveReplay'
		]);
		expect(Object.fromEntries(db.log)).toMatchObject({
			readVersions: [A, B, D],
			takeSeqs: 3,
			deleteTombstones: [A],
			deleteContacts: [B, D]
		});
		expect([...db.contacts.values()]).toEqual([
			{
				phone: A,
				data: JSON.stringify(contact(A, 3).contact),
				version_at: 3,
				device_id: 'd',
				seq: 1
			}
		]);
		expect([...db.tombstones.values()]).toEqual([
			{ phone: B, version_at: 5, device_id: 'd', seq: 2 },
			{ phone: D, version_at: 5, device_id: 'd', seq: 3 }
		]);
		expect(db.replays.get('k')).toEqual({ hash: 'h', status: 200, body: JSON.stringify(ack) });
	});

	it('replays a stored answer, or refuses another request under its key, and touches nothing', () => {
		const db = memoryDatabase();
		runSync(applyBatchSteps(db.primitives, 'k', 'h', batch(), [contact(A, 1)], []));
		db.log.length = 0;
		const again = runSync(applyBatchSteps(db.primitives, 'k', 'h', batch(), [contact(B, 9)], []));
		expect(again).toMatchObject({ status: 200, replayed: true, body: { accepted: 1 } });
		expect(runSync(applyBatchSteps(db.primitives, 'k', 'other', batch(), [], []))).toBe(KEY_REUSED);
		expect(db.log).toEqual([
			['findReplay', 'k'],
			['findReplay', 'k']
		]);
		expect([...db.contacts.keys()]).toEqual([A]);
	});

	it('takes no numbers and writes only its answer when every write is stale', () => {
		const db = memoryDatabase();
		runSync(applyBatchSteps(db.primitives, 'k1', 'h', batch([{ phone: B, deletedAt: 5 }]), [], []));
		db.log.length = 0;
		const answer = runSync(applyBatchSteps(db.primitives, 'k2', 'h', batch(), [contact(B, 4)], []));
		expect(answer.body).toMatchObject({ accepted: 0, stale: 1 });
		expect(db.log.map(([name]) => name)).toEqual(['findReplay', 'readVersions', 'saveReplay']);
	});

	it('answers the same on an asynchronous database', async () => {
		const run = async (sync: boolean) => {
			const db = memoryDatabase();
			const tx = sync ? db.primitives : db.asynchronous;
			const drive = <T>(steps: Steps<T>) => (sync ? runSync(steps) : runAsync(steps));
			const answers = [
				await drive(
					applyBatchSteps(tx, 'k1', 'h', batch([{ phone: B, deletedAt: 2 }]), [contact(A, 1)], [])
				),
				await drive(applyBatchSteps(tx, 'k2', 'h', batch(), [contact(B, 1), contact(D, 3)], [])),
				await drive(applyBatchSteps(tx, 'k1', 'h', batch(), [], []))
			];
			return { answers, feed: await drive(listChangesSteps(tx, 0, 10, true)), log: db.log };
		};
		expect(await run(false)).toEqual(await run(true));
	});
});

describe('listChangesSteps', () => {
	const filled = () => {
		const db = memoryDatabase();
		runSync(
			applyBatchSteps(
				db.primitives,
				'k',
				'h',
				batch([{ phone: D, deletedAt: 1 }]),
				[contact(A, 1), contact(B, 1)],
				[]
			)
		);
		db.log.length = 0;
		return db;
	};

	it('reads one row past the page to say whether more follow, and counts after the page', () => {
		const db = filled();
		const page = runSync(listChangesSteps(db.primitives, 0, 2, true));
		expect(page).toEqual({
			feedId: FEED,
			horizon: { seq: 0, before: 0, gen: 0 },
			changes: [
				{ seq: 1, op: 'upsert', phone: A, at: 1, deviceId: 'd', contact: contact(A, 1).contact },
				{ seq: 2, op: 'upsert', phone: B, at: 1, deviceId: 'd', contact: contact(B, 1).contact }
			],
			more: true,
			remaining: 1
		});
		expect(db.log).toEqual([
			['readFeed', undefined],
			['readChangesAfter', 0],
			['countChangesAfter', 2]
		]);
		expect(runSync(listChangesSteps(db.primitives, 2, 2, false))).toEqual({
			feedId: FEED,
			horizon: { seq: 0, before: 0, gen: 0 },
			changes: [{ seq: 3, op: 'delete', phone: D, at: 1, deviceId: 'd' }],
			more: false
		});
	});

	it('counts from the cursor when the page is empty, and not at all unless asked', () => {
		const db = filled();
		expect(runSync(listChangesSteps(db.primitives, 3, 5, true))).toEqual({
			feedId: FEED,
			horizon: { seq: 0, before: 0, gen: 0 },
			changes: [],
			more: false,
			remaining: 0
		});
		expect(db.log).toEqual([
			['readFeed', undefined],
			['readChangesAfter', 3],
			['countChangesAfter', 3]
		]);
	});
});

describe('steps', () => {
	it('throws a rejection into the procedure where the call was made', async () => {
		function* procedure(): Steps<string> {
			try {
				yield* step(Promise.reject(new Error('lost')));
				return 'no';
			} catch (error) {
				return `caught ${(error as Error).message}`;
			}
		}
		expect(await runAsync(procedure())).toBe('caught lost');
	});

	it('refuses a promise in a synchronous run', () => {
		function* procedure(): Steps<number> {
			return yield* step(Promise.resolve(1));
		}
		expect(() => runSync(procedure())).toThrow(/synchronous procedure was handed a promise/);
	});
});
