/**
 * The "Download template" CSV: the standard fields, then every custom field's key.
 */
import { csvLine } from './csv-writer';
import { STANDARD_FIELDS, type CustomFieldDef } from './fields';

/** The template's text: one header line. */
export function templateCsv(customFields: readonly CustomFieldDef[]): string {
	return csvLine([...STANDARD_FIELDS, ...customFields.map((f) => f.key)]);
}
