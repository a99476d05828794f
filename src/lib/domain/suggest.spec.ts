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

	it('prefers the mobile number among several phone columns', () => {
		expect(suggestMapping(['Business Phone', 'Home Phone', 'Mobile Phone'], [])).toEqual([
			'',
			'',
			'phone'
		]);
		expect(suggestMapping(['Home Phone', 'Business Phone'], [])).toEqual(['', 'phone']);
	});

	const exports: Record<string, [string[], string[]]> = {
		'Google Contacts (current)': [
			[
				'First Name',
				'Middle Name',
				'Last Name',
				'Labels',
				'E-mail 1 - Label',
				'E-mail 1 - Value',
				'Phone 1 - Label',
				'Phone 1 - Value',
				'Organization Name'
			],
			['first_name', '', 'last_name', 'tags', '', 'email', '', 'phone', 'company']
		],
		'Google Contacts (old)': [
			[
				'Name',
				'Given Name',
				'Family Name',
				'Group Membership',
				'E-mail 1 - Value',
				'Phone 1 - Value',
				'Phone 2 - Value',
				'Organization 1 - Name'
			],
			['', 'first_name', 'last_name', 'tags', 'email', 'phone', '', 'company']
		],
		Outlook: [
			[
				'First Name',
				'Last Name',
				'Company',
				'Business Phone',
				'Home Phone',
				'Mobile Phone',
				'E-mail Address',
				'Categories'
			],
			['first_name', 'last_name', 'company', '', '', 'phone', 'email', 'tags']
		],
		Mailchimp: [
			['Email Address', 'First Name', 'Last Name', 'Phone Number', 'TAGS'],
			['email', 'first_name', 'last_name', 'phone', 'tags']
		],
		HubSpot: [
			[
				'First Name',
				'Last Name',
				'Email',
				'Phone Number',
				'Mobile Phone Number',
				'Company Name',
				'Time Zone'
			],
			['first_name', 'last_name', 'email', '', 'phone', 'company', 'timezone']
		],
		Salesforce: [
			['First Name', 'Last Name', 'Title', 'Account Name', 'Phone', 'Mobile', 'Email'],
			['first_name', 'last_name', '', 'company', '', 'phone', 'email']
		],
		LinkedIn: [
			['First Name', 'Last Name', 'URL', 'Email Address', 'Company', 'Position', 'Connected On'],
			['first_name', 'last_name', '', 'email', 'company', '', '']
		],
		French: [
			['Prénom', 'Nom', 'Téléphone', 'Courriel', 'Société'],
			['first_name', 'last_name', 'phone', 'email', 'company']
		],
		German: [
			['Vorname', 'Nachname', 'Telefon', 'E-Mail', 'Firma'],
			['first_name', 'last_name', 'phone', 'email', 'company']
		],
		Spanish: [
			['Nombre', 'Apellido', 'Teléfono', 'Correo', 'Empresa'],
			['first_name', 'last_name', 'phone', 'email', 'company']
		],
		Portuguese: [
			['Nome', 'Sobrenome', 'Telefone', 'E-mail', 'Empresa'],
			['first_name', 'last_name', 'phone', 'email', 'company']
		],
		Italian: [
			['Nome', 'Cognome', 'Cellulare', 'Telefono', 'Email', 'Azienda'],
			['first_name', 'last_name', 'phone', '', 'email', 'company']
		]
	};
	for (const [name, [headers, targets]] of Object.entries(exports)) {
		it(`maps a ${name} export`, () => {
			expect(suggestMapping(headers, [])).toEqual(targets);
		});
	}

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

describe('suggestMapping: derived columns', () => {
	it('starts an export’s do_not_call column as skip, so auto-create never makes a field of it', () => {
		expect(suggestMapping(['phone', 'do_not_call', 'Do Not Call'], [])).toEqual([
			'phone',
			'skip',
			'skip'
		]);
	});
});
