/**
 * The workspace's calling hours as this device keeps them: one settings record, with the time of
 * its last change (the newer of two versions wins when it syncs).
 */
import {
	callingHoursProblem,
	DEFAULT_CALLING_HOURS,
	type CallingHours
} from '$lib/domain/calling-hours';
import type { CallaroDb } from './database';

export const CALLING_HOURS_KEY = 'callingHours';

export interface StoredCallingHours extends CallingHours {
	/** When they were last changed (ms); 0 for the defaults, which any set value replaces. */
	updatedAt: number;
}

/** The stored calling hours, or the defaults when none (or an unreadable record) is stored. */
export async function getCallingHours(db: CallaroDb): Promise<StoredCallingHours> {
	const value = (await db.settings.get(CALLING_HOURS_KEY))?.value as
		Partial<StoredCallingHours> | undefined;
	if (
		value &&
		typeof value.from === 'string' &&
		typeof value.to === 'string' &&
		callingHoursProblem({ from: value.from, to: value.to }) === null
	)
		return { from: value.from, to: value.to, updatedAt: Number(value.updatedAt) || 0 };
	return { ...DEFAULT_CALLING_HOURS, updatedAt: 0 };
}

/** Saves the calling hours; refuses a window that is not one, with the reason. */
export async function setCallingHours(
	db: CallaroDb,
	hours: CallingHours,
	now = Date.now()
): Promise<StoredCallingHours> {
	const problem = callingHoursProblem(hours);
	if (problem) throw new Error(problem);
	const stored = { from: hours.from, to: hours.to, updatedAt: now };
	await db.settings.put({ key: CALLING_HOURS_KEY, value: stored });
	return stored;
}

/** Stores calling hours as the workspace holds them, with the time that wrote them (a sync). */
export async function saveCallingHours(db: CallaroDb, hours: StoredCallingHours): Promise<void> {
	const problem = callingHoursProblem(hours);
	if (problem) throw new Error(problem);
	await db.settings.put({
		key: CALLING_HOURS_KEY,
		value: { from: hours.from, to: hours.to, updatedAt: hours.updatedAt }
	});
}
