/**
 * Files kept in the database as bytes, for the wizard's draft and the jobs that import them.
 *
 * A file is written as parts of `PART_BYTES` (ArrayBuffers: every engine stores them, while WebKit
 * refuses Blobs), one part per transaction, so memory while storing holds one part whatever the
 * file's size. Its record is written first, `complete: false`, and marked complete after the last
 * part: a file cut off by a crash is never read, and `sweepFiles` deletes it.
 *
 * Invariant: a file is deleted only when no draft and no job refers to it (`releaseFile`).
 */
import { PART_BYTES, PartsBlob, partsOf, type ByteBlob } from '$lib/io/byte-blob';
import { messageOf } from '$lib/errors';
import { DRAFT_ID, type CallaroDb, type StoredFile } from './database';

/** Files left incomplete or unreferenced for this long are swept (another tab may be storing). */
export const SWEEP_AFTER_MS = 60 * 60 * 1000;

/**
 * Stores `file` and returns its id. A failure names what could not be saved; what was written
 * of it is deleted (or, if even that fails, swept later).
 */
export async function storeFile(
	db: CallaroDb,
	file: ByteBlob & { name?: string; type?: string },
	options: { id?: string; now?: number; partBytes?: number } = {}
): Promise<string> {
	const id = options.id ?? crypto.randomUUID();
	const partBytes = options.partBytes ?? PART_BYTES;
	const parts = Math.ceil(file.size / partBytes);
	const record: StoredFile = {
		id,
		name: file.name ?? 'file',
		type: file.type ?? '',
		size: file.size,
		partBytes,
		parts,
		complete: false,
		createdAt: options.now ?? Date.now()
	};
	try {
		await db.files.add(record);
		let seq = 0;
		for await (const bytes of partsOf(file, partBytes)) {
			await db.fileParts.put({ fileId: id, seq: seq++, bytes });
		}
		await db.files.update(id, { complete: true });
		return id;
	} catch (error) {
		await deleteFile(db, id).catch(() => {
			// Safe to leave: an incomplete file is never read, and sweepFiles deletes it later.
		});
		throw new Error(
			`The file “${record.name}” could not be saved in this browser's storage: ${messageOf(error)}`,
			{ cause: error }
		);
	}
}

/** The stored file's record, when it is stored whole. */
export async function storedFile(db: CallaroDb, id: string): Promise<StoredFile | undefined> {
	const record = await db.files.get(id);
	return record?.complete ? record : undefined;
}

/** Reads a stored file back by range (a job's runner reads it this way, part by part). */
export function openFile(db: CallaroDb, record: StoredFile): ByteBlob {
	return new PartsBlob(
		async (seq) => (await db.fileParts.get([record.id, seq]))?.bytes,
		record.size,
		record.partBytes
	);
}

/** The job's file, or undefined when it is no longer stored. */
export async function openJobFile(db: CallaroDb, jobId: string): Promise<ByteBlob | undefined> {
	const link = await db.jobFiles.get(jobId);
	const record = link && (await storedFile(db, link.fileId));
	return record && openFile(db, record);
}

/**
 * The whole stored file as a `File`, for the page (a restored draft is previewed and reviewed
 * like a picked file). Parts are read one at a time; the `File` holds them.
 */
export async function readWholeFile(db: CallaroDb, id: string): Promise<File | undefined> {
	const record = await storedFile(db, id);
	if (!record) return undefined;
	const parts: BlobPart[] = [];
	for (let seq = 0; seq < record.parts; seq++) {
		const part = await db.fileParts.get([id, seq]);
		if (!part) return undefined;
		parts.push(part.bytes);
	}
	return new File(parts, record.name, { type: record.type });
}

/** Deletes the file unless a draft or a job still refers to it. */
export async function releaseFile(db: CallaroDb, id: string): Promise<boolean> {
	return db.transaction('rw', [db.files, db.fileParts, db.jobFiles, db.drafts], async () => {
		if ((await db.drafts.get(DRAFT_ID))?.fileId === id) return false;
		if ((await db.jobFiles.where('fileId').equals(id).count()) > 0) return false;
		await deleteFile(db, id);
		return true;
	});
}

async function deleteFile(db: CallaroDb, id: string): Promise<void> {
	await db.transaction('rw', [db.files, db.fileParts], async () => {
		await db.fileParts.where('[fileId+seq]').between([id, 0], [id, Infinity]).delete();
		await db.files.delete(id);
	});
}

/**
 * Deletes files that no draft or job refers to and that are older than `SWEEP_AFTER_MS` (a file
 * being stored by another tab is younger). Returns how many were deleted.
 */
export async function sweepFiles(db: CallaroDb, now = Date.now()): Promise<number> {
	const old = await db.files.toArray();
	let deleted = 0;
	for (const record of old) {
		if (now - record.createdAt < SWEEP_AFTER_MS) continue;
		if (await releaseFile(db, record.id)) deleted++;
	}
	return deleted;
}
