import { describe, expect, it } from 'vitest';
import { blockerMessage, conditionIssueLabel, describeFix } from './field-labels';

// In English (the base language the specs run in) the words are the UI contract's.
describe('field labels', () => {
	it('describes fixes', () => {
		expect(describeFix({ kind: 'cell', row: 10, column: 0, value: '+1' }, ['Phone'])).toBe(
			'Row 10, “Phone” set to “+1”'
		);
		expect(describeFix({ kind: 'trim', column: 2 }, ['Phone'])).toBe(
			'Spaces trimmed in “Column 3”'
		);
		const map: [string, string][] = [
			['a', 'A'],
			['b', 'B'],
			['c', 'C'],
			['d', 'D']
		];
		expect(describeFix({ kind: 'values', column: 0, tags: false, map }, ['Tier'])).toBe(
			'Values of “Tier” mapped: “a” → “A”, “b” → “B”, “c” → “C” and 1 more'
		);
	});

	it('words mapping blockers and condition problems', () => {
		expect(
			blockerMessage(
				{ kind: 'duplicate_target', target: 'phone', columns: ['A', 'B', 'C'], message: '' },
				[]
			)
		).toBe('“A”, “B” and “C” are all mapped to Phone. Map only one column to each field.');
		expect(conditionIssueLabel('operator', { field: 'local_time', operator: 'contains' })).toBe(
			'“contains” does not apply to local_time.'
		);
	});
});
