/**
 * The IndexedDB database (Dexie). Versioned schema: a shipped `version(n)` is never edited; a
 * change adds `version(n + 1)` with an `.upgrade()`, and the upgrade is tested on a database the previous release wrote.
 *
 * Storage design: contacts are keyed by their E.164 phone and carry no secondary index (each
 * index entry costs 25–40% of an import's write speed). Search, segments and the contacts list are
 * served by `contactIndex`: one compact chunk per committed write, in the write's transaction
 * (index-chunk.ts), read back into an in-memory index by the worker (contact-index.ts).
 */
import Dexie, { type DBCoreTransaction, type EntityTable } from 'dexie';
import { withIndexes, type Contact } from '$lib/domain/contact';
import { encodeChunk, type IndexChunk } from '$lib/domain/index-chunk';
import type { Segment } from '$lib/domain/segments';
import type { Tombstone } from '$lib/domain/pull-merge';
import type { CustomFieldDef, Target } from '$lib/domain/fields';
import type {
	ImportJob,
	ImportOptions,
	ReviewProblem,
	RowErrorRecord
} from '$lib/domain/import-job';
import type { RememberedMapping, SavedMapping } from '$lib/domain/mapping-memory';
import type { IssueKind } from '$lib/domain/row-rules';
import type { Fix } from '$lib/domain/fixes';
import type { Delimiter, Encoding } from '$lib/domain/sniff';
import type { BytePart } from '$lib/io/byte-blob';

/** The file a job reads: a stored file (see file-store.ts), which the job's draft may share. */
export interface JobFile {
	jobId: string;
	fileId: string;
}

/**
 * A file kept in the database as parts of `partBytes` bytes (`FilePart`), every part but the
 * last exactly that size. The record is written before its parts and marked `complete` after the
 * last one: a file left incomplete by a crash is never read, and is swept.
 */
export interface StoredFile {
	id: string;
	name: string;
	type: string;
	size: number;
	partBytes: number;
	parts: number;
	complete: boolean;
	createdAt: number;
}

export interface FilePart {
	fileId: string;
	seq: number;
	bytes: BytePart;
}

/**
 * What an import changed on an existing contact, so that `Undo import` can put it back: the
 * contact before the import and as the import left it.
 */
export interface UndoRecord {
	jobId: string;
	phone: string;
	before: Contact;
	after: Contact;
}

/**
 * A committed import batch waiting to be pushed (or pushed). Written in the batch's own
 * transaction. The body is frozen at the first attempt, so every retry under the same
 * Idempotency-Key sends the same bytes.
 */
export interface OutboxRecord {
	seq?: number;
	/** The batch id and Idempotency-Key. */
	id: string;
	jobId: string;
	phones: string[];
	status: 'pending' | 'synced' | 'failed';
	body?: string;
	attempts: number;
	/** The server's message when it refused the batch. */
	error?: string;
	createdAt: number;
	syncedAt?: number;
	/** Phones deleted by the change (at `createdAt`), sent as deletes. */
	deleted?: string[];
	/**
	 * A resend of what this device holds to a backend whose feed was replaced (restored or new):
	 * every contact of `phones` goes, pulled ones included, and `deletes` with their own times.
	 */
	resync?: boolean;
	deletes?: { phone: string; deletedAt: number }[];
	/**
	 * The request bodies, frozen at the first push (every retry under a key must send the same
	 * bytes), each under `TARGET_BODY_BYTES`; dropped once synced. Records from before parts keep
	 * their single `body`.
	 */
	parts?: string[];
	/** Parts the server has answered. */
	partsDone?: number;
	/** Bumped when the bodies are rebuilt (a retry, or smaller parts after a 413): new keys. */
	generation?: number;
	/** The size parts are built to (smaller after a 413). */
	targetBytes?: number;
}

export interface SettingRecord {
	key: string;
	value: unknown;
}

/** Schema v1, as shipped. Frozen: never edit (the upgrade test opens a v1 database with it). */
export const SCHEMA_V1 = Object.freeze({
	jobs: 'id, status, createdAt',
	jobFiles: 'jobId',
	contacts: 'phone',
	rowErrors: '++id, [jobId+row]',
	customFields: 'key',
	settings: 'key'
});

/** Schema v2: the tables it adds. */
export const SCHEMA_V2 = Object.freeze({
	rememberedMappings: 'signature',
	savedMappings: 'name',
	undoLog: '[jobId+phone]',
	outbox: '++seq, &id, [status+seq], jobId'
});

/**
 * Schema v3: contacts get a name sort index and one multi-entry search index; segments; the
 * wizard's draft (file, settings, fixes) and the review's problem rows.
 */
export const SCHEMA_V3 = Object.freeze({
	contacts: 'phone, sortName, *search',
	segments: 'id, name',
	drafts: 'id',
	reviewProblems: '++id, [draftId+row], [draftId+kind+row]'
});

/** Schema v5: the review's problem rows in chunks (see problems-repo.ts). */
export const SCHEMA_V5 = Object.freeze({
	problemChunks: '[draftId+stream+seq]',
	reviewProblems: null
});

/**
 * Schema v4: the outbox is counted per import and status from an index (the import page used to
 * load every batch with its phones after each commit: 194 ms main-thread tasks at 1M rows).
 */
export const SCHEMA_V4 = Object.freeze({
	outbox: '++seq, &id, [status+seq], jobId, [jobId+status]'
});

/**
 * Schema v6: contacts lose the `sortName` and multi-entry `search` indexes (about nine entries a
 * contact); the index chunks take their place. Contacts written before keep the two unused fields.
 */
export const SCHEMA_V6 = Object.freeze({
	contacts: 'phone',
	contactIndex: '++seq'
});

/**
 * Schema v7: tombstones, the deletions this device knows of (its own and pulled ones), each with
 * the version that deleted the phone: a pulled write older than a deletion must not bring the
 * contact back (last writer wins, as on the server). A new table only: no upgrade step.
 */
export const SCHEMA_V7 = Object.freeze({
	tombstones: 'phone'
});

/**
 * Schema v8: files are kept as bytes in parts (`files`, `fileParts`) instead of one `Blob` per
 * job and per draft, since WebKit refuses `Blob` values in IndexedDB. A job and its draft share
 * one stored file (`jobFiles.fileId`, indexed so that a file still in use is never deleted).
 */
export const SCHEMA_V8 = Object.freeze({
	jobFiles: 'jobId, fileId',
	files: 'id',
	fileParts: '[fileId+seq]'
});

/** Contacts per chunk when the v6 upgrade indexes an existing database. */
const UPGRADE_CHUNK = 5000;

/** One import is prepared at a time: the draft has a fixed id. */
export const DRAFT_ID = 'current';

/** The import being prepared in the wizard, kept so that a reload loses nothing. */
export interface Draft {
	id: string;
	/** The stored file (file-store.ts). */
	fileId: string;
	fileName: string;
	overrides: { encoding?: Encoding; delimiter?: Delimiter; headerRow?: number };
	mapping: Target[];
	options: ImportOptions;
	fixes: Fix[];
	updatedAt: number;
}

/** Up to 1,000 problems of one stream (all problems, or one kind), in file order. */
export interface ProblemChunk {
	draftId: string;
	/** '' for every problem, else one issue kind. */
	stream: IssueKind | '';
	seq: number;
	/** Position of the first item in its stream. */
	start: number;
	items: ReviewProblem[];
}

export class CallaroDb extends Dexie {
	jobs!: EntityTable<ImportJob, 'id'>;
	jobFiles!: EntityTable<JobFile, 'jobId'>;
	contacts!: EntityTable<Contact, 'phone'>;
	rowErrors!: EntityTable<RowErrorRecord, 'id'>;
	customFields!: EntityTable<CustomFieldDef, 'key'>;
	settings!: EntityTable<SettingRecord, 'key'>;
	rememberedMappings!: EntityTable<RememberedMapping, 'signature'>;
	savedMappings!: EntityTable<SavedMapping, 'name'>;
	undoLog!: EntityTable<UndoRecord, 'jobId'>;
	outbox!: EntityTable<OutboxRecord, 'seq'>;
	segments!: EntityTable<Segment, 'id'>;
	drafts!: EntityTable<Draft, 'id'>;
	problemChunks!: Dexie.Table<ProblemChunk, [string, string, number]>;
	contactIndex!: EntityTable<IndexChunk, 'seq'>;
	tombstones!: EntityTable<Tombstone, 'phone'>;
	files!: EntityTable<StoredFile, 'id'>;
	fileParts!: Dexie.Table<FilePart, [string, number]>;

	constructor(name = 'callaro-import') {
		super(name);
		this.version(1).stores(SCHEMA_V1);
		// v2: mapping memory, named mappings, the undo log and the sync outbox (new tables only).
		this.version(2).stores(SCHEMA_V2);
		// v3: index fields derived for every stored contact.
		this.version(3)
			.stores(SCHEMA_V3)
			.upgrade((tx) =>
				tx
					.table('contacts')
					.toCollection()
					.modify((c: Contact) => {
						Object.assign(c, withIndexes(c));
					})
			);
		// v4: an index only (IndexedDB builds it during the upgrade).
		this.version(4).stores(SCHEMA_V4);
		// v5: problem rows in chunks (the per-row table is dropped: a review pass rebuilds them).
		this.version(5).stores(SCHEMA_V5);
		// v6: the index chunks of every existing contact, written in key order in the upgrade's
		// own transaction (so a database is never half indexed).
		this.version(6)
			.stores(SCHEMA_V6)
			.upgrade(async (tx) => {
				const contacts = tx.table<Contact, string>('contacts');
				const index = tx.table<IndexChunk, number>('contactIndex');
				let after: string | undefined;
				for (;;) {
					const page = await (
						after === undefined ? contacts.orderBy(':id') : contacts.where(':id').above(after)
					)
						.limit(UPGRADE_CHUNK)
						.toArray();
					if (page.length === 0) break;
					await index.add(encodeChunk(page));
					after = page[page.length - 1].phone;
				}
			});
		this.version(7).stores(SCHEMA_V7);
		// v8: each job's and draft's Blob becomes a stored file of one part (the same Blob, moved
		// inside the upgrade's transaction: reading its bytes would need an await outside IndexedDB,
		// which ends the transaction). Only Chromium and Firefox could store those Blobs, and both
		// read them back; new files are stored as ArrayBuffer parts.
		this.version(8)
			.stores(SCHEMA_V8)
			.upgrade(async (tx) => {
				const files = tx.table<StoredFile, string>('files');
				const parts = tx.table<FilePart, [string, number]>('fileParts');
				const jobs = tx.table<ImportJob, string>('jobs');
				const moveBlob = async (fileId: string, blob: Blob, name: string, createdAt: number) => {
					await files.add({
						id: fileId,
						name,
						type: blob.type,
						size: blob.size,
						// One part holds the whole Blob; an empty file has none.
						partBytes: Math.max(1, blob.size),
						parts: blob.size > 0 ? 1 : 0,
						complete: true,
						createdAt
					});
					if (blob.size > 0) await parts.add({ fileId, seq: 0, bytes: blob });
				};
				const jobFiles = tx.table<{ jobId: string; file?: Blob; fileId?: string }, string>(
					'jobFiles'
				);
				for (const old of await jobFiles.toArray()) {
					if (!old.file) continue;
					const job = await jobs.get(old.jobId);
					const fileId = `job-${old.jobId}`;
					await moveBlob(fileId, old.file, job?.fileName ?? 'file', job?.createdAt ?? 0);
					await jobFiles.put({ jobId: old.jobId, fileId });
				}
				const drafts = tx.table<Draft & { file?: Blob }, string>('drafts');
				for (const old of await drafts.toArray()) {
					if (!old.file) continue;
					const fileId = `draft-${old.id}-${old.updatedAt}`;
					await moveBlob(fileId, old.file, old.fileName, old.updatedAt);
					const { file: _file, ...rest } = old;
					await drafts.put({ ...rest, fileId });
				}
			});
		// Every transaction this connection opens, until it ends: `abortOpenTransactions` needs them.
		// And none is committed explicitly: each commits by itself once its last request is done.
		// Dexie calls `commit()` after a single-table write (`table.put()` outside a transaction
		// block). In WebKit, a worker ended while such a commit is in flight (the page hiding ends
		// its workers, see state/page-cache.ts) leaves its transaction open in the storage process
		// for good: its stores stay locked for every later page and tab until the browser quits.
		// Measured in WebKitGTK 2.50: a worker writing in a loop, ended from `pagehide` at once, left
		// the database locked on the first of 100 navigations with `commit()`, on none of 100
		// without it. Committing by itself costs nothing measurable here (one task at most).
		this.use({
			stack: 'dbcore',
			name: 'open-transactions',
			create: (down) => ({
				...down,
				transaction: (stores, mode, options) => {
					const tx = down.transaction(stores, mode, options);
					if ('commit' in tx) Object.defineProperty(tx, 'commit', { value: noCommit });
					const events = tx as Partial<Pick<EventTarget, 'addEventListener'>>;
					if (events.addEventListener) {
						this.inFlight.add(tx);
						const end = () => this.inFlight.delete(tx);
						for (const type of ['complete', 'abort', 'error']) events.addEventListener(type, end);
					}
					return tx;
				}
			})
		});
		// Another tab opened a newer schema: let it upgrade, and reopen on the next query.
		this.on('versionchange', () => {
			this.close({ disableAutoOpen: false });
			return false;
		});
	}

	private readonly inFlight = new Set<DBCoreTransaction>();

	/**
	 * Aborts every transaction of this connection still in flight (their callers see an
	 * AbortError). For a page going where it can no longer finish them: a transaction left
	 * suspended keeps its stores locked for every other connection.
	 */
	abortOpenTransactions(): number {
		let aborted = 0;
		for (const tx of this.inFlight) {
			try {
				tx.abort();
				aborted++;
			} catch {
				// It finished between its last event and now: nothing is held.
			}
		}
		this.inFlight.clear();
		return aborted;
	}
}

/** Stands in for `IDBTransaction.commit` (see the constructor): the transaction commits by itself. */
function noCommit(): void {}

let instance: CallaroDb | undefined;

/** The app's database, opened on first use (never at module scope: prerendering runs in Node). */
export function getDb(): CallaroDb {
	instance ??= new CallaroDb();
	return instance;
}
