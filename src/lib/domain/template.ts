/**
 * The "Download template" CSV: the standard fields, then every custom field's key. Fields derived
 * from the phone (its type, a missing time zone) are not columns: a column for them would only
 * come back as a custom field.
 */
import { csvLine } from './csv-writer';
import { STANDARD_FIELDS, type CustomFieldDef } from './fields';

/** The template's text: one header line. */
export function templateCsv(customFields: readonly CustomFieldDef[]): string {
	return csvLine([...STANDARD_FIELDS, ...customFields.map((f) => f.key)]);
}
