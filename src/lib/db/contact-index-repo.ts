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
import { ContactIndex, type PhoneKindOf } from '$lib/domain/contact-index';
import { encodeChunk } from '$lib/domain/index-chunk';
import type { PhoneKind } from '$lib/domain/phone-kind';
import type { CallaroDb } from './database';

/** Chunks read per request while catching up (about 2,000 contacts each from an import). */
const READ_PAGE = 40;
/** Contacts per chunk written by a compaction. */
const COMPACT_CHUNK = 5000;
/** How long after a failed compaction the next one may start. */
const COMPACT_RETRY_MS = 10 * 60_000;

/**
 * Whether the index is worth compacting: more dead rows (earlier versions of updated contacts,
 * deleted ones) than live ones, or many small chunks (one per edit).
 */
export function needsCompaction(index: ContactIndex): boolean {
	const dead = index.rows - index.size;
	return dead > Math.max(20_000, index.size) || index.chunkCount > 2000 + index.size / 1000;
}

/** A failure handled elsewhere (reported to the caller that awaited the same promise). */
const ignore = () => undefined;

/**
 * Appends the chunk for a change (call inside the change's transaction).
 * @param kinds the written contacts' phone kinds, when the writer has them (an import)
 */
export function appendIndexChunk(
	db: CallaroDb,
	written: readonly Contact[],
	deleted: readonly string[] = [],
	kinds?: readonly PhoneKind[]
): Promise<unknown> {
	if (written.length === 0 && deleted.length === 0) return Promise.resolve();
	return db.contactIndex.add(encodeChunk(written, deleted, kinds));
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
	/** Loaded on the first chunk without stored phone kinds (see PhoneKindOf), then kept. */
	private kindOf?: PhoneKindOf;
	private lastSeq = 0;
	private pending: Promise<unknown> | null = null;
	private compacting = false;
	/** After a failed compaction (storage full, say), none is tried again before this time. */
	private compactNotBefore = 0;
	/** Whether a catch-up from nothing (a worker's first read, at a million contacts a second or more) is under way. */
	private coldRead = false;
	/** Called after each page the catch-up under way applies, and when it ends. */
	private pageWaiters: (() => void)[] = [];

	constructor(private readonly db: CallaroDb) {}

	/**
	 * Whether the index is being read from nothing now. Meanwhile `partial` holds the chunks
	 * read so far: a prefix in commit order, so a contact in it may have a newer version, or be
	 * deleted, in a chunk not read yet.
	 */
	get reading(): boolean {
		return this.coldRead;
	}

	/** The index as far as it has been read (see `reading`); never a half-applied chunk. */
	get partial(): ContactIndex {
		return this.index;
	}

	/** Resolves after the read under way applies its next page of chunks, or ends; at once without one. */
	nextPage(): Promise<void> {
		if (!this.coldRead) return Promise.resolve();
		return new Promise((resolve) => this.pageWaiters.push(resolve));
	}

	private pageApplied(): void {
		const waiting = this.pageWaiters;
		this.pageWaiters = [];
		for (const resolve of waiting) resolve();
	}

	/**
	 * The seq of the last chunk the index holds. Read it right after `current()` resolves, with no
	 * await between: the next catch-up applies chunks only after a database read.
	 */
	get seq(): number {
		return this.lastSeq;
	}

	/**
	 * The index with every committed chunk applied. When it has grown wasteful, a compaction is
	 * queued behind this answer (later callers wait for it).
	 */
	current(): Promise<ContactIndex> {
		// Reading from nothing from now on, though the read may wait behind another task.
		if (this.lastSeq === 0) this.coldRead = true;
		const run = this.enqueue(() => this.catchUp());
		void run.then((index) => {
			if (this.compacting || Date.now() < this.compactNotBefore || !needsCompaction(index)) return;
			this.compacting = true;
			void this.enqueue(async () => {
				try {
					// Checked again: an earlier queued compaction may have done the work.
					await this.catchUp();
					if (needsCompaction(this.index)) await this.compact();
				} catch {
					// The index stays as it was (still exact, only larger): try again later.
					this.compactNotBefore = Date.now() + COMPACT_RETRY_MS;
				} finally {
					this.compacting = false;
				}
			});
		}, ignore);
		return run;
	}

	private enqueue<T>(task: () => Promise<T>): Promise<T> {
		// A failed earlier task was reported to its own caller; this one simply runs.
		const before = (this.pending ?? Promise.resolve()).catch(ignore);
		const run = before.then(task);
		this.pending = run;
		const clear = () => {
			if (this.pending === run) this.pending = null;
		};
		run.then(clear, clear);
		return run;
	}

	/**
	 * Rewrites the index as chunks of the live rows only, in one transaction: catch up, write the
	 * new chunks (the first marked `reset`), delete every older one. Another reader that reaches
	 * the reset chunk starts over, so it never keeps a row a deleted chunk had removed.
	 */
	async compact(): Promise<ContactIndex> {
		const { db } = this;
		// Loaded before the transaction, which must not await anything but the database: the
		// catch-up inside may meet a chunk without stored kinds, and the new chunks carry them.
		this.kindOf ??= (await import('$lib/domain/phone-kind')).phoneKindOf;
		this.index.useKindOf(this.kindOf);
		const fresh = new ContactIndex(this.kindOf);
		let lastSeq = 0;
		await db.transaction('rw', db.contactIndex, async () => {
			await this.catchUp();
			const upTo = this.lastSeq;
			let first = true;
			for (const chunk of this.index.liveChunks(COMPACT_CHUNK)) {
				const stored = first ? { ...chunk, reset: true as const } : chunk;
				lastSeq = (await db.contactIndex.add(stored)) as number;
				fresh.apply(stored);
				first = false;
			}
			if (first) {
				const empty = { n: 0, cols: { phone: '\n' }, reset: true as const };
				lastSeq = (await db.contactIndex.add(empty)) as number;
				fresh.apply(empty);
			}
			await db.contactIndex.where(':id').belowOrEqual(upTo).delete();
		});
		this.index = fresh;
		this.lastSeq = lastSeq;
		return fresh;
	}

	private async catchUp(): Promise<ContactIndex> {
		// The database was deleted and made again (site data cleared) while this worker lived:
		// its keys start over below ours, so the index does too.
		if (this.lastSeq > 0 && (await latestIndexSeq(this.db)) < this.lastSeq) {
			this.index = new ContactIndex(this.kindOf);
			this.lastSeq = 0;
		}
		if (this.lastSeq === 0) this.coldRead = true;
		try {
			return await this.readChunks();
		} finally {
			this.coldRead = false;
			this.pageApplied();
		}
	}

	private async readChunks(): Promise<ContactIndex> {
		// Read and apply times are recorded as performance measures (`index read`, `index apply`),
		// so that DevTools and the benchmark can tell where a cold start's time goes.
		const start = performance.now();
		let readMs = 0;
		let applyMs = 0;
		let count = 0;
		const page = (after: number) =>
			this.db.contactIndex.where(':id').above(after).limit(READ_PAGE).toArray();
		// The next page is read while this one is applied: the database reads on the browser's own
		// threads, so the two overlap (about a third off a million contacts' cold read).
		let reading = page(this.lastSeq);
		for (;;) {
			const t0 = performance.now();
			const chunks = await reading;
			const t1 = performance.now();
			const more = chunks.length === READ_PAGE;
			if (more) reading = page(chunks[chunks.length - 1].seq!);
			for (const chunk of chunks) {
				if (this.index.needsKindOf(chunk)) {
					this.kindOf ??= (await import('$lib/domain/phone-kind')).phoneKindOf;
					this.index.useKindOf(this.kindOf);
				}
				this.index.apply(chunk);
				this.lastSeq = chunk.seq!;
			}
			readMs += t1 - t0;
			applyMs += performance.now() - t1;
			count += chunks.length;
			if (!more) break;
			this.pageApplied();
		}
		if (count > 0) {
			performance.measure(`index read (${count} chunks)`, { start, duration: readMs });
			performance.measure('index apply', { start, duration: applyMs });
		}
		return this.index;
	}
}
