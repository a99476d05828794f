import { describe, expect, it } from 'vitest';
import { ENGLISH_REPORT } from './report-words';

describe('the error report’s English words', () => {
	it('are the headers, kinds and severities tools reading the report expect', () => {
		expect(ENGLISH_REPORT.headers).toEqual([
			'row',
			'kind',
			'severity',
			'column',
			'value',
			'reason'
		]);
		expect(ENGLISH_REPORT.original('Phone')).toBe('original: Phone');
		expect(ENGLISH_REPORT.fixed('Phone')).toBe('fixed: Phone');
		expect(ENGLISH_REPORT.kind('do_not_call')).toBe('On the do-not-call list');
		expect(ENGLISH_REPORT.severity('warning')).toBe('warning');
	});
});
