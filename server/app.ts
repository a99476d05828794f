/**
 * The reference sync backend (the sync contract in src/lib/protocol/sync.ts) as a Hono app, so tests call it in-process and
 * `server/index.ts` serves it over HTTP.
 */
import { createHash, timingSafeEqual } from 'node:crypto';
import { Hono } from 'hono';
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
import type { Store } from './store';

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
	token: string;
	maxBodyBytes?: number;
}

function sameToken(given: string, expected: string): boolean {
	const a = createHash('sha256').update(given).digest();
	const b = createHash('sha256').update(expected).digest();
	return timingSafeEqual(a, b);
}

/** Builds the app over a store and a bearer token. */
export function createApp({ store, token, maxBodyBytes = MAX_BODY_BYTES }: AppOptions) {
	const app = new Hono();
	// Any origin may call: the API uses a bearer token, never cookies.
	app.use(
		'*',
		cors({
			origin: '*',
			allowMethods: ['GET', 'POST', 'PUT', 'OPTIONS'],
			allowHeaders: ['Authorization', 'Content-Type', 'Idempotency-Key'],
			exposeHeaders: ['Retry-After'],
			maxAge: 600
		})
	);
	app.use('/v1/*', async (c, next) => {
		const header = c.req.header('Authorization') ?? '';
		// The auth scheme is case-insensitive (RFC 9110 §11.1).
		const match = /^bearer\s+(\S+)\s*$/i.exec(header);
		if (!match || !sameToken(match[1], token)) {
			c.header(
				'WWW-Authenticate',
				match ? `Bearer realm="${REALM}", error="invalid_token"` : `Bearer realm="${REALM}"`
			);
			return c.json({ error: 'Missing or invalid API token.' }, 401);
		}
		await next();
	});
	// Every route has a body limit: the batch route its own, every other one a small one.
	const batchLimit = tooLarge(maxBodyBytes);
	const smallLimit = tooLarge(MAX_SMALL_BODY_BYTES);
	app.use('/v1/*', (c, next) =>
		c.req.path === '/v1/contacts/batches' ? batchLimit(c, next) : smallLimit(c, next)
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
		const answer = await store.applyBatch(key, hash, parsed.data, contacts, refused);
		if (answer.replayed) c.header('Idempotent-Replayed', 'true');
		return c.json(answer.body as object, answer.status as 200 | 422);
	});

	app.put('/v1/custom-fields/:key', async (c) => {
		const key = c.req.param('key');
		if (!CUSTOM_FIELD_KEY_RE.test(key))
			return c.json({ error: `“${key}” is not a valid custom field key.` }, 400);
		const parsed = customFieldBodySchema.safeParse(await c.req.json().catch(() => null));
		if (!parsed.success)
			return c.json({ error: `Invalid field: ${describeIssues(parsed.error)}` }, 400);
		await store.putField({ key, ...parsed.data });
		return c.json({ key, ...parsed.data });
	});

	app.get('/v1/custom-fields', async (c) => c.json({ fields: await store.listFields() }));
	app.get('/v1/stats', async (c) => c.json(await store.stats()));
	app.get('/v1/contacts', async (c) => {
		const rawLimit = c.req.query('limit') ?? '100';
		if (!/^\d{1,4}$/.test(rawLimit) || Number(rawLimit) < 1 || Number(rawLimit) > 1000)
			return c.json({ error: 'limit must be a whole number from 1 to 1000.' }, 400);
		const limit = Number(rawLimit);
		const after = c.req.query('after') ?? '';
		if (after.length > 32)
			return c.json({ error: 'after must be a phone number from an earlier page.' }, 400);
		const contacts = await store.listContacts(limit, after);
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
		const since = Number(rawSince);
		const listed = await store.listChanges(since, Number(rawLimit), count === '1');
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
		if (listed.remaining === undefined) return c.json({ changes, next, more });
		return c.json({ changes, next, more, remaining: listed.remaining + cut });
	});

	app.notFound((c) => c.json({ error: 'Not found.' }, 404));
	// The detail goes to the server's log, never to the client (it can hold SQL or paths).
	app.onError((error, c) => {
		console.error(`${c.req.method} ${c.req.path} failed:`, error);
		return c.json({ error: 'Internal server error.' }, 500);
	});
	return app;
}
