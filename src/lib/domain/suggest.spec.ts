import { describe, expect, it } from 'vitest';
import { normalizeHeader, standardFieldForHeader, suggestMapping } from './suggest';

describe('standardFieldForHeader', () => {
	const families: Record<string, string[]> = {
		phone: [
			'phone',
			'Phone Number',
			'mobile',
			'Mobile Phone',
			'cell',
			'Telephone',
			'TEL',
			'Phone 1 - Value',
			'phone_number'
		],
		first_name: ['First Name', 'firstname', 'Given Name', 'forename', 'first_name'],
		last_name: ['Last Name', 'lastname', 'Surname', 'Family Name'],
		email: ['Email', 'e-mail', 'Email Address', 'E-mail 1 - Value', 'E-mail Address'],
		company: ['Company', 'Organization', 'organisation', 'Organization Name', 'Account'],
		tags: ['Tags', 'Labels', 'Categories', 'Groups'],
		timezone: ['timezone', 'Time Zone', 'TZ']
	};
	for (const [field, headers] of Object.entries(families)) {
		it.each(headers)(`%s → ${field}`, (header) => {
			expect(standardFieldForHeader(header)).toBe(field);
		});
	}

	it('does not guess for unknown headers', () => {
		expect(standardFieldForHeader('Lead Source')).toBeNull();
		expect(standardFieldForHeader('')).toBeNull();
	});
});

describe('normalizeHeader', () => {
	it('folds case, accents, spaces and punctuation', () => {
		expect(normalizeHeader(' Prénom_ ')).toBe('prenom');
		expect(normalizeHeader('E-mail 1 - Value')).toBe('email1value');
	});
});

describe('suggestMapping', () => {
	it('never suggests one target for two columns', () => {
		expect(suggestMapping(['Mobile', 'Phone', 'Email', 'E-mail'], [])).toEqual([
			'phone',
			'',
			'email',
			''
		]);
	});

	it('matches custom fields by key or label', () => {
		const fields = [
			{ key: 'lead_source', label: 'Lead Source', type: 'text' as const, createdAt: 0 },
			{ key: 'region', label: 'Sales Region', type: 'text' as const, createdAt: 0 }
		];
		expect(suggestMapping(['Lead source', 'sales region', 'Notes'], fields)).toEqual([
			'cf:lead_source',
			'cf:region',
			''
		]);
	});
});
