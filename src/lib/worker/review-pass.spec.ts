import { describe, expect, it } from 'vitest';
import { reviewFile } from './review-pass';
import { threeContacts } from '$support/test-db';

const CSV = [
	'phone,name,tz',
	'+1 212 555 0123,NY,',
	'+1 850 555 0123,Panhandle,',
	'+44 7400 123456,UK mobile,',
	'+44 161 234 5678,UK landline,Europe/Paris',
	'+1 800 555 0123,Toll-free,',
	'+14155550101,Ada (exists),',
	'+442079460958,Cy (exists),Mars/Olympus'
].join('\n');

describe('reviewFile: phone kinds and zones', () => {
	it('counts kinds and zones of valid rows, and of those matching existing contacts apart', async () => {
		const db = await threeContacts();
		const s = await reviewFile(
			db,
			new Blob([CSV]),
			{
				parse: { encoding: 'utf-8', delimiter: ',', newline: '\n', headerRow: 1 },
				headers: ['phone', 'name', 'tz'],
				mapping: ['phone', 'first_name', 'timezone'],
				defaultCountry: 'US'
			},
			() => undefined,
			() => false
		);
		expect(s).not.toBeNull();
		expect(s!.problems.map((p) => p.kind)).toEqual(['invalid_timezone']);
		expect(s!.validRows).toBe(7);
		expect(s!.existingMatches).toBe(2);
		expect(s!.calling).toEqual({
			kinds: { mobile: 1, landline: 2, voip: 0, toll_free: 1, unknown: 3 },
			// Every row but the two naming a zone (Europe/Paris, and the unknown Mars/Olympus).
			zoneMissing: 5,
			// New York, the UK mobile and San Francisco; the panhandle and toll-free stay empty.
			zoneFromPhone: 3,
			zones: {
				// Mars/Olympus is not a zone: a warning, and no zone of its own.
				own: { 'Europe/Paris': 1 },
				phone: { 'America/New_York': 1, 'Europe/London': 1, 'America/Los_Angeles': 1 }
			}
		});
		expect(s!.callingExisting).toEqual({
			kinds: { mobile: 0, landline: 1, voip: 0, toll_free: 0, unknown: 1 },
			zoneMissing: 1,
			zoneFromPhone: 1,
			zones: { own: {}, phone: { 'America/Los_Angeles': 1 } }
		});
	});
});
