/**
 * The store's procedures, written once: a batch (the replay check, the versions read, the plan,
 * the change sequence, the rows, tombstones and the stored answer), the change feed's paging,
 * and workspaces and members (new ids, the owner kept on a revoke). Each database implements only
 * `StorePrimitives`: a few statements each, no rules. What the procedures keep is the `Store`
 * contract (store.ts); what a batch writes is `planBatch`'s.
 *
 * Every primitive that reads or writes a workspace's data is given its workspace (or is bound to
 * it, inside a transaction): no statement reaches another workspace's rows.
 *
 * The procedures are generators (steps.ts), so that SQLite runs them synchronously inside one
 * better-sqlite3 transaction and PostgreSQL awaits each statement inside its own.
 */
import type {
	Change,
	ContactBatch,
	Horizon,
	RefusedContact,
	RemoteCustomField,
	SyncContact
} from '../src/lib/protocol/sync';
import type { CallingHoursBody } from '../src/lib/protocol/workspace-lists';
import {
	finalWrites,
	NO_HORIZON,
	phonesOf,
	planBatch,
	type HorizonRule,
	type PhoneVersions
} from './batch-rules';
import { step, type Io, type Steps } from './steps';
import {
	DAY_MS,
	DEFAULT_TOMBSTONE_DAYS,
	DEFAULT_WORKSPACE_ID,
	KEY_REUSED,
	SYNC_TOKEN_MEMBER_ID,
	type MemberInfo,
	type RevokeOutcome,
	type Role,
	type ChangesListing,
	type Store,
	type StoredAnswer,
	type WorkspaceStore
} from './store';
import { newFeedId, newId } from './tokens';

/** The answer stored for an Idempotency-Key, with the hash of the request it answered. */
export interface StoredReplay {
	hash: string;
	status: number;
	/** The answer's body as JSON. */
	body: string;
}

/** A version held for a phone: its live contact's, or its tombstone's. */
export interface VersionRow {
	kind: 'contact' | 'tombstone';
	phone: string;
	version_at: number;
	device_id: string;
}

/** A contact as a batch leaves it (`data` is its JSON), numbered `seq` in the change feed. */
export interface ContactRow {
	phone: string;
	data: string;
	version_at: number;
	device_id: string;
	seq: number;
}

/** A tombstone as a batch leaves it, numbered `seq` in the change feed. */
export interface TombstoneRow {
	phone: string;
	version_at: number;
	device_id: string;
	seq: number;
}

/** A change feed row: a contact (`data`, its JSON) or a tombstone (null). */
export interface ChangeRow {
	seq: number;
	phone: string;
	data: string | null;
	version_at: number;
	device_id: string;
}

/**
 * A workspace row. `seq` is the last change sequence number its feed took; `feed_id` is its
 * feed's id, set when the row is made and never changed; `horizon_seq` and `horizon_before` its
 * horizon (0 and 0 until compaction removes a tombstone or passes a cutoff).
 */
export interface WorkspaceRow {
	id: string;
	name: string;
	seq: number;
	created_at: number;
	feed_id: string;
	horizon_seq: number;
	horizon_before: number;
	horizon_gen: number;
}

/** A member row, without its token hash (which only `insertMember` and `findCaller` see). */
export interface MemberRow {
	id: string;
	workspace_id: string;
	name: string;
	role: Role;
	created_at: number;
	revoked_at: number | null;
}

/** The active member a token hash belongs to, with its workspace. */
/** A page of a do-not-call list, read from one snapshot. */
export interface DoNotCallRows {
	rows: { phone: string; seq: number }[];
	/** The list's latest sequence number, and the one of its last clear (0: never). */
	seq: number;
	clearedSeq: number;
	/** Phones on the list. */
	count: number;
}

export interface CallingHoursRow {
	value: string | null;
	at: number;
}

export interface CallerRow {
	workspace_id: string;
	workspace_name: string;
	member_id: string;
	member_name: string;
	role: Role;
	feed_id: string;
	/** Where the workspace's calling rules stand: the do-not-call list's sequence, the hours' time. */
	dnc_seq: number;
	calling_hours_at: number;
	/** The latest time a member of the workspace was added or revoked. */
	team_at: number;
}

/**
 * The statements a batch is made of, all run in the batch's transaction and bound to its
 * workspace. Each list given is non-empty and holds each phone at most once.
 */
export interface BatchPrimitives {
	findReplay(key: string): Io<StoredReplay | undefined>;
	/** What is held for `phones`: at most one contact and one tombstone row each. */
	readVersions(phones: string[]): Io<VersionRow[]>;
	/** Advances the change sequence by `count` and returns its new value (the last number taken). */
	takeSeqs(count: number): Io<number>;
	/** Inserts or replaces the contacts, each stamped with `importId` and `now`. */
	upsertContacts(rows: ContactRow[], importId: string, now: number): Io<void>;
	deleteContacts(phones: string[]): Io<void>;
	/** Inserts or replaces the tombstones, each stamped with `now` (when the server wrote it). */
	upsertTombstones(rows: TombstoneRow[], now: number): Io<void>;
	deleteTombstones(phones: string[]): Io<void>;
	saveReplay(key: string, replay: StoredReplay, now: number): Io<void>;
	/** The workspace's horizon. */
	readHorizon(): Io<Horizon>;
}

/** The statements of one compaction chunk, in the workspace's transaction and bound to it. */
export interface CompactionPrimitives {
	readHorizon(): Io<Horizon>;
	/**
	 * Deletes up to `limit` tombstones whose version time and write time are both below `cutoff`;
	 * returns how many, the highest `seq` and the newest version time among them (0s for none).
	 */
	removeTombstonesBefore(
		cutoff: number,
		limit: number
	): Io<{ removed: number; seq: number; at: number }>;
	writeHorizon(horizon: Horizon): Io<void>;
}

/** The member statements a revoke is made of, in the workspace's transaction and bound to it. */
export interface MemberPrimitives {
	findMember(memberId: string): Io<MemberRow | undefined>;
	/** How many members of the workspace are owners and not revoked. */
	countActiveOwners(): Io<number>;
	/** Marks the member revoked at `now` and forgets its token hash. */
	revokeMember(memberId: string, now: number): Io<void>;
}

/** The statements a change feed page is read with, in one snapshot, bound to its workspace. */
export interface FeedPrimitives {
	/** The workspace's feed id and horizon. */
	readFeed(): Io<{ feedId: string; horizon: Horizon }>;
	/** Up to `limit` contact and tombstone rows with a `seq` above `seq`, in `seq` order. */
	readChangesAfter(seq: number, limit: number): Io<ChangeRow[]>;
	/** How many contact and tombstone rows have a `seq` above `seq`. */
	countChangesAfter(seq: number): Io<number>;
}

/** What one database provides; `createStore` makes the `Store` from it. */
export interface StorePrimitives {
	/**
	 * Runs `work` on workspace `workspaceId` in one transaction and resolves once it is committed
	 * durably; rolls it back if `work` throws. A workspace's transactions are serialized, across
	 * every process on the database, so each sees the one before it committed: the replay check
	 * and the last-owner check are race-free, and the workspace's change sequence numbers follow
	 * commit order (store.ts). Other workspaces' transactions need not wait.
	 */
	inWorkspaceTransaction<T>(
		workspaceId: string,
		work: (tx: BatchPrimitives & MemberPrimitives & CompactionPrimitives) => Steps<T>
	): Promise<T>;
	/** Every workspace's id. */
	listWorkspaceIds(): Promise<string[]>;
	/** Runs `work` against one snapshot of the database, on workspace `workspaceId`. */
	inReadSnapshot<T>(workspaceId: string, work: (tx: FeedPrimitives) => Steps<T>): Promise<T>;
	upsertField(workspaceId: string, field: RemoteCustomField, now: number): Promise<void>;
	/**
	 * Adds `phones` (distinct, E.164) to the workspace's do-not-call list, in one transaction:
	 * each phone not listed yet takes a list sequence number above every earlier one. Returns
	 * how many were new, and the list's size after.
	 */
	addDoNotCall(
		workspaceId: string,
		phones: readonly string[],
		now: number
	): Promise<{ added: number; count: number }>;
	/** Empties the list, recording the clear at a sequence number of its own. */
	clearDoNotCall(workspaceId: string): Promise<void>;
	/** Up to `limit` listed phones with a sequence above `since`, in order, and the list's state. */
	pageDoNotCall(workspaceId: string, since: number, limit: number): Promise<DoNotCallRows>;
	/** The calling hours' JSON and the time that wrote them (null, 0: never set). */
	readCallingHours(workspaceId: string): Promise<CallingHoursRow>;
	/** Writes `value` when `at` is later than the stored one's; returns what is stored after. */
	writeCallingHours(workspaceId: string, value: string, at: number): Promise<CallingHoursRow>;
	/** The workspace's custom fields, by key. */
	listFields(workspaceId: string): Promise<RemoteCustomField[]>;
	/**
	 * The workspace's live contacts, and its stored answers with a 2xx status (batches applied),
	 * from one snapshot.
	 */
	counts(workspaceId: string): Promise<{ contacts: number; batches: number }>;
	/**
	 * The JSON of up to `limit` of the workspace's live contacts with a phone above `after`, by
	 * phone (bytewise).
	 */
	pageContacts(workspaceId: string, limit: number, after: string): Promise<string[]>;
	/** The active (not revoked) member whose token hash is `tokenHash`, with its workspace. */
	findCaller(tokenHash: string): Promise<CallerRow | undefined>;
	/** Sets the token hash of member `memberId` (the SYNC_TOKEN owner's, at each start). */
	setTokenHash(memberId: string, tokenHash: string): Promise<void>;
	/** Inserts the workspace and its first member, in one transaction. */
	insertWorkspace(
		workspace: WorkspaceRow,
		owner: MemberRow & { token_hash: string }
	): Promise<void>;
	insertMember(member: MemberRow & { token_hash: string }): Promise<void>;
	/** The workspace's members, oldest first (then by id). */
	listMembers(workspaceId: string): Promise<MemberRow[]>;
	close(): Promise<void>;
}

/**
 * A batch, applied at most once per key: a key already answered replays that answer (or, with
 * another request hash, is refused), and nothing else is read or written. Otherwise the batch is
 * planned against the versions held for its phones, and each phone it changes is written once
 * (its final write) under the next change sequence number, in plan order; an upsert clears the
 * phone's tombstone, a delete removes the contact and leaves one. The answer is stored with the
 * writes, in the same transaction. The horizon is read only when a phone has nothing held (the
 * only case it decides), under the same lock as the versions.
 */
export function* applyBatchSteps(
	tx: BatchPrimitives,
	key: string,
	hash: string,
	batch: ContactBatch,
	contacts: { contact: SyncContact; index?: number }[],
	refused: RefusedContact[],
	tombstoneDays = DEFAULT_TOMBSTONE_DAYS
): Steps<StoredAnswer> {
	const seen = yield* step(tx.findReplay(key));
	if (seen) {
		if (seen.hash !== hash) return KEY_REUSED;
		return { status: seen.status, body: JSON.parse(seen.body) as unknown, replayed: true };
	}
	const phones = phonesOf(batch, contacts);
	const held = new Map<string, PhoneVersions>();
	for (const row of phones.length > 0 ? yield* step(tx.readVersions(phones)) : []) {
		const entry = held.get(row.phone) ?? {};
		entry[row.kind] = { at: row.version_at, device: row.device_id };
		held.set(row.phone, entry);
	}
	let horizon: HorizonRule = NO_HORIZON;
	if (phones.some((phone) => !held.has(phone))) {
		const { before } = yield* step(tx.readHorizon());
		horizon = { before, days: tombstoneDays };
	}
	const { writes, ack } = planBatch(batch, contacts, refused, held, horizon);
	const final = finalWrites(writes);
	const now = Date.now();
	if (final.length > 0) {
		let seq = (yield* step(tx.takeSeqs(final.length))) - final.length;
		const upserts: ContactRow[] = [];
		const tombstones: TombstoneRow[] = [];
		for (const write of final) {
			seq++;
			const { at: version_at, device: device_id } = write.version;
			if (write.kind === 'upsert') {
				const { contact } = write;
				upserts.push({
					phone: contact.phone,
					data: JSON.stringify(contact),
					version_at,
					device_id,
					seq
				});
			} else tombstones.push({ phone: write.phone, version_at, device_id, seq });
		}
		if (upserts.length > 0) {
			yield* step(tx.upsertContacts(upserts, batch.importId, now));
			yield* step(tx.deleteTombstones(upserts.map((row) => row.phone)));
		}
		if (tombstones.length > 0) {
			yield* step(tx.deleteContacts(tombstones.map((row) => row.phone)));
			yield* step(tx.upsertTombstones(tombstones, now));
		}
	}
	yield* step(tx.saveReplay(key, { hash, status: 200, body: JSON.stringify(ack) }, now));
	return { status: 200, body: ack, replayed: false };
}

/** The feed entry for a row. */
function changeOf(row: ChangeRow): Change {
	const { seq, phone, version_at: at, device_id: deviceId } = row;
	return row.data === null
		? { seq, op: 'delete', phone, at, deviceId }
		: { seq, op: 'upsert', phone, at, deviceId, contact: JSON.parse(row.data) as SyncContact };
}

/**
 * A change feed page (the `Store.listChanges` contract), read in one snapshot. A cursor above 0
 * and below the horizon's `seq` is expired unless it came with the horizon's current `gen`
 * (`readerGen`, from the page that gave the cursor): a tombstone after it may have been removed
 * since that page, so any page from there could leave a deleted contact on its reader. Nothing is
 * read for it. With the same `gen`, nothing was removed since that page (every chunk that removes
 * a tombstone moves `gen`), so a pull begun from 0 goes on over pages below `seq`.
 */
export function* listChangesSteps(
	tx: FeedPrimitives,
	since: number,
	limit: number,
	count: boolean,
	readerGen?: number
): Steps<ChangesListing> {
	const { feedId, horizon } = yield* step(tx.readFeed());
	if (since > 0 && since < horizon.seq && readerGen !== horizon.gen)
		return { feedId, horizon, changes: [], more: false, expired: true };
	// One row past the page says whether more follow.
	const rows = yield* step(tx.readChangesAfter(since, limit + 1));
	const more = rows.length > limit;
	if (more) rows.pop();
	const changes = rows.map(changeOf);
	if (!count) return { feedId, horizon, changes, more };
	const last = rows.length > 0 ? rows[rows.length - 1].seq : since;
	return { feedId, horizon, changes, more, remaining: yield* step(tx.countChangesAfter(last)) };
}

/** Tombstones one compaction transaction removes at most: the workspace's lock is held briefly. */
export const COMPACT_CHUNK = 2000;

/**
 * One chunk of a workspace's compaction, in its transaction: removes up to `limit` tombstones
 * older than `cutoff` and moves the horizon with them. Invariants, kept in the same transaction
 * as the removal: every removed tombstone's seq is at most `horizon.seq` (so a cursor at or above
 * it missed none) and its version is older than `horizon.before` (so the batch rule refuses any
 * upsert it would have kept out). `before` is the newest removed version + 1, at most the cutoff:
 * the least that keeps the invariant, so nothing is refused while nothing was removed (a client
 * that sends no `updatedAt` writes at version 0, and still adds new phones then). Neither ever
 * goes back (a clock set back moves nothing), and no row is renumbered.
 */
export function* compactSteps(
	tx: CompactionPrimitives,
	cutoff: number,
	limit: number
): Steps<{ removed: number; more: boolean; horizon: Horizon }> {
	const held = yield* step(tx.readHorizon());
	const { removed, seq, at } = yield* step(tx.removeTombstonesBefore(cutoff, limit));
	if (removed === 0) return { removed, more: false, horizon: held };
	const horizon = {
		seq: Math.max(held.seq, seq),
		before: Math.max(held.before, at + 1),
		gen: (held.gen ?? 0) + 1
	};
	yield* step(tx.writeHorizon(horizon));
	return { removed, more: removed >= limit, horizon };
}

/** A member as the API shows it. */
export function memberInfo(row: MemberRow): MemberInfo {
	return {
		memberId: row.id,
		name: row.name,
		role: row.role,
		createdAt: row.created_at,
		revokedAt: row.revoked_at
	};
}

/**
 * A revoke, in the workspace's transaction: a member of another workspace is not found (the
 * primitives are bound to this one), a revoked one stays revoked, and the workspace's last active
 * owner is kept. The SYNC_TOKEN owner is the server's configuration, not a member an owner made:
 * it is replaced by changing SYNC_TOKEN, never revoked here.
 */
export function* revokeMemberSteps(
	tx: MemberPrimitives,
	memberId: string,
	now: number
): Steps<RevokeOutcome> {
	const member = yield* step(tx.findMember(memberId));
	if (!member) return { kind: 'not-found' };
	if (member.id === SYNC_TOKEN_MEMBER_ID) return { kind: 'sync-token' };
	if (member.revoked_at !== null) return { kind: 'revoked', member: memberInfo(member) };
	if (member.role === 'owner' && (yield* step(tx.countActiveOwners())) <= 1)
		return { kind: 'last-owner' };
	yield* step(tx.revokeMember(memberId, now));
	return { kind: 'revoked', member: memberInfo({ ...member, revoked_at: now }) };
}

/** The data of workspace `id` over the database's primitives. */
function workspaceStore(db: StorePrimitives, id: string, tombstoneDays: number): WorkspaceStore {
	return {
		applyBatch: (key, hash, batch, contacts, refused) =>
			db.inWorkspaceTransaction(id, (tx) =>
				applyBatchSteps(tx, key, hash, batch, contacts, refused, tombstoneDays)
			),
		putField: (field) => db.upsertField(id, field, Date.now()),
		addDoNotCall: (phones) => db.addDoNotCall(id, [...new Set(phones)], Date.now()),
		clearDoNotCall: () => db.clearDoNotCall(id),
		listDoNotCall: async (since, limit) => {
			let page = await db.pageDoNotCall(id, since, limit + 1);
			// A cursor past the list's end belongs to another database (a restore): the reader
			// gets the whole list, as after a clear.
			const reset = since > page.seq;
			if (reset) page = await db.pageDoNotCall(id, 0, limit + 1);
			const rows = page.rows.slice(0, limit);
			return {
				phones: rows.map((r) => r.phone),
				next:
					rows.length > 0
						? rows[rows.length - 1].seq
						: reset
							? page.seq
							: Math.max(since, page.seq),
				more: page.rows.length > limit,
				cleared: reset || page.clearedSeq > since,
				count: page.count
			};
		},
		getCallingHours: async () => {
			const row = await db.readCallingHours(id);
			return row.value === null ? null : (JSON.parse(row.value) as CallingHoursBody);
		},
		putCallingHours: async (hours) => {
			const row = await db.writeCallingHours(id, JSON.stringify(hours), hours.updatedAt);
			return JSON.parse(row.value as string) as CallingHoursBody;
		},
		listFields: () => db.listFields(id),
		stats: () => db.counts(id),
		listContacts: async (limit, after) =>
			(await db.pageContacts(id, limit, after)).map((data) => JSON.parse(data) as unknown),
		listChanges: (since, limit, count = false, readerGen) =>
			db.inReadSnapshot(id, (tx) => listChangesSteps(tx, since, limit, count, readerGen))
	};
}

/** What a store is opened with, beyond its database. */
export interface StoreOptions {
	/** How long tombstones are kept (TOMBSTONE_DAYS; default `DEFAULT_TOMBSTONE_DAYS`). */
	tombstoneDays?: number;
}

/** The `Store` over one database's primitives. */
export function createStore(db: StorePrimitives, options: StoreOptions = {}): Store {
	const tombstoneDays = options.tombstoneDays ?? DEFAULT_TOMBSTONE_DAYS;
	if (!(tombstoneDays > 0)) throw new Error('The tombstone retention must be more than 0 days.');
	return {
		...workspaceStore(db, DEFAULT_WORKSPACE_ID, tombstoneDays),
		workspace: (id) => workspaceStore(db, id, tombstoneDays),
		tombstoneDays,
		async compact(now = Date.now()) {
			const started = performance.now();
			const cutoff = Math.max(0, Math.floor(now - tombstoneDays * DAY_MS));
			const ids = await db.listWorkspaceIds();
			let removed = 0;
			// Chunk by chunk, each its own transaction: batches and other compactions of the
			// workspace take their turn between chunks.
			for (const id of ids)
				for (;;) {
					const chunk = await db.inWorkspaceTransaction(id, (tx) =>
						compactSteps(tx, cutoff, COMPACT_CHUNK)
					);
					removed += chunk.removed;
					if (!chunk.more) break;
				}
			return { workspaces: ids.length, removed, cutoff, ms: performance.now() - started };
		},
		async authenticate(tokenHash) {
			const row = await db.findCaller(tokenHash);
			return (
				row && {
					workspaceId: row.workspace_id,
					workspaceName: row.workspace_name,
					memberId: row.member_id,
					memberName: row.member_name,
					role: row.role,
					feedId: row.feed_id,
					rules: {
						doNotCallSeq: Number(row.dnc_seq),
						callingHoursAt: Number(row.calling_hours_at),
						teamAt: Number(row.team_at)
					}
				}
			);
		},
		setSyncTokenHash: (tokenHash) => db.setTokenHash(SYNC_TOKEN_MEMBER_ID, tokenHash),
		async createWorkspace(name, ownerTokenHash) {
			const now = Date.now();
			const workspace = {
				id: newId('ws_'),
				name,
				seq: 0,
				created_at: now,
				feed_id: newFeedId(),
				horizon_seq: 0,
				horizon_before: 0,
				horizon_gen: 0
			};
			const owner = {
				id: newId('mem_'),
				workspace_id: workspace.id,
				name: 'Owner',
				role: 'owner' as const,
				token_hash: ownerTokenHash,
				created_at: now,
				revoked_at: null
			};
			await db.insertWorkspace(workspace, owner);
			return { workspaceId: workspace.id, name, ownerMemberId: owner.id };
		},
		async addMember(workspaceId, name, role, tokenHash) {
			const row = {
				id: newId('mem_'),
				workspace_id: workspaceId,
				name,
				role,
				created_at: Date.now(),
				revoked_at: null
			};
			await db.insertMember({ ...row, token_hash: tokenHash });
			return memberInfo(row);
		},
		listMembers: async (workspaceId) => (await db.listMembers(workspaceId)).map(memberInfo),
		revokeMember: (workspaceId, memberId) =>
			db.inWorkspaceTransaction(workspaceId, (tx) => revokeMemberSteps(tx, memberId, Date.now())),
		close: () => db.close()
	};
}
