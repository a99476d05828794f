import { describe, expect, it } from 'vitest';
import { templateCsv } from './template';

describe('templateCsv', () => {
	it('lists standard fields then custom keys', () => {
		expect(
			templateCsv([{ key: 'lead_source', label: 'Lead Source', type: 'text', createdAt: 0 }])
		).toBe('phone,first_name,last_name,email,company,tags,timezone,owner,lead_source\r\n');
	});

	it('has no column for what is derived from the phone', () => {
		expect(templateCsv([])).not.toMatch(/phone_type/);
	});
});
