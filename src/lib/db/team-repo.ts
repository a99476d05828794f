/**
 * The workspace's team as this device last read it (`GET /v1/team`): the names contacts can be
 * owned by, which Review suggests for an owner column's values. One settings record, with the
 * backend's `teamAt`, so that a sync reads the team again only when it changed.
 */
import type { CallaroDb } from './database';

export const TEAM_KEY = 'team';

export interface StoredTeam {
	names: string[];
	/** The backend's `teamAt` when the names were read. */
	teamAt: number;
}

const NO_TEAM: StoredTeam = { names: [], teamAt: -1 };

export async function readTeam(db: CallaroDb): Promise<StoredTeam> {
	const value = (await db.settings.get(TEAM_KEY))?.value as Partial<StoredTeam> | undefined;
	if (!value || !Array.isArray(value.names)) return NO_TEAM;
	return {
		names: value.names.filter((n): n is string => typeof n === 'string'),
		teamAt: Number(value.teamAt)
	};
}

export async function saveTeam(db: CallaroDb, team: StoredTeam): Promise<void> {
	await db.settings.put({ key: TEAM_KEY, value: { names: [...team.names], teamAt: team.teamAt } });
}
