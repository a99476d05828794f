import { describe, expect, it } from 'vitest';
import { Patch } from './fixes';
import { DistinctValues, MAX_DISTINCT, mapCell, suggestValues, suggestZone } from './value-map';

describe('value mapping', () => {
	it('collects distinct values per eligible column, tags one by one, and drops a column past the cap', () => {
		const distinct = new DistinctValues(['phone', 'timezone', 'tags', 'first_name', 'cf:source']);
		distinct.add(['+1', 'EST', 'VIP; west', 'Ada', 'x0']);
		distinct.add(['+2', 'EST', 'vip', 'Bob', 'x1']);
		distinct.add(['+3', ' PST ', '', 'Cy', 'x2']);
		for (let i = 3; i <= MAX_DISTINCT; i++) distinct.add(['', '', '', '', `x${i}`]);
		expect(distinct.result()).toEqual([
			{
				column: 1,
				values: [
					['EST', 2],
					['PST', 1]
				]
			},
			{
				column: 2,
				values: [
					['VIP', 1],
					['vip', 1],
					['west', 1]
				]
			}
		]);
	});

	it('suggests zones for abbreviations, names and cities; IANA EST is not Eastern time', () => {
		expect(suggestZone('EST')).toBe('America/New_York');
		expect(suggestZone('pst')).toBe('America/Los_Angeles');
		expect(suggestZone('CET')).toBe('Europe/Paris');
		expect(suggestZone('Eastern')).toBe('America/New_York');
		expect(suggestZone('New York')).toBe('America/New_York');
		expect(suggestZone('tokyo')).toBe('Asia/Tokyo');
		expect(suggestZone('US/Pacific')).toBe('America/Los_Angeles');
		expect(suggestZone('Mars')).toBeNull();
		const zones = suggestValues('timezone', [
			['EST', 3],
			['America/Chicago', 1]
		]);
		expect([...zones]).toEqual([['EST', 'America/New_York']]);
	});

	it('groups spelling variants under the most frequent one, or a known value', () => {
		const tags = suggestValues('tags', [
			['VIP', 5],
			['vip', 2],
			['V.I.P', 1],
			['Lead', 1]
		]);
		expect([...tags]).toEqual([
			['vip', 'VIP'],
			['V.I.P', 'VIP']
		]);
		const owners = suggestValues('owner', [['ana lopez', 2]], ['Ana López']);
		expect([...owners]).toEqual([['ana lopez', 'Ana López']]);
	});

	it('suggests team members for owner names: by name, email local part, either order, or a unique first name', () => {
		const team = ['ana.ruiz@acme.com', 'Ben Okafor', 'ben.smith@acme.com', 'Chris'];
		const owners = suggestValues(
			'owner',
			[
				['Ana Ruiz', 4],
				['ruiz, ana', 1],
				['ANA', 1],
				['ben okafor', 2],
				// Two members are called Ben: "Ben" alone names neither.
				['Ben', 1],
				['Zoe', 1],
				['ana.ruiz@acme.com', 1]
			],
			team
		);
		expect(Object.fromEntries(owners)).toEqual({
			'Ana Ruiz': 'ana.ruiz@acme.com',
			'ruiz, ana': 'ana.ruiz@acme.com',
			ANA: 'ana.ruiz@acme.com',
			'ben okafor': 'Ben Okafor'
		});
	});

	it('applies a value rule as the import streams: whole cells, or each tag', () => {
		expect(mapCell(' EST ', new Map([['EST', 'America/New_York']]), false)).toBe(
			'America/New_York'
		);
		expect(mapCell('vip; Lead', new Map([['vip', 'VIP']]), true)).toBe('VIP, Lead');
		expect(mapCell('Lead', new Map([['vip', 'VIP']]), true)).toBe('Lead');
		const patch = new Patch([
			{ kind: 'values', column: 1, tags: false, map: [['CET', 'Europe/Paris']] }
		]);
		expect(patch.apply(2, ['+1', 'CET'])).toEqual({
			cells: ['+1', 'Europe/Paris'],
			skipped: false,
			changed: true
		});
		expect(patch.apply(3, ['+1', 'UTC']).changed).toBe(false);
	});
});
