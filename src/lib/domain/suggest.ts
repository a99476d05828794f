/**
 * Mapping suggestions from header names. Headers are normalised (case, accents, punctuation and
 * spacing folded) and looked up in a synonym table built from real exports (Google Contacts,
 * Outlook, Mailchimp, HubSpot, Salesforce). A target is never suggested for two columns: the first
 * column with the best match keeps it.
 */
import type { CustomFieldDef, StandardField, Target } from './fields';

/** Lower-case, accents removed, everything but letters and digits dropped. */
export function normalizeHeader(header: string): string {
	return header
		.normalize('NFKD')
		.replace(/[\u0300-\u036f]/g, '')
		.toLowerCase()
		.replace(/[^a-z0-9]+/g, '');
}

const SYNONYMS: Record<StandardField, string[]> = {
	phone: [
		'phone',
		'phonenumber',
		'phoneno',
		'phonenum',
		'mobile',
		'mobilephone',
		'mobilenumber',
		'mobileno',
		'cell',
		'cellphone',
		'cellnumber',
		'telephone',
		'telephonenumber',
		'tel',
		'phone1value',
		'primaryphone',
		'businessphone',
		'homephone',
		'workphone',
		'contactnumber',
		'msisdn',
		'handynummer',
		'telefono',
		'telefone'
	],
	first_name: [
		'firstname',
		'first',
		'fname',
		'givenname',
		'forename',
		'forenames',
		'prenom',
		'vorname',
		'nombre'
	],
	last_name: ['lastname', 'last', 'lname', 'surname', 'familyname', 'nachname', 'nom', 'apellido'],
	email: [
		'email',
		'emailaddress',
		'email1value',
		'mail',
		'emailaddr',
		'primaryemail',
		'workemail',
		'businessemail',
		'courriel'
	],
	company: [
		'company',
		'companyname',
		'organization',
		'organisation',
		'organizationname',
		'organisationname',
		'organization1name',
		'org',
		'account',
		'accountname',
		'employer',
		'business',
		'firma'
	],
	tags: ['tags', 'tag', 'labels', 'label', 'categories', 'category', 'groups', 'group', 'lists'],
	timezone: ['timezone', 'tz', 'tzname', 'zone', 'timezonename', 'ianatimezone']
};

const LOOKUP = new Map<string, StandardField>();
for (const [field, names] of Object.entries(SYNONYMS) as [StandardField, string[]][]) {
	for (const name of names) LOOKUP.set(name, field);
}

/** The standard field a header names, by the synonym table, or null. */
export function standardFieldForHeader(header: string): StandardField | null {
	return LOOKUP.get(normalizeHeader(header)) ?? null;
}

/**
 * One suggested target per column ('' = not mapped). Custom fields match by key or by label.
 * Each target is suggested at most once, for the first column that names it.
 */
export function suggestMapping(
	headers: readonly string[],
	customFields: readonly CustomFieldDef[]
): Target[] {
	const customByName = new Map<string, string>();
	for (const f of customFields) {
		customByName.set(normalizeHeader(f.key), f.key);
		customByName.set(normalizeHeader(f.label), f.key);
	}
	const used = new Set<Target>();
	return headers.map((header) => {
		const norm = normalizeHeader(header);
		let target: Target = '';
		const std = LOOKUP.get(norm);
		if (std) target = std;
		else {
			const key = customByName.get(norm);
			if (key) target = `cf:${key}`;
		}
		if (target === '' || used.has(target)) return '';
		used.add(target);
		return target;
	});
}
