/**
 * Reference answers the shipped fast paths are tested against: each states a rule the plain way,
 * one value at a time, so that a spec can compare the optimised code with it on generated input.
 */
import { z } from 'zod';
import { customValue, type Contact } from '$lib/domain/contact';
import { customKeyOf } from '$lib/domain/fields';
import { phoneKindOf } from '$lib/domain/phone-kind';
import type { Condition, SegmentClock, SegmentDefinition } from '$lib/domain/segments';
import { inWindow, localMinute, parseWindow, withinCallingHours } from '$lib/domain/calling-hours';

// The app's own zod setting (it runs under a CSP without 'unsafe-eval').
z.config({ jitless: true });
const emailSchema = z.email();

/** Whether zod's email schema accepts `email` (what `normalizeEmail` must accept, exactly). */
export function zodAcceptsEmail(email: string): boolean {
	return emailSchema.safeParse(email).success;
}

const SCALAR_OF: Record<string, keyof Contact> = {
	phone: 'phone',
	first_name: 'firstName',
	last_name: 'lastName',
	email: 'email',
	company: 'company',
	timezone: 'timezone',
	owner: 'owner'
};

/** The values a condition looks at: one string, or the tags. */
function valuesOf(contact: Contact, field: string): readonly string[] {
	if (field === 'tags') return contact.tags ?? [];
	if (field === 'phone_type') return [phoneKindOf(contact.phone)];
	const key = customKeyOf(field);
	if (key !== null) {
		const v = customValue(contact, key);
		return v ? [v] : [];
	}
	const v = contact[SCALAR_OF[field]];
	return typeof v === 'string' && v !== '' ? [v] : [];
}

/**
 * Whether one condition holds for one contact: the rule the contact index's counts must match
 * exactly.
 */
export function matchesCondition(
	contact: Contact,
	c: Condition,
	clock?: SegmentClock,
	doNotCall: ReadonlySet<string> = new Set()
): boolean {
	if (c.field === 'do_not_call') {
		const yes = c.value.trim().toLowerCase() === 'yes';
		return (c.operator === 'equals') === (doNotCall.has(contact.phone) === yes);
	}
	if (c.field === 'callable_now') {
		const callable =
			!!clock &&
			!doNotCall.has(contact.phone) &&
			withinCallingHours(contact.timezone, clock.now, clock.hours);
		const yes = c.value.trim().toLowerCase() === 'yes';
		return (c.operator === 'equals') === (callable === yes);
	}
	if (c.field === 'local_time') {
		const window = parseWindow(c.value);
		const minute = clock ? localMinute(contact.timezone, clock.now) : null;
		return window !== null && minute !== null && inWindow(minute, window);
	}
	const values = valuesOf(contact, c.field).map((v) => v.toLowerCase());
	const q = c.value.trim().toLowerCase();
	switch (c.operator) {
		case 'is_empty':
			return values.length === 0;
		case 'is_not_empty':
			return values.length > 0;
		case 'equals':
			return values.some((v) => v === q);
		case 'not_equals':
			return !values.some((v) => v === q);
		case 'contains':
			return values.some((v) => v.includes(q));
		case 'starts_with':
			return values.some((v) => v.startsWith(q));
		case 'has_tag':
			return (contact.tags ?? []).some((t) => t.toLowerCase() === q);
		case 'between':
			return false;
	}
}

/** Whether a contact is in the segment (any group whose conditions all hold). */
export function matchesSegment(
	contact: Contact,
	def: SegmentDefinition,
	clock?: SegmentClock,
	doNotCall?: ReadonlySet<string>
): boolean {
	return def.groups.some((group) =>
		group.every((c) => matchesCondition(contact, c, clock, doNotCall))
	);
}
