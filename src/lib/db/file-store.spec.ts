import 'fake-indexeddb/auto';
import { describe, expect, it } from 'vitest';
import { freshDb } from '$support/test-db';
import type { ByteBlob } from '$lib/io/byte-blob';
import {
	SWEEP_AFTER_MS,
	openFile,
	readWholeFile,
	releaseFile,
	storeFile,
	storedFile,
	sweepFiles
} from './file-store';
import { saveDraft } from './drafts-repo';

const bytes = Uint8Array.from({ length: 10_000 }, (_, i) => (i * 7) % 256);

describe('file store', () => {
	it('stores a file as ArrayBuffer parts and reads it back whole and by range', async () => {
		const db = freshDb();
		const id = await storeFile(db, new File([bytes], 'people.csv', { type: 'text/csv' }), {
			partBytes: 3000
		});
		const parts = await db.fileParts.toArray();
		expect(parts.map((p) => [p.seq, (p.bytes as ArrayBuffer).byteLength])).toEqual([
			[0, 3000],
			[1, 3000],
			[2, 3000],
			[3, 1000]
		]);
		expect(parts.every((p) => p.bytes instanceof ArrayBuffer)).toBe(true);
		const record = (await storedFile(db, id))!;
		expect(record).toMatchObject({ name: 'people.csv', size: 10_000, parts: 4, complete: true });
		const file = (await readWholeFile(db, id))!;
		expect(file.name).toBe('people.csv');
		expect(new Uint8Array(await file.arrayBuffer())).toEqual(bytes);
		const range = openFile(db, record).slice(2990, 6010);
		expect(new Uint8Array(await range.arrayBuffer())).toEqual(bytes.slice(2990, 6010));
	});

	it('a store cut off part-way is never read, says what failed, and leaves nothing behind', async () => {
		const db = freshDb();
		let reads = 0;
		// A file whose third read fails, as a file removed from the disk mid-way would.
		const failing: ByteBlob & { name: string } = {
			name: 'big.csv',
			size: 10_000,
			slice(start = 0, end = 10_000) {
				return {
					size: end - start,
					slice: () => failing,
					arrayBuffer: () =>
						++reads === 3
							? Promise.reject(new Error('The file could not be read.'))
							: Promise.resolve(bytes.slice(start, end).buffer)
				};
			},
			arrayBuffer: () => Promise.resolve(bytes.buffer)
		};
		await expect(storeFile(db, failing, { partBytes: 3000, id: 'f1' })).rejects.toThrow(
			/“big.csv” could not be saved in this browser's storage: The file could not be read/
		);
		expect(await storedFile(db, 'f1')).toBeUndefined();
		expect(await db.fileParts.count()).toBe(0);
	});

	it('sweeps incomplete and unreferenced files once they are old, never one in use', async () => {
		const db = freshDb();
		const now = 10 * SWEEP_AFTER_MS;
		const old = now - SWEEP_AFTER_MS - 1;
		const inDraft = await storeFile(db, new File(['a'], 'a.csv'), { now: old });
		const orphan = await storeFile(db, new File(['b'], 'b.csv'), { now: old });
		const young = await storeFile(db, new File(['c'], 'c.csv'), { now: now - 1000 });
		// A crash between the record and its last part.
		await db.files.add({
			id: 'cut',
			name: 'cut.csv',
			type: '',
			size: 10,
			partBytes: 4,
			parts: 3,
			complete: false,
			createdAt: old
		});
		await db.fileParts.add({ fileId: 'cut', seq: 0, bytes: new ArrayBuffer(4) });
		await saveDraft(db, {
			fileId: inDraft,
			fileName: 'a.csv',
			overrides: {},
			mapping: ['phone'],
			options: { defaultCountry: 'US', existingPolicy: 'update', autoCreate: false },
			fixes: []
		});
		expect(await sweepFiles(db, now)).toBe(2);
		expect((await db.files.toArray()).map((f) => f.id).sort()).toEqual([inDraft, young].sort());
		expect(
			await db.fileParts
				.where('fileId' as never)
				.equals('cut' as never)
				.count()
		).toBe(0);
		expect(await releaseFile(db, inDraft)).toBe(false);
		expect(await storedFile(db, orphan)).toBeUndefined();
	});
});
