/**
 * The sync server's storage, as the app sees it. Every method is async so that a store over the
 * network (PostgreSQL) and the embedded one (SQLite) are the same to the app.
 *
 * What every store keeps:
 * - Workspaces: every row belongs to one workspace, and every `WorkspaceStore` call sees its
 *   workspace's rows only. Idempotency keys, phones, custom field keys and change sequence
 *   numbers are each per workspace: the same key in two workspaces is two requests.
 * - Idempotency (Stripe's way): the first answer for an Idempotency-Key is stored in the same
 *   transaction as the batch's effects, and replayed for a repeat; the same key with another body
 *   is refused (`KEY_REUSED`).
 * - Contacts are upserted by E.164 phone (within their workspace), so even a batch replayed under
 *   a new key creates no duplicate; what a batch writes is `planBatch`'s (batch-rules.ts: last
 *   writer wins, tombstones).
 * - Acknowledged means durable: `applyBatch` resolves only once the batch is on disk.
 * - The change feed, one per workspace: every contact and tombstone row carries the change
 *   sequence of the write that left it, numbered in the order its workspace's writes commit, so a
 *   reader that has every change up to `seq` never misses an earlier one. A store with several
 *   writers (PostgreSQL) serializes each workspace's numbering with its commits.
- Each feed has an id (`feedId`), made with its workspace and never changed: a cursor is a
  position in one feed, so a reader whose feed id differs from the one its cursor came from (a
  database replaced by an empty or older one) knows to read that feed from the start.
 * - Bounded history (`compact`): tombstones older than `tombstoneDays` (both their version's time
 *   and the time the server wrote them) are removed, and each workspace's horizon records the
 *   highest sequence number removed and a time every removed version is older than
 *   (protocol/sync.ts, `Horizon`). Every feed page
 *   carries the horizon; a cursor above 0 and below `horizon.seq` gets no page (`expired`: it may
 *   have missed a removed delete). An upsert older than `horizon.before` for a phone with neither
 *   a contact nor a tombstone is refused (`BEYOND_HORIZON`), and such a delete changes nothing,
 *   so a removed tombstone never lets the contact it deleted come back. Compaction runs in the
 *   workspace's transactions, in bounded chunks, so it is serialized with batches, never seen half
 *   done by a page (one snapshot), and renumbers nothing.
 * - Stored answers (`batches`) are kept for good, not compacted: an answer is what makes a retry
 *   under its key a replay, and a device may retry a key whose answer it lost at any later time;
 *   applied afresh after a horizon it could be answered otherwise (refused beyond the horizon) and
 *   be counted twice in `stats`. They grow with batches (up to 10,000 contacts each), not with
 *   deletes.
 * - A revoke is seen by the next request, in every process: tokens are looked up on each request,
 *   never cached.
 *
 * Both stores are `createStore` (store-procedure.ts) over their database's primitives, so these
 * are kept by one procedure; the schema they hold is schema.ts's.
 */
import type {
	Change,
	ContactBatch,
	Horizon,
	RefusedContact,
	RemoteCustomField,
	SyncContact
} from '../src/lib/protocol/sync';
import type { CallingHoursBody, DoNotCallPage } from '../src/lib/protocol/workspace-lists';

export interface StoredAnswer {
	status: number;
	body: unknown;
	replayed: boolean;
}

/** The answer to an Idempotency-Key already used with another request body. */
export const KEY_REUSED: StoredAnswer = {
	status: 422,
	body: { error: 'This Idempotency-Key was already used with a different request body.' },
	replayed: false
};

/** How long tombstones are kept, in days, unless TOMBSTONE_DAYS says otherwise. */
export const DEFAULT_TOMBSTONE_DAYS = 90;
export const DAY_MS = 86_400_000;

/** What one compaction run did, over every workspace. */
export interface CompactionReport {
	workspaces: number;
	/** Tombstones removed. */
	removed: number;
	/** The cutoff (ms): every tombstone older than it is gone. */
	cutoff: number;
	ms: number;
}

/** A change feed page as a store reads it (`listChanges`). */
export interface ChangesListing {
	feedId: string;
	/** The workspace's horizon, read in the page's snapshot. */
	horizon: Horizon;
	changes: Change[];
	more: boolean;
	remaining?: number;
	/** `since` is above 0 and below `horizon.seq`: no page is read (the reader must start over). */
	expired?: true;
}

/** A member's role: owners also define custom fields and manage members. */
export type Role = 'owner' | 'member';

/** The id of the workspace a database from before workspaces upgrades into (schema.ts, v4). */
export const DEFAULT_WORKSPACE_ID = 'default';
/** The default workspace's owner whose token is the server's SYNC_TOKEN (app.ts). */
export const SYNC_TOKEN_MEMBER_ID = 'sync-token';

/** Who a token is: its member and that member's workspace. */
export interface Caller {
	workspaceId: string;
	workspaceName: string;
	memberId: string;
	memberName: string;
	role: Role;
	/** The id of the workspace's change feed. */
	feedId: string;
	/** Where the workspace's calling rules stand (protocol/sync.ts, meSchema `rules`). */
	rules: { doNotCallSeq: number; callingHoursAt: number; teamAt: number };
}

/** A member as listed to an owner: never its token, nor the token's hash. */
export interface MemberInfo {
	memberId: string;
	name: string;
	role: Role;
	createdAt: number;
	/** When it was revoked (its token answers 401 since), or null. */
	revokedAt: number | null;
}

/**
 * What `revokeMember` did: `revoked` (now or before), `not-found` (no such member in this
 * workspace, whatever other workspaces hold), `last-owner` (the workspace's one active owner is
 * kept) or `sync-token` (the SYNC_TOKEN owner, replaced only by changing SYNC_TOKEN).
 */
export type RevokeOutcome =
	{ kind: 'revoked'; member: MemberInfo } | { kind: 'not-found' | 'last-owner' | 'sync-token' };

/** The data of one workspace: every call reads and writes that workspace's rows only. */
export interface WorkspaceStore {
	/** Applies a batch once per key (`hash` is the request's), or replays the first answer. */
	applyBatch(
		key: string,
		hash: string,
		batch: ContactBatch,
		contacts: { contact: SyncContact }[],
		refused: RefusedContact[]
	): Promise<StoredAnswer>;
	putField(field: RemoteCustomField): Promise<void>;
	listFields(): Promise<RemoteCustomField[]>;
	/** Adds phones to the do-not-call list; how many were new, and the list's size after. */
	addDoNotCall(phones: readonly string[]): Promise<{ added: number; count: number }>;
	clearDoNotCall(): Promise<void>;
	/**
	 * Up to `limit` phones added after list sequence `since`, in order (protocol/workspace-lists.ts
	 * DoNotCallPage, without the feed id).
	 */
	listDoNotCall(since: number, limit: number): Promise<Omit<DoNotCallPage, 'feedId'>>;
	/** The stored calling hours (null: never set). */
	getCallingHours(): Promise<CallingHoursBody | null>;
	/** Writes `hours` unless the stored ones are as new or newer; returns the stored ones after. */
	putCallingHours(hours: CallingHoursBody): Promise<CallingHoursBody>;
	/** Live contacts, and batches applied. */
	stats(): Promise<{ contacts: number; batches: number }>;
	/** Live contacts by phone, after `after`. */
	listContacts(limit: number, after: string): Promise<unknown[]>;
	/**
	 * Up to `limit` changes after `since`, in sequence order, and whether more follow; with
	 * `count`, also how many follow the last one returned (a count over the rest of the feed, so
	 * a puller asks for it once per pull, not per page). `feedId` and `horizon` are the feed's,
	 * read with the page; a `since` the horizon has passed is `expired`, with no changes, unless
	 * `readerGen` (the `gen` of the page that gave `since`) is the horizon's current one.
	 */
	listChanges(
		since: number,
		limit: number,
		count?: boolean,
		readerGen?: number
	): Promise<ChangesListing>;
}

/**
 * The whole store: workspaces, their members and tokens, and each workspace's data. Its own
 * `WorkspaceStore` methods are the default workspace's (the one SYNC_TOKEN owns), so code that
 * knows one workspace only keeps working.
 *
 * Tokens reach the store only as `hashToken` (tokens.ts) hashes: it never holds a token.
 */
export interface Store extends WorkspaceStore {
	/** The data of workspace `id` (which the caller has authenticated into). */
	workspace(id: string): WorkspaceStore;
	/** The active member whose token hashes to `tokenHash`, with its workspace; else undefined. */
	authenticate(tokenHash: string): Promise<Caller | undefined>;
	/** Makes `tokenHash` the SYNC_TOKEN owner's (the only token it then has). */
	setSyncTokenHash(tokenHash: string): Promise<void>;
	/** A new workspace named `name`, with one owner whose token hashes to `ownerTokenHash`. */
	createWorkspace(
		name: string,
		ownerTokenHash: string
	): Promise<{ workspaceId: string; name: string; ownerMemberId: string }>;
	/** A new member of `workspaceId` whose token hashes to `tokenHash`. */
	addMember(workspaceId: string, name: string, role: Role, tokenHash: string): Promise<MemberInfo>;
	/** The members of `workspaceId`, oldest first, revoked ones included. */
	listMembers(workspaceId: string): Promise<MemberInfo[]>;
	/** Revokes a member of `workspaceId`, keeping at least one active owner (`RevokeOutcome`). */
	revokeMember(workspaceId: string, memberId: string): Promise<RevokeOutcome>;
	/** How long tombstones are kept (days): `compact`'s retention, named in its refusals. */
	readonly tombstoneDays: number;
	/**
	 * Removes every workspace's tombstones older than `now` − `tombstoneDays` and moves their
	 * horizons (store.ts, bounded history). Safe beside batches, pages and other compactions, in
	 * this process or another on the same database.
	 */
	compact(now?: number): Promise<CompactionReport>;
	close(): Promise<void>;
}
