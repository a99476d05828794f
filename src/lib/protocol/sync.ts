/**
 * The sync contract, as zod schemas shared by the app and the reference server: the same
 * rules validate what the app sends and what the server accepts.
 */
import { z } from 'zod';

// No eval-compiled validators: the app runs under a CSP without 'unsafe-eval'.
z.config({ jitless: true });
import { CUSTOM_FIELD_KEY_RE, FIELD_LIMITS } from './field-limits';

const text = (max: number) => z.string().max(max);

/** The longest values the backend stores (the import checks the same numbers). */
export const LIMITS = FIELD_LIMITS;

const E164 = /^\+[1-9]\d{5,14}$/;

/**
 * Custom values: checked on the object as JSON.parse built it, so that a `__proto__` key is seen
 * (and refused) rather than silently swallowed as a prototype.
 */
const customValues = z.custom<Record<string, string>>(
	(v) =>
		v !== null &&
		typeof v === 'object' &&
		!Array.isArray(v) &&
		Object.keys(v).every((k) => {
			const value = (v as Record<string, unknown>)[k];
			return CUSTOM_FIELD_KEY_RE.test(k) && typeof value === 'string' && value.length <= 10_000;
		}),
	{
		message: `custom keys must match ^[a-z][a-z0-9_]{0,62}$ and values must be strings of at most ${LIMITS.customValue} characters`
	}
);

export const syncContactSchema = z.object({
	phone: z.string().regex(E164, 'phone must be E.164, e.g. +14155550123'),
	firstName: text(LIMITS.name).optional(),
	lastName: text(LIMITS.name).optional(),
	email: text(LIMITS.email).optional(),
	company: text(LIMITS.company).optional(),
	timezone: text(LIMITS.timezone).optional(),
	owner: text(LIMITS.owner).optional(),
	tags: z.array(text(LIMITS.tag)).max(LIMITS.tags).default([]),
	custom: customValues.default({}),
	/** When the device last changed the contact (ms): the newer write wins on the server. */
	updatedAt: z.number().int().nonnegative().optional()
});

export type SyncContact = z.infer<typeof syncContactSchema>;

export const MAX_BATCH_CONTACTS = 10_000;

/** The largest batch body the reference server accepts (a 413 above it). */
export const MAX_BODY_BYTES = 10 * 1024 * 1024;
/**
 * The size the app aims each batch body at: well under the server's limit, and small enough to
 * send over a poor mobile connection in one go.
 */
export const TARGET_BODY_BYTES = 1024 * 1024;

/** A contact deleted on a device, and when (ms). */
export const syncDeleteSchema = z.object({
	phone: z.string().regex(E164, 'phone must be E.164, e.g. +14155550123'),
	deletedAt: z.number().int().nonnegative()
});

export type SyncDelete = z.infer<typeof syncDeleteSchema>;

/**
 * A batch: contacts to upsert and contacts deleted, from one device. Each contact is checked on
 * its own (`syncContactSchema`), so that one refused contact never fails the others; only the
 * envelope's shape fails the whole batch (400).
 */
/**
 * Text a store keeps in a column of its own: no NUL character, which PostgreSQL text cannot hold
 * (contact values are kept as JSON, where a NUL is escaped, so they need no such rule).
 */
const noNul = (v: string) => !v.includes('\u0000');
const NO_NUL = 'must not contain a NUL character';
const columnText = (min: number, max: number) => z.string().min(min).max(max).refine(noNul, NO_NUL);

export const contactBatchSchema = z.object({
	batchId: columnText(1, 200),
	importId: columnText(1, 200),
	/** A stable id of the sending device: it breaks ties between writes with the same time. */
	deviceId: columnText(0, 100).default(''),
	contacts: z.array(z.unknown()).max(MAX_BATCH_CONTACTS),
	deletes: z.array(syncDeleteSchema).max(MAX_BATCH_CONTACTS).default([])
});

export type ContactBatch = z.infer<typeof contactBatchSchema>;

/**
 * The code of a contact refused because it is older than the server's history of deletes (the
 * horizon's `before`) and the server holds nothing for its phone: it may have been deleted since,
 * and the tombstone that would say so is gone. A device tells this refusal apart by the code.
 */
export const BEYOND_HORIZON = 'beyond-horizon';

/** A contact the server did not store, and why (its place in the batch, and its phone if any). */
export interface RefusedContact {
	index: number;
	phone: string;
	reason: string;
	/**
	 * A machine-readable kind of refusal, when the server gives one (absent: invalid data): today
	 * only BEYOND_HORIZON; a code this app does not know is an ordinary refusal.
	 */
	code?: string;
}

export const refusedContactSchema = z.object({
	index: z.number(),
	phone: z.string(),
	reason: z.string(),
	// Any string: a later server may send codes this app does not know, which are then ordinary
	// refusals.
	code: z.string().optional()
});

export const customFieldBodySchema = z.object({
	label: z.string().trim().min(1).max(200).refine(noNul, NO_NUL),
	type: z.literal('text').default('text')
});

export const customFieldSchema = customFieldBodySchema.extend({
	key: z.string().regex(CUSTOM_FIELD_KEY_RE)
});

export type RemoteCustomField = z.infer<typeof customFieldSchema>;

export const customFieldListSchema = z.object({ fields: z.array(customFieldSchema) });

export const statsSchema = z.object({ contacts: z.number(), batches: z.number() });

/**
 * The server's answer to a batch (stored and replayed for a repeated key): how many contacts it
 * stored, which it refused and why, how many writes were older than what it holds (kept out:
 * the newer write wins), and how many deletes it applied.
 */
export interface BatchAck {
	batchId: string;
	importId: string;
	accepted: number;
	refused: RefusedContact[];
	stale: number;
	deleted: number;
}

export const batchAckSchema = z.object({
	accepted: z.number(),
	refused: z.array(refusedContactSchema).default([]),
	stale: z.number().default(0),
	deleted: z.number().default(0)
});

/** A readable one-line summary of a zod error, for 400 answers. */
export function describeIssues(error: z.ZodError): string {
	return error.issues
		.slice(0, 5)
		.map((i) => `${i.path.join('.') || 'body'}: ${i.message}`)
		.join('; ');
}

/** Changes a pull asks for per page by default, and at most. */
export const CHANGES_PAGE = 1000;
export const MAX_CHANGES_PAGE = 5000;

const changeBase = {
	/** The server's change sequence: every write takes the next number, in the order applied. */
	seq: z.number().int().positive(),
	phone: z.string().regex(E164, 'phone must be E.164, e.g. +14155550123'),
	/** The write's version: its device time and device id (last writer wins on every replica). */
	at: z.number().int().nonnegative(),
	deviceId: z.string().max(100)
};

/**
 * One entry of the change feed: a phone's latest state on the server, a contact or a deletion.
 * The feed holds one entry per phone (a newer write replaces the phone's earlier entry), so a
 * device that pulls from the start gets the workspace as it is now, not its whole history.
 */
export const changeSchema = z.discriminatedUnion('op', [
	z.object({ ...changeBase, op: z.literal('upsert'), contact: syncContactSchema }),
	z.object({ ...changeBase, op: z.literal('delete') })
]);

export type Change = z.infer<typeof changeSchema>;

/**
 * How far back the change feed's history of deletes reaches: the server removes tombstones older
 * than its retention (TOMBSTONE_DAYS) and records `seq`, the highest sequence number it removed
 * (0: none), and `before`, a time (ms, the writes' own clock) every removed tombstone's version is
 * older than (the newest removed + 1; 0: none removed). A cursor above 0 and below `seq` may have missed a removed delete (answered 410); an
 * upsert older than `before` for a phone the server holds nothing for is refused (BEYOND_HORIZON).
 * They only ever grow.
 */
export const horizonSchema = z.object({
	seq: z.number().int().nonnegative(),
	before: z.number().int().nonnegative(),
	/**
	 * Moves each time tombstones are removed. A reader sends back the `gen` of the page its cursor
	 * came from (`&gen=`): a cursor below `seq` with the current `gen` missed nothing (nothing was
	 * removed since), so a pull begun from 0 goes on; without it, such a cursor is answered 410.
	 */
	gen: z.number().int().nonnegative().optional()
});

export type Horizon = z.infer<typeof horizonSchema>;

/**
 * The body of a 410 from `GET /v1/changes`: the cursor is older than the horizon (deletes after it
 * were removed), so the reader must read the feed again from 0 and resend what it holds.
 */
export const changesGoneSchema = z.object({
	error: z.string(),
	horizon: horizonSchema
});

/**
 * A page of `GET /v1/changes?since=<cursor>&limit=[&count=1]`: the changes after `since` in
 * sequence order, `next` (the cursor to ask from next: the last change's seq, or `since` when
 * there is none), whether more follow, and, when `count=1` asked for it, how many changes follow
 * `next` (for progress; counting the rest of the feed costs the server a pass over it, so a
 * device asks once per pull).
 */
export const changesPageSchema = z.object({
	/**
	 * The feed's identity, made when the workspace's feed was created: a cursor is a position in
	 * one feed, and means nothing in another (a server restored to an empty or older database).
	 */
	feedId: z.string().min(1).optional(),
	/** The feed's horizon as of this page (absent from servers that never remove tombstones). */
	horizon: horizonSchema.optional(),
	changes: z.array(changeSchema),
	next: z.number().int().nonnegative(),
	more: z.boolean(),
	remaining: z.number().int().nonnegative().optional()
});

export type ChangesPage = z.infer<typeof changesPageSchema>;

/**
 * A page's envelope with its changes unchecked: each change is checked on its own, so that one
 * change a device cannot read is skipped and reported while the rest of the pull goes on.
 */
export const changesEnvelopeSchema = changesPageSchema.extend({ changes: z.array(z.unknown()) });

/** Who a token is: `GET /v1/me`. Every route acts inside this workspace. */
export const meSchema = z.object({
	workspaceId: z.string().min(1),
	workspaceName: z.string(),
	memberId: z.string().min(1),
	memberName: z.string(),
	role: z.enum(['owner', 'member']),
	/** The workspace's change feed identity (see changesPageSchema). */
	feedId: z.string().min(1).optional(),
	/**
	 * Where the workspace's calling rules stand (protocol/workspace-lists.ts): the do-not-call
	 * list's latest sequence, the calling hours' `updatedAt` and the team's `teamAt`, so that a device asks for them
	 * only when they moved.
	 */
	rules: z
		.object({
			doNotCallSeq: z.number().int().nonnegative(),
			callingHoursAt: z.number().int().nonnegative(),
			/** When the team (`GET /v1/team`) last changed; absent from a backend without it. */
			teamAt: z.number().int().nonnegative().optional()
		})
		.optional()
});
export type Me = z.infer<typeof meSchema>;
export type Role = Me['role'];

/** `POST /v1/members` with `{ name, role }` (owners only). */
export const newMemberSchema = z.object({
	name: z.string().trim().min(1).max(200),
	role: z.enum(['owner', 'member'])
});

/** The answer to `POST /v1/members`: the token is shown this once and stored only as a hash. */
export const createdMemberSchema = z.object({
	memberId: z.string().min(1),
	token: z.string().min(1)
});

/** One member in `GET /v1/members` (never a token). */
export const memberSchema = z
	.object({
		memberId: z.string().min(1),
		name: z.string(),
		role: z.enum(['owner', 'member']),
		revoked: z.boolean().optional(),
		revokedAt: z.number().nullable().optional(),
		createdAt: z.number().optional()
	})
	.loose();
export type Member = z.infer<typeof memberSchema>;
export const memberListSchema = z.object({ members: z.array(memberSchema) });
