/**
 * Mapping suggestions from header names. Headers are normalised (case, accents, punctuation and
 * spacing folded) and looked up in a synonym table built from real exports (Google Contacts old
 * and current, Outlook, Mailchimp, HubSpot, Salesforce, LinkedIn) and from common headers in
 * French, German, Spanish, Portuguese and Italian. Each synonym has a score; each target goes to
 * the best-scoring column (the first on a tie) and is never suggested twice. For the phone,
 * mobile numbers score highest: a calling platform wants the number that answers.
 */
import { customTarget, type CustomFieldDef, type StandardField, type Target } from './fields';

/** Lower-case, accents removed, everything but letters and digits dropped. */
export function normalizeHeader(header: string): string {
	return header
		.normalize('NFKD')
		.replace(/[\u0300-\u036f]/g, '')
		.toLowerCase()
		.replace(/ß/g, 'ss')
		.replace(/[^a-z0-9]+/g, '');
}

/** Score by synonym (higher wins); written as people write headers, normalised at load. */
const SYNONYMS: Record<StandardField, Record<string, number>> = {
	phone: {
		// Mobile first.
		'Mobile Phone': 30,
		'Mobile Phone Number': 30,
		Mobile: 30,
		'Mobile Number': 30,
		'Mobile No': 30,
		Cell: 30,
		'Cell Phone': 30,
		'Cell Number': 30,
		Cellphone: 30,
		'Phone 1 - Value': 25,
		Portable: 30,
		'Téléphone portable': 30,
		'Tel portable': 30,
		Handy: 30,
		Mobiltelefon: 30,
		Handynummer: 30,
		Móvil: 30,
		'Teléfono móvil': 30,
		Celular: 30,
		Telemóvel: 30,
		Cellulare: 30,
		MSISDN: 30,
		// Generic.
		Phone: 20,
		'Phone Number': 20,
		'Phone No': 20,
		Telephone: 20,
		'Telephone Number': 20,
		Tel: 20,
		'Primary Phone': 20,
		'Contact Number': 20,
		Téléphone: 20,
		'Numéro de téléphone': 20,
		Telefon: 20,
		Telefonnummer: 20,
		Teléfono: 20,
		Telefone: 20,
		Telefono: 20,
		// Others only when nothing better exists.
		'Business Phone': 10,
		'Work Phone': 10,
		'Company Main Phone': 8,
		'Home Phone': 9,
		'Other Phone': 5,
		'Phone 2 - Value': 5,
		'Phone 3 - Value': 4
	},
	first_name: {
		'First Name': 20,
		Firstname: 20,
		First: 15,
		Fname: 15,
		'Given Name': 20,
		Forename: 20,
		Forenames: 20,
		Prénom: 20,
		Vorname: 20,
		Nombre: 20,
		Nome: 20,
		'Primeiro nome': 20
	},
	last_name: {
		'Last Name': 20,
		Lastname: 20,
		Last: 15,
		Lname: 15,
		Surname: 20,
		'Family Name': 20,
		Nom: 20,
		'Nom de famille': 20,
		Nachname: 20,
		Familienname: 20,
		Apellido: 20,
		Apellidos: 20,
		Sobrenome: 20,
		Apelido: 20,
		Cognome: 20
	},
	email: {
		Email: 20,
		'E-mail': 20,
		'Email Address': 20,
		'E-mail Address': 20,
		'E-mail 1 - Value': 20,
		'Primary Email': 20,
		Mail: 15,
		'Work Email': 12,
		'Business Email': 12,
		'E-mail 2 - Value': 5,
		'E-mail 2 Address': 5,
		Courriel: 20,
		'Adresse e-mail': 20,
		'Adresse électronique': 20,
		'E-Mail-Adresse': 20,
		Correo: 20,
		'Correo electrónico': 20,
		'Endereço de e-mail': 20,
		'Indirizzo email': 20
	},
	company: {
		Company: 20,
		'Company Name': 20,
		Organization: 20,
		Organisation: 20,
		'Organization Name': 20,
		'Organisation Name': 20,
		'Organization 1 - Name': 20,
		Org: 15,
		Account: 15,
		'Account Name': 20,
		Employer: 15,
		Business: 10,
		Société: 20,
		Entreprise: 20,
		Firma: 20,
		Unternehmen: 20,
		Empresa: 20,
		Azienda: 20,
		Società: 20
	},
	tags: {
		Tags: 20,
		Tag: 20,
		Labels: 20,
		Label: 15,
		Categories: 20,
		Category: 15,
		Groups: 18,
		Group: 15,
		'Group Membership': 18,
		Lists: 10,
		Étiquettes: 20,
		Schlagwörter: 20,
		Etiquetas: 20,
		Etichette: 20
	},
	timezone: {
		Timezone: 20,
		'Time Zone': 20,
		TZ: 20,
		'Time zone name': 20,
		'IANA time zone': 20,
		'Fuseau horaire': 20,
		Zeitzone: 20,
		'Zona horaria': 20,
		'Fuso horário': 20,
		'Fuso orario': 20
	},
	// HubSpot's "Contact owner", Salesforce's "Record Owner" and the names teams give a rep column.
	owner: {
		Owner: 20,
		'Contact Owner': 20,
		'Contact owner': 20,
		'Record Owner': 20,
		'Lead Owner': 20,
		'Account Owner': 15,
		'Owner Email': 20,
		'Assigned To': 15,
		Assignee: 15,
		'Sales Rep': 15,
		Rep: 10,
		Agent: 10,
		Propriétaire: 20,
		Responsable: 15,
		Besitzer: 15,
		Zuständig: 15,
		Propietario: 20,
		Responsável: 15,
		Proprietário: 20
	}
};

/** Headers of columns the app derives (never imported as values). */
const DERIVED_HEADERS = new Set(['do_not_call', 'do not call'].map((h) => normalizeHeader(h)));

const LOOKUP = new Map<string, { field: StandardField; score: number }>();
for (const [field, names] of Object.entries(SYNONYMS) as [
	StandardField,
	Record<string, number>
][]) {
	for (const [name, score] of Object.entries(names)) {
		const key = normalizeHeader(name);
		const seen = LOOKUP.get(key);
		if (!seen || seen.score < score) LOOKUP.set(key, { field, score });
	}
}

/** The standard field a header names, by the synonym table, or null. */
export function standardFieldForHeader(header: string): StandardField | null {
	return LOOKUP.get(normalizeHeader(header))?.field ?? null;
}

/**
 * One suggested target per column ('' = not mapped). Custom fields match by key or by label.
 * Each target is suggested at most once: for the best-scoring column (the first on a tie).
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
	const candidates = headers.map((header): { target: Target; score: number } => {
		const norm = normalizeHeader(header);
		// A segment export's `do_not_call` column is the workspace list's answer, not a value a
		// contact holds: it starts as skip, so that auto-create never makes a field of it.
		if (DERIVED_HEADERS.has(norm)) return { target: 'skip', score: 0 };
		const std = LOOKUP.get(norm);
		if (std) return { target: std.field, score: std.score };
		const key = customByName.get(norm);
		return key ? { target: customTarget(key), score: 20 } : { target: '', score: 0 };
	});
	const best = new Map<Target, number>();
	candidates.forEach(({ target, score }, i) => {
		if (target === '' || target === 'skip') return;
		const current = best.get(target);
		if (current === undefined || candidates[current].score < score) best.set(target, i);
	});
	return candidates.map(({ target }, i) =>
		target === 'skip' ? 'skip' : target !== '' && best.get(target) === i ? target : ''
	);
}
