/**
 * The reference sync backend (the sync contract in src/lib/protocol/sync.ts) as a Hono app, so tests call it in-process and
 * `server/index.ts` serves it over HTTP.
 *
 * Workspaces, members and tokens:
 * - Every `/v1/*` route but `/v1/workspaces` needs a member's bearer token, and acts inside that
 *   member's workspace only. A token is looked up (by its hash) on every request, so a revoked
 *   token is refused from the next request on, in every process.
 * - The default workspace's owner is the SYNC_TOKEN (`token` here): a member row, `sync-token`,
 *   whose token hash is set from it when the app is made, so it is the only token that member
 *   has. It is replaced by changing SYNC_TOKEN, never revoked through the API.
 * - Owners define custom fields and manage members; members push and pull and read the fields.
 * - `POST /v1/workspaces` is the operator's (`adminToken`, ADMIN_TOKEN): without one, it does
 *   not exist (404).
 * - Nothing a caller is told depends on another workspace: a member id, idempotency key, cursor
 *   or phone of another workspace is answered exactly as one that exists nowhere.
 * - Each token is rate-limited (rate-limit.ts, `rateLimit`): past its limit, 429 with
 *   `Retry-After`.
 */
import { createHash } from 'node:crypto';
import { Hono, type Context } from 'hono';
import { bodyLimit } from 'hono/body-limit';
import { cors } from 'hono/cors';
import {
	CHANGES_PAGE,
	contactBatchSchema,
	customFieldBodySchema,
	describeIssues,
	MAX_BODY_BYTES,
	MAX_CHANGES_PAGE,
	syncContactSchema,
	type RefusedContact,
	type SyncContact
} from '../src/lib/protocol/sync';
import { CUSTOM_FIELD_KEY_RE } from '../src/lib/protocol/field-limits';
import {
	callingHoursBodySchema,
	DNC_PAGE_MAX,
	doNotCallAddSchema
} from '../src/lib/protocol/workspace-lists';
import { createLocalSignal, LiveHub } from './live';
import { createRateLimiter, type RateLimit } from './rate-limit';
import {
	SYNC_TOKEN_MEMBER_ID,
	type Caller,
	type MemberInfo,
	type Role,
	type Store,
	type WorkspaceStore
} from './store';
import { hashToken, newToken, sameToken } from './tokens';

/** Every other request body (a custom field definition is a few hundred bytes). */
export const MAX_SMALL_BODY_BYTES = 16 * 1024;
/** About the most contact data one page of the change feed carries. */
export const MAX_CHANGES_PAGE_BYTES = 1024 * 1024;
/** The realm named in `WWW-Authenticate` on a 401. */
const REALM = 'callaro-sync';

/**
 * JSON with object keys sorted at every depth: the idempotency hash covers what a request means,
 * so the same batch sent with other whitespace or key order is the same request.
 */
export function canonicalJson(value: unknown): string {
	if (Array.isArray(value)) return `[${value.map(canonicalJson).join(',')}]`;
	if (value !== null && typeof value === 'object') {
		const entries = Object.keys(value)
			.sort()
			.filter((k) => (value as Record<string, unknown>)[k] !== undefined)
			.map((k) => `${JSON.stringify(k)}:${canonicalJson((value as Record<string, unknown>)[k])}`);
		return `{${entries.join(',')}}`;
	}
	return JSON.stringify(value);
}

/** A 413 answer naming the limit. */
function tooLarge(maxSize: number) {
	return bodyLimit({
		maxSize,
		onError: (c) =>
			c.json(
				{
					error: `The request body is larger than ${maxSize >= 1048576 ? `${Math.round(maxSize / 1048576)} MB` : `${Math.round(maxSize / 1024)} KB`}.`
				},
				413
			)
	});
}

export interface AppOptions {
	store: Store;
	/** The SYNC_TOKEN: the token of the default workspace's owner. */
	token: string;
	/** The ADMIN_TOKEN, which alone may create workspaces; without it there is no such route. */
	adminToken?: string;
	/**
	 * Each token's limit, or `false` (the default) for none. The server (index.ts) always passes
	 * one (RATE_LIMIT, default `DEFAULT_RATE_LIMIT`); an app made in process for tests has none,
	 * so a simulation that runs faster than any device is not slowed.
	 */
	rateLimit?: RateLimit | false;
	maxBodyBytes?: number;
	/**
	 * The live channel's streams and the signal that feeds them (live.ts). The server passes one
	 * over PostgreSQL's LISTEN/NOTIFY when processes share a database; by default, one process.
	 */
	live?: LiveHub;
}

/** What a member sees of the custom fields route it may not use (the app shows it as is). */
export const FIELDS_OWNERS_ONLY =
	"The custom field schema belongs to the workspace's owners: only an owner can define or change a custom field.";
/** What a member sees of the calling rules an owner sets. */
export const CALLING_HOURS_OWNERS_ONLY =
	"The calling hours belong to the workspace's owners: only an owner can change them.";
export const DNC_CLEAR_OWNERS_ONLY =
	"Only an owner can clear the workspace's do-not-call list (anyone can add numbers to it).";
/** The calling hours of a workspace that never set them (updatedAt 0: any set value wins). */
const DEFAULT_HOURS = { from: '08:00', to: '21:00', updatedAt: 0 };

/** What a member sees of the members routes. */
export const MEMBERS_OWNERS_ONLY =
	"Members are managed by the workspace's owners: only an owner can list, add or revoke members.";

/** The longest workspace or member name. */
export const MAX_NAME_LENGTH = 200;

/** `value` as a name (trimmed, 1 to MAX_NAME_LENGTH characters, no control characters), or undefined. */
export function parseName(value: unknown): string | undefined {
	if (typeof value !== 'string') return undefined;
	const name = value.trim();
	// eslint-disable-next-line no-control-regex
	if (name.length < 1 || name.length > MAX_NAME_LENGTH || /[\u0000-\u001f\u007f]/.test(name))
		return undefined;
	return name;
}

/** A member as the members routes show it. */
function shownMember(member: MemberInfo) {
	return { ...member, revoked: member.revokedAt !== null };
}

type Env = { Variables: { caller: Caller; data: WorkspaceStore; tokenHash: string } };

/**
 * Builds the app over a store, the default workspace owner's token (SYNC_TOKEN) and, optionally,
 * the admin token and the rate limit.
 */
export function createApp({
	store,
	token,
	adminToken,
	rateLimit = false,
	maxBodyBytes = MAX_BODY_BYTES,
	live = new LiveHub(createLocalSignal())
}: AppOptions) {
	const app = new Hono<Env>();
	// The SYNC_TOKEN is the default owner's one token from now on. Every authenticated request
	// waits for it to be stored; a failure there fails those requests (500), not the process.
	const syncTokenSet = store.setSyncTokenHash(hashToken(token));
	syncTokenSet.catch(() => undefined);
	const limiter = rateLimit ? createRateLimiter(rateLimit) : undefined;

	// Any origin may call: the API uses a bearer token, never cookies.
	app.use(
		'*',
		cors({
			origin: '*',
			allowMethods: ['GET', 'POST', 'PUT', 'DELETE', 'OPTIONS'],
			allowHeaders: ['Authorization', 'Content-Type', 'Idempotency-Key'],
			exposeHeaders: ['Retry-After'],
			maxAge: 600
		})
	);
	const unauthorized = (c: Context<Env>, given: boolean) => {
		c.header(
			'WWW-Authenticate',
			given ? `Bearer realm="${REALM}", error="invalid_token"` : `Bearer realm="${REALM}"`
		);
		return c.json({ error: 'Missing or invalid API token.' }, 401);
	};
	/** The request's bearer token (the scheme is case-insensitive, RFC 9110 §11.1), or ''. */
	const bearer = (c: Context<Env>) =>
		/^bearer\s+(\S+)\s*$/i.exec(c.req.header('Authorization') ?? '')?.[1] ?? '';
	/** A 429 when the token's bucket is empty (tokens.ts hashes: the limiter keeps no token). */
	const limited = (c: Context<Env>, tokenHash: string) => {
		const decision = limiter?.take(tokenHash) ?? { allowed: true };
		if (decision.allowed) return undefined;
		c.header('Retry-After', String(decision.retryAfterSeconds));
		return c.json(
			{
				error: `Too many requests with this token: retry after ${decision.retryAfterSeconds} s.`
			},
			429
		);
	};
	app.use('/v1/*', async (c, next) => {
		const given = bearer(c);
		if (c.req.path === '/v1/workspaces') {
			// The operator's route. Without ADMIN_TOKEN it is not there; with it, only that token.
			if (!adminToken) return c.json({ error: 'Not found.' }, 404);
			if (!given) return unauthorized(c, false);
			const refused = limited(c, hashToken(given));
			if (refused) return refused;
			if (!sameToken(given, adminToken)) return unauthorized(c, true);
			return next();
		}
		if (!given) return unauthorized(c, false);
		const tokenHash = hashToken(given);
		const refused = limited(c, tokenHash);
		if (refused) return refused;
		await syncTokenSet;
		const caller = await store.authenticate(tokenHash);
		if (!caller) return unauthorized(c, true);
		c.set('caller', caller);
		c.set('tokenHash', tokenHash);
		c.set('data', store.workspace(caller.workspaceId));
		await next();
	});
	// Every route has a body limit: the batch route and the do-not-call numbers (up to
	// DNC_ADD_MAX phones, about 170 KB) the batch's, every other one a small one.
	const batchLimit = tooLarge(maxBodyBytes);
	const smallLimit = tooLarge(MAX_SMALL_BODY_BYTES);
	app.use('/v1/*', (c, next) =>
		c.req.path === '/v1/contacts/batches' || c.req.path === '/v1/do-not-call'
			? batchLimit(c, next)
			: smallLimit(c, next)
	);

	app.post('/v1/contacts/batches', async (c) => {
		const key = c.req.header('Idempotency-Key');
		if (!key || key.length > 200)
			return c.json(
				{ error: 'An Idempotency-Key header (at most 200 characters) is required.' },
				400
			);
		const raw = await c.req.text();
		let json: unknown;
		try {
			json = JSON.parse(raw);
		} catch {
			return c.json({ error: 'The body is not valid JSON.' }, 400);
		}
		const parsed = contactBatchSchema.safeParse(json);
		if (!parsed.success)
			return c.json({ error: `Invalid batch: ${describeIssues(parsed.error)}` }, 400);
		// Each contact on its own: a refused one is reported and the others apply.
		const contacts: { contact: SyncContact }[] = [];
		const refused: RefusedContact[] = [];
		parsed.data.contacts.forEach((raw, index) => {
			const one = syncContactSchema.safeParse(raw);
			if (one.success) contacts.push({ contact: one.data });
			else {
				const phone = (raw as { phone?: unknown } | null)?.phone;
				refused.push({
					index,
					phone: typeof phone === 'string' ? phone.slice(0, 32) : '',
					reason: describeIssues(one.error)
				});
			}
		});
		const hash = createHash('sha256').update(canonicalJson(json)).digest('hex');
		const answer = await c.get('data').applyBatch(key, hash, parsed.data, contacts, refused);
		if (answer.replayed) c.header('Idempotent-Replayed', 'true');
		// Durable now: the workspace's other devices hear of it and pull.
		else if (answer.status === 200) live.signal.publish(c.get('caller').workspaceId);
		return c.json(answer.body as object, answer.status as 200 | 422);
	});

	app.put('/v1/custom-fields/:key', async (c) => {
		if (c.get('caller').role !== 'owner') return c.json({ error: FIELDS_OWNERS_ONLY }, 403);
		const key = c.req.param('key');
		if (!CUSTOM_FIELD_KEY_RE.test(key))
			return c.json({ error: `“${key}” is not a valid custom field key.` }, 400);
		const parsed = customFieldBodySchema.safeParse(await c.req.json().catch(() => null));
		if (!parsed.success)
			return c.json({ error: `Invalid field: ${describeIssues(parsed.error)}` }, 400);
		await c.get('data').putField({ key, ...parsed.data });
		live.signal.publish(c.get('caller').workspaceId);
		return c.json({ key, ...parsed.data });
	});

	app.get('/v1/calling-hours', async (c) =>
		c.json((await c.get('data').getCallingHours()) ?? DEFAULT_HOURS)
	);
	app.put('/v1/calling-hours', async (c) => {
		if (c.get('caller').role !== 'owner') return c.json({ error: CALLING_HOURS_OWNERS_ONLY }, 403);
		const parsed = callingHoursBodySchema.safeParse(await c.req.json().catch(() => null));
		if (!parsed.success)
			return c.json({ error: `Invalid calling hours: ${describeIssues(parsed.error)}` }, 400);
		const stored = await c.get('data').putCallingHours(parsed.data);
		live.signal.publish(c.get('caller').workspaceId);
		return c.json(stored);
	});

	app.post('/v1/do-not-call', async (c) => {
		const parsed = doNotCallAddSchema.safeParse(await c.req.json().catch(() => null));
		if (!parsed.success)
			return c.json({ error: `Invalid do-not-call numbers: ${describeIssues(parsed.error)}` }, 400);
		const answer = await c.get('data').addDoNotCall(parsed.data.phones);
		if (answer.added > 0) live.signal.publish(c.get('caller').workspaceId);
		return c.json(answer);
	});
	app.delete('/v1/do-not-call', async (c) => {
		if (c.get('caller').role !== 'owner') return c.json({ error: DNC_CLEAR_OWNERS_ONLY }, 403);
		await c.get('data').clearDoNotCall();
		live.signal.publish(c.get('caller').workspaceId);
		return c.json({ count: 0 });
	});
	app.get('/v1/do-not-call', async (c) => {
		const rawSince = c.req.query('since') ?? '0';
		if (!/^\d{1,15}$/.test(rawSince))
			return c.json({ error: 'since must be the next of an earlier page (a whole number).' }, 400);
		const rawLimit = c.req.query('limit') ?? '10000';
		if (!/^\d{1,5}$/.test(rawLimit) || Number(rawLimit) < 1 || Number(rawLimit) > DNC_PAGE_MAX)
			return c.json({ error: `limit must be a whole number from 1 to ${DNC_PAGE_MAX}.` }, 400);
		const page = await c.get('data').listDoNotCall(Number(rawSince), Number(rawLimit));
		return c.json({ ...page, feedId: c.get('caller').feedId });
	});

	// The live channel (live.ts): "the feed moved" events for the caller's workspace only.
	app.get('/v1/events', (c) => {
		const { workspaceId } = c.get('caller');
		const tokenHash = c.get('tokenHash');
		return live.open(
			workspaceId,
			async () => (await store.authenticate(tokenHash))?.workspaceId === workspaceId
		);
	});

	app.get('/v1/custom-fields', async (c) => c.json({ fields: await c.get('data').listFields() }));
	app.get('/v1/stats', async (c) => c.json(await c.get('data').stats()));
	app.get('/v1/contacts', async (c) => {
		const rawLimit = c.req.query('limit') ?? '100';
		if (!/^\d{1,4}$/.test(rawLimit) || Number(rawLimit) < 1 || Number(rawLimit) > 1000)
			return c.json({ error: 'limit must be a whole number from 1 to 1000.' }, 400);
		const limit = Number(rawLimit);
		const after = c.req.query('after') ?? '';
		if (after.length > 32)
			return c.json({ error: 'after must be a phone number from an earlier page.' }, 400);
		const contacts = await c.get('data').listContacts(limit, after);
		const last = contacts[contacts.length - 1] as { phone: string } | undefined;
		return c.json({ contacts, next: contacts.length === limit && last ? last.phone : null });
	});

	app.get('/v1/changes', async (c) => {
		const rawSince = c.req.query('since') ?? '0';
		if (!/^\d{1,15}$/.test(rawSince))
			return c.json(
				{ error: 'since must be a cursor from an earlier page (a whole number).' },
				400
			);
		const rawLimit = c.req.query('limit') ?? String(CHANGES_PAGE);
		if (!/^\d{1,5}$/.test(rawLimit) || Number(rawLimit) < 1 || Number(rawLimit) > MAX_CHANGES_PAGE)
			return c.json({ error: `limit must be a whole number from 1 to ${MAX_CHANGES_PAGE}.` }, 400);
		const count = c.req.query('count');
		if (count !== undefined && count !== '0' && count !== '1')
			return c.json({ error: 'count must be 0 or 1.' }, 400);
		const rawGen = c.req.query('gen');
		if (rawGen !== undefined && !/^\d{1,15}$/.test(rawGen))
			return c.json(
				{ error: 'gen must be the horizon gen of an earlier page (a whole number).' },
				400
			);
		const since = Number(rawSince);
		const listed = await c
			.get('data')
			.listChanges(
				since,
				Number(rawLimit),
				count === '1',
				rawGen === undefined ? undefined : Number(rawGen)
			);
		const { feedId, horizon } = listed;
		// The cursor is older than the history of deletes: a delete after it may be gone, so no
		// page from it is safe. The reader starts over from 0 (which always works).
		if (listed.expired)
			return c.json(
				{
					error: `This cursor (since=${since}) is older than the server's history of deletes: the server keeps deleted contacts for ${store.tombstoneDays} days, and deletes up to change ${horizon.seq} are no longer listed. Read the changes again from since=0 and send back what this device holds.`,
					horizon
				},
				410
			);
		// A page stops at about MAX_CHANGES_PAGE_BYTES (always at least one change), so that a page
		// of large contacts still downloads in one go on a poor connection; the changes left out
		// follow the page (and are counted as remaining when counted).
		let bytes = 0;
		let kept = 0;
		while (kept < listed.changes.length && (kept === 0 || bytes < MAX_CHANGES_PAGE_BYTES)) {
			bytes += Buffer.byteLength(JSON.stringify(listed.changes[kept]));
			kept++;
		}
		const changes = listed.changes.slice(0, kept);
		const cut = listed.changes.length - kept;
		const next = changes.length > 0 ? changes[changes.length - 1].seq : since;
		const more = listed.more || cut > 0;
		// Every page names its feed (a cursor, `since` or `next`, is a position in that feed only)
		// and its horizon (how far back its deletes reach).
		if (listed.remaining === undefined) return c.json({ feedId, horizon, changes, next, more });
		return c.json({ feedId, horizon, changes, next, more, remaining: listed.remaining + cut });
	});

	/** The body as JSON, or undefined when it is not JSON. */
	const jsonBody = async (c: Context<Env>): Promise<Record<string, unknown> | undefined> => {
		const value: unknown = await c.req.json().catch(() => undefined);
		return value !== null && typeof value === 'object' && !Array.isArray(value)
			? (value as Record<string, unknown>)
			: undefined;
	};
	const badName = (what: string) =>
		`${what} must be a name of 1 to ${MAX_NAME_LENGTH} characters (no control characters).`;

	app.post('/v1/workspaces', async (c) => {
		const body = await jsonBody(c);
		if (!body) return c.json({ error: 'The body must be a JSON object: { "name": "…" }.' }, 400);
		const name = parseName(body.name);
		if (!name) return c.json({ error: badName('name') }, 400);
		const ownerToken = newToken();
		const created = await store.createWorkspace(name, hashToken(ownerToken));
		return c.json({ workspaceId: created.workspaceId, name: created.name, ownerToken }, 201);
	});

	app.get('/v1/me', (c) => {
		const { workspaceId, workspaceName, memberId, memberName, role, feedId, rules } =
			c.get('caller');
		return c.json({ workspaceId, workspaceName, memberId, memberName, role, feedId, rules });
	});

	// Who contacts can be assigned to, for every member of the workspace: the live members' names
	// and roles, never their ids or tokens (managing members stays the owners'). The SYNC_TOKEN
	// owner is the server's own key, not a person, and is left out. `/v1/me` `rules.teamAt` says
	// when this list last changed.
	app.get('/v1/team', async (c) => {
		const members = await store.listMembers(c.get('caller').workspaceId);
		return c.json({
			members: members
				.filter((m) => m.revokedAt === null && m.memberId !== SYNC_TOKEN_MEMBER_ID)
				.map(({ name, role }) => ({ name, role })),
			teamAt: c.get('caller').rules.teamAt
		});
	});

	// The members routes are the owners'; a member gets a 403 before anything else is read.
	// (Hono's `/v1/members/*` matches `/v1/members` too.)
	app.use('/v1/members/*', async (c, next) => {
		if (c.get('caller').role !== 'owner') return c.json({ error: MEMBERS_OWNERS_ONLY }, 403);
		await next();
	});
	app.post('/v1/members', async (c) => {
		const body = await jsonBody(c);
		if (!body)
			return c.json(
				{ error: 'The body must be a JSON object: { "name": "…", "role": "member" }.' },
				400
			);
		const name = parseName(body.name);
		if (!name) return c.json({ error: badName('name') }, 400);
		const role = body.role ?? 'member';
		if (role !== 'owner' && role !== 'member')
			return c.json({ error: 'role must be "owner" or "member".' }, 400);
		const memberToken = newToken();
		const member = await store.addMember(
			c.get('caller').workspaceId,
			name,
			role as Role,
			hashToken(memberToken)
		);
		return c.json({ memberId: member.memberId, token: memberToken }, 201);
	});
	app.get('/v1/members', async (c) =>
		c.json({
			members: (await store.listMembers(c.get('caller').workspaceId)).map(shownMember)
		})
	);
	app.delete('/v1/members/:memberId', async (c) => {
		const outcome = await store.revokeMember(c.get('caller').workspaceId, c.req.param('memberId'));
		switch (outcome.kind) {
			case 'revoked':
				return c.json(shownMember(outcome.member));
			case 'not-found':
				return c.json({ error: 'No such member.' }, 404);
			case 'last-owner':
				return c.json(
					{
						error:
							'This is the workspace’s last active owner: add another owner before revoking this one.'
					},
					409
				);
			case 'sync-token':
				return c.json(
					{
						error:
							'This owner is the server’s SYNC_TOKEN: it is replaced by changing SYNC_TOKEN and restarting the server, not revoked here.'
					},
					409
				);
		}
	});

	app.notFound((c) => c.json({ error: 'Not found.' }, 404));
	// The detail goes to the server's log, never to the client (it can hold SQL or paths).
	app.onError((error, c) => {
		console.error(`${c.req.method} ${c.req.path} failed:`, error);
		return c.json({ error: 'Internal server error.' }, 500);
	});
	return app;
}
