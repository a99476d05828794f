import { describe, expect, it } from 'vitest';
import { mappingBlockers, unmappedColumns } from './mapping';

describe('mappingBlockers', () => {
	const headers = ['Phone', 'Mobile', 'Email', 'Notes'];

	it('is empty for a good mapping', () => {
		expect(mappingBlockers(headers, ['phone', 'skip', 'email', ''], [])).toEqual([]);
	});

	it('names the target and both columns of a duplicate', () => {
		const blockers = mappingBlockers(headers, ['phone', 'phone', 'email', ''], []);
		expect(blockers).toHaveLength(1);
		expect(blockers[0].kind).toBe('duplicate_target');
		expect(blockers[0].message).toContain('“Phone”');
		expect(blockers[0].message).toContain('“Mobile”');
		expect(blockers[0].message).toContain('Phone.');
	});

	it('blocks a mapping without phone', () => {
		const blockers = mappingBlockers(headers, ['', 'skip', 'email', ''], []);
		expect(blockers.map((b) => b.kind)).toEqual(['no_phone']);
	});

	it('blocks a deleted custom field', () => {
		const blockers = mappingBlockers(headers, ['phone', '', '', 'cf:gone'], []);
		expect(blockers.map((b) => b.kind)).toEqual(['unknown_custom_field']);
	});
});

describe('unmappedColumns', () => {
	it('lists not-mapped columns but not skipped ones', () => {
		expect(unmappedColumns(['A', 'B', 'C'], ['phone', 'skip', ''])).toEqual(['C']);
	});
});
