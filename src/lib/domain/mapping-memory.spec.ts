import { describe, expect, it } from 'vitest';
import {
	applySavedMapping,
	headerSignature,
	mappingByHeader,
	valuesByHeader
} from './mapping-memory';

describe('headerSignature', () => {
	it('ignores order, case and punctuation', () => {
		expect(headerSignature(['Phone', 'E-mail'])).toBe(headerSignature(['email', 'PHONE']));
		expect(headerSignature(['Phone'])).not.toBe(headerSignature(['Phone', 'Email']));
	});
});

describe('applySavedMapping', () => {
	const fields = [{ key: 'region', label: 'Region', type: 'text' as const, createdAt: 0 }];
	const saved = mappingByHeader(
		['Tel', 'Region', 'Notes', 'Fax'],
		['phone', 'cf:region', 'skip', 'cf:gone']
	);

	it('applies saved targets by header and reports saved columns the file lacks', () => {
		const result = applySavedMapping(['notes', 'TEL', 'Extra'], saved, fields, ['', '', 'email']);
		expect(result.mapping).toEqual(['skip', 'phone', 'email']);
		expect(result.missing).toEqual(['Region', 'Fax']);
	});

	it('drops targets of deleted custom fields and never maps a target twice', () => {
		const result = applySavedMapping(['Fax', 'Region', 'Mobile'], saved, fields, ['', '', 'phone']);
		expect(result.mapping).toEqual(['', 'cf:region', 'phone']);
		const twice = applySavedMapping(['Tel', 'Mobile'], saved, fields, ['', 'phone']);
		expect(twice.mapping).toEqual(['phone', '']);
	});

	it('keeps __proto__ as an ordinary header', () => {
		const s = mappingByHeader(['__proto__', 'Phone'], ['cf:region', 'phone']);
		expect(applySavedMapping(['Phone', '__proto__'], s, fields).mapping).toEqual([
			'phone',
			'cf:region'
		]);
		expect(({} as Record<string, unknown>).region).toBeUndefined();
	});
});

describe('valuesByHeader', () => {
	it('keeps the value mappings among the fixes, by their column’s header', () => {
		expect(
			valuesByHeader(
				['Phone', 'Zone', 'Tags'],
				[
					{ kind: 'values', column: 1, map: [['EST', 'America/New_York']] },
					{ kind: 'replace', column: 0 },
					{ kind: 'values', column: 2, map: [['vip', 'VIP']] },
					{ kind: 'values', column: 7, map: [['x', 'y']] }
				]
			)
		).toEqual({ Zone: [['EST', 'America/New_York']], Tags: [['vip', 'VIP']] });
	});
});
