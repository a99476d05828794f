/**
 * The wire shapes of a workspace's calling rules, shared by the app and the reference backend:
 * the calling hours (one value, the newer write wins) and the do-not-call list (phones added, and
 * cleared, read by a device from the list's sequence it holds).
 *
 * - `GET /v1/calling-hours` answers `CallingHoursBody` (`updatedAt` 0: never set, the defaults);
 *   `PUT /v1/calling-hours` (owners) with one writes it when it is newer than the stored one and
 *   answers the stored one after.
 * - `POST /v1/do-not-call` with `{ phones }` (owners and members: anyone may take a number off
 *   the calls) adds them, answering `{ added, count }`; `DELETE /v1/do-not-call` (owners) clears
 *   the list.
 * - `GET /v1/do-not-call?since=&limit=` answers a `DoNotCallPage`: the phones added after list
 *   sequence `since`, in order; `cleared` when the list was cleared after `since` (the reader
 *   drops its copy first); `feedId`, the workspace feed's id, which names the database the
 *   sequence belongs to.
 * - `GET /v1/team` (anyone in the workspace) answers a `TeamBody`: the live members' names and
 *   roles, whom contacts can be owned by, and `teamAt`, the latest time a member was added or
 *   revoked (`/v1/me` `rules.teamAt` carries it too, so a device reads the team only when it moved).
 */
import { z } from 'zod';

const E164 = /^\+[1-9]\d{5,14}$/;
const HH_MM = /^([01]\d|2[0-3]):[0-5]\d$/;

/** Phones per add request, and per page read, at most. */
export const DNC_ADD_MAX = 10_000;
export const DNC_PAGE_MAX = 50_000;

export const callingHoursBodySchema = z
	.object({
		from: z.string().regex(HH_MM, 'from must be a time like 08:00'),
		to: z.string().regex(HH_MM, 'to must be a time like 21:00'),
		updatedAt: z.number().int().nonnegative()
	})
	.refine((h) => h.from !== h.to, 'from and to must differ (equal ends allow no calls at all)');

export type CallingHoursBody = z.infer<typeof callingHoursBodySchema>;

export const doNotCallAddSchema = z.object({
	phones: z
		.array(z.string().regex(E164, 'each phone must be E.164, e.g. +14155550123'))
		.min(1)
		.max(DNC_ADD_MAX)
});

export const doNotCallPageSchema = z.object({
	phones: z.array(z.string().regex(E164)),
	next: z.number().int().nonnegative(),
	more: z.boolean(),
	cleared: z.boolean(),
	count: z.number().int().nonnegative(),
	feedId: z.string().min(1).optional()
});

export type DoNotCallPage = z.infer<typeof doNotCallPageSchema>;

export const teamBodySchema = z.object({
	members: z.array(z.object({ name: z.string(), role: z.enum(['owner', 'member']) }).loose()),
	teamAt: z.number().int().nonnegative()
});

export type TeamBody = z.infer<typeof teamBodySchema>;
