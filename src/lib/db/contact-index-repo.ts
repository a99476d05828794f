/**
 * The index chunks: written by every change to contacts in that change's own transaction, and
 * read back, in commit order, into the worker's in-memory `ContactIndex`.
 *
 * Invariant: every transaction that writes or deletes a contact also appends one chunk describing
 * the change (contacts as written, phones deleted), and includes `contactIndex` in its scope.
 * Because every such transaction writes `contactIndex`, IndexedDB runs them one after another, so
 * the auto-increment `seq` order is the commit order and a reader that has applied every chunk up
 * to `seq` never misses an earlier one.
 */
import type { Contact } from '$lib/domain/contact';
import { ContactIndex } from '$lib/domain/contact-index';
import { encodeChunk } from '$lib/domain/index-chunk';
import type { CallaroDb } from './database';

/** Chunks read per request while catching up (about 2,000 contacts each from an import). */
const READ_PAGE = 40;

/** Appends the chunk for a change (call inside the change's transaction). */
export function appendIndexChunk(
	db: CallaroDb,
	written: readonly Contact[],
	deleted: readonly string[] = []
): Promise<unknown> {
	if (written.length === 0 && deleted.length === 0) return Promise.resolve();
	return db.contactIndex.add(encodeChunk(written, deleted));
}

/**
 * The newest chunk's seq (0 when none): it moves with every committed change to contacts, so a
 * page follows it with a live query and asks the worker again when it moves.
 */
export async function latestIndexSeq(db: CallaroDb): Promise<number> {
	const last = await db.contactIndex.orderBy(':id').lastKey();
	return typeof last === 'number' ? last : 0;
}

/** Writes contacts and their chunk in one transaction (seeding, tests, tools). */
export async function putContacts(db: CallaroDb, contacts: readonly Contact[]): Promise<void> {
	await db.transaction('rw', db.contacts, db.contactIndex, async () => {
		await Promise.all([db.contacts.bulkPut([...contacts]), appendIndexChunk(db, contacts)]);
	});
}

/**
 * One worker's copy of the index, brought up to date before each query. Catch-ups never run two
 * at a time (a second caller waits for the first and then reads what is left).
 */
export class IndexReader {
	private index = new ContactIndex();
	private lastSeq = 0;
	private pending: Promise<ContactIndex> | null = null;

	constructor(private readonly db: CallaroDb) {}

	/** The index with every committed chunk applied. */
	current(): Promise<ContactIndex> {
		// A failed earlier catch-up was reported to its own caller; this one simply tries again.
		const before = (this.pending ?? Promise.resolve()).catch(() => undefined);
		const run = before.then(() => this.catchUp());
		this.pending = run;
		const clear = () => {
			if (this.pending === run) this.pending = null;
		};
		run.then(clear, clear);
		return run;
	}

	private async catchUp(): Promise<ContactIndex> {
		for (;;) {
			const chunks = await this.db.contactIndex
				.where(':id')
				.above(this.lastSeq)
				.limit(READ_PAGE)
				.toArray();
			for (const chunk of chunks) {
				this.index.apply(chunk);
				this.lastSeq = chunk.seq!;
			}
			if (chunks.length < READ_PAGE) return this.index;
		}
	}
}
