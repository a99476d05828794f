/**
 * The reference sync backend (the sync contract in src/lib/sync/protocol.ts) as a Hono app, so tests call it in-process and
 * `server/index.ts` serves it over HTTP.
 */
import { createHash, timingSafeEqual } from 'node:crypto';
import { Hono } from 'hono';
import { bodyLimit } from 'hono/body-limit';
import { cors } from 'hono/cors';
import {
	contactBatchSchema,
	customFieldBodySchema,
	describeIssues
} from '../src/lib/sync/protocol';
import { CUSTOM_FIELD_KEY_RE } from '../src/lib/domain/fields';
import type { Store } from './store';

export const MAX_BODY_BYTES = 10 * 1024 * 1024;

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
		const match = /^Bearer (.+)$/.exec(header);
		if (!match || !sameToken(match[1], token)) {
			return c.json({ error: 'Missing or invalid API token.' }, 401);
		}
		await next();
	});

	app.post(
		'/v1/contacts/batches',
		bodyLimit({
			maxSize: maxBodyBytes,
			onError: (c) =>
				c.json(
					{ error: `The request body is larger than ${Math.round(maxBodyBytes / 1048576)} MB.` },
					413
				)
		}),
		async (c) => {
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
			const hash = createHash('sha256').update(raw).digest('hex');
			const answer = store.applyBatch(key, hash, parsed.data);
			if (answer.replayed) c.header('Idempotent-Replayed', 'true');
			return c.json(answer.body as object, answer.status as 200 | 422);
		}
	);

	app.put('/v1/custom-fields/:key', async (c) => {
		const key = c.req.param('key');
		if (!CUSTOM_FIELD_KEY_RE.test(key))
			return c.json({ error: `“${key}” is not a valid custom field key.` }, 400);
		const parsed = customFieldBodySchema.safeParse(await c.req.json().catch(() => null));
		if (!parsed.success)
			return c.json({ error: `Invalid field: ${describeIssues(parsed.error)}` }, 400);
		store.putField({ key, ...parsed.data });
		return c.json({ key, ...parsed.data });
	});

	app.get('/v1/custom-fields', (c) => c.json({ fields: store.listFields() }));
	app.get('/v1/stats', (c) => c.json(store.stats()));
	app.get('/v1/contacts', (c) => {
		const limit = Math.min(1000, Math.max(1, Number(c.req.query('limit') ?? 100) || 100));
		const after = c.req.query('after') ?? '';
		const contacts = store.listContacts(limit, after);
		const last = contacts[contacts.length - 1] as { phone: string } | undefined;
		return c.json({ contacts, next: contacts.length === limit && last ? last.phone : null });
	});

	app.notFound((c) => c.json({ error: 'Not found.' }, 404));
	app.onError((error, c) => c.json({ error: `Server error: ${error.message}` }, 500));
	return app;
}
