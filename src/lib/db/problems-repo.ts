/**
 * The review's problem rows, stored in chunks: one record holds up to 1,000 problems of one
 * stream — every problem in file order (stream `''`), and each kind on its own (stream
 * `invalid_email`...), so that a filtered page is one `get` at any depth.
 *
 * Why chunks: one record per problem costs a write and two index entries each; a file where every
 * row warns (a bad timezone column) wrote 50,000 records in 3.5 s per 100,000 rows. Chunks make
 * that ~100 writes. Each chunk knows where it starts in its stream, so the last chunk gives the
 * stream's total, even while the review is still writing.
 */
import Dexie from 'dexie';
import { detachString } from '$lib/domain/text';
import type { IssueKind } from '$lib/domain/row-rules';
import type { CallaroDb, ProblemChunk } from './database';
import type { ReviewProblem } from '$lib/domain/import-job';

export const PROBLEM_CHUNK = 1000;
/** Full chunks kept before they are written together. */
const WRITE_EVERY = 8;

type Stream = IssueKind | '';

/** Collects problems during a review pass and writes them in chunks. */
export class ProblemWriter {
	private readonly open = new Map<Stream, { seq: number; start: number; items: ReviewProblem[] }>();
	private full: ProblemChunk[] = [];

	constructor(
		private readonly db: CallaroDb,
		private readonly draftId: string
	) {}

	/** Adds one problem (to the all-problems stream and to its kind's). */
	add(problem: ReviewProblem): void {
		// Kept until its chunk is written, possibly for the whole pass: copy the cell out of its
		// slice of the file (see detachString).
		const kept = { ...problem, value: detachString(problem.value) };
		this.push('', kept);
		this.push(problem.kind, kept);
	}

	/** Writes the full chunks once there are enough of them for one transaction. */
	async flushFull(): Promise<void> {
		if (this.full.length >= WRITE_EVERY) await this.writeFull();
	}

	/** Writes every chunk, the partly filled ones included. */
	async finish(): Promise<void> {
		for (const [stream, chunk] of this.open) {
			if (chunk.items.length > 0) this.full.push(this.record(stream, chunk));
		}
		this.open.clear();
		await this.writeFull();
	}

	private push(stream: Stream, problem: ReviewProblem): void {
		let chunk = this.open.get(stream);
		if (!chunk) this.open.set(stream, (chunk = { seq: 0, start: 0, items: [] }));
		chunk.items.push(problem);
		if (chunk.items.length === PROBLEM_CHUNK) {
			this.full.push(this.record(stream, chunk));
			this.open.set(stream, { seq: chunk.seq + 1, start: chunk.start + PROBLEM_CHUNK, items: [] });
		}
	}

	private record(stream: Stream, c: { seq: number; start: number; items: ReviewProblem[] }) {
		return { draftId: this.draftId, stream, seq: c.seq, start: c.start, items: c.items };
	}

	private async writeFull(): Promise<void> {
		const chunks = this.full;
		this.full = [];
		if (chunks.length > 0) await this.db.problemChunks.bulkPut(chunks);
	}
}

const streamRange = (db: CallaroDb, draftId: string, stream: Stream) =>
	db.problemChunks
		.where('[draftId+stream+seq]')
		.between([draftId, stream, Dexie.minKey], [draftId, stream, Dexie.maxKey]);

/** Deletes a draft's problems (before a new pass). */
export async function clearProblems(db: CallaroDb, draftId: string): Promise<void> {
	await db.problemChunks
		.where('[draftId+stream+seq]')
		// [draftId] sorts before every [draftId, stream, seq], and [draftId, []] after (an array
		// sorts after any string).
		.between([draftId], [draftId, []])
		.delete();
}

/** One page of problems (all, or one kind) and the stream's total so far. */
export async function problemPage(
	db: CallaroDb,
	draftId: string,
	kind: Stream,
	page: number,
	pageSize: number
): Promise<{ rows: ReviewProblem[]; total: number }> {
	const last = await streamRange(db, draftId, kind).last();
	const total = last ? last.start + last.items.length : 0;
	const from = page * pageSize;
	const rows: ReviewProblem[] = [];
	for (let seq = Math.floor(from / PROBLEM_CHUNK); rows.length < pageSize; seq++) {
		const chunk = await db.problemChunks.get([draftId, kind, seq]);
		if (!chunk) break;
		const at = Math.max(0, from - chunk.start);
		rows.push(...chunk.items.slice(at, at + pageSize - rows.length));
	}
	return { rows, total };
}
