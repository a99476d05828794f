/**
 * The sync contract, as zod schemas shared by the app and the reference server: the same
 * rules validate what the app sends and what the server accepts.
 */
import { z } from 'zod';

// No eval-compiled validators: the app runs under a CSP without 'unsafe-eval'.
z.config({ jitless: true });
import { CUSTOM_FIELD_KEY_RE } from '../domain/fields';

const text = (max: number) => z.string().max(max);

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
	{ message: 'custom keys must match ^[a-z][a-z0-9_]{0,62}$ and values must be strings' }
);

export const syncContactSchema = z.object({
	phone: z.string().regex(/^\+[1-9]\d{5,14}$/, 'phone must be E.164, e.g. +14155550123'),
	firstName: text(500).optional(),
	lastName: text(500).optional(),
	email: text(500).optional(),
	company: text(500).optional(),
	timezone: text(100).optional(),
	tags: z.array(text(200)).max(500).default([]),
	custom: customValues.default({}),
	updatedAt: z.number().int().nonnegative().optional()
});

export type SyncContact = z.infer<typeof syncContactSchema>;

export const MAX_BATCH_CONTACTS = 10_000;

export const contactBatchSchema = z.object({
	batchId: z.string().min(1).max(200),
	importId: z.string().min(1).max(200),
	contacts: z.array(syncContactSchema).max(MAX_BATCH_CONTACTS)
});

export type ContactBatch = z.infer<typeof contactBatchSchema>;

export const customFieldBodySchema = z.object({
	label: z.string().trim().min(1).max(200),
	type: z.literal('text').default('text')
});

export const customFieldSchema = customFieldBodySchema.extend({
	key: z.string().regex(CUSTOM_FIELD_KEY_RE)
});

export type RemoteCustomField = z.infer<typeof customFieldSchema>;

export const customFieldListSchema = z.object({ fields: z.array(customFieldSchema) });

export const statsSchema = z.object({ contacts: z.number(), batches: z.number() });

/** The server's answer to an accepted batch (stored and replayed for a repeated key). */
export interface BatchAck {
	batchId: string;
	importId: string;
	accepted: number;
}

/** A readable one-line summary of a zod error, for 400 answers. */
export function describeIssues(error: z.ZodError): string {
	return error.issues
		.slice(0, 5)
		.map((i) => `${i.path.join('.') || 'body'}: ${i.message}`)
		.join('; ');
}
