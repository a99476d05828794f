/**
 * The field rules the app and the sync server share: what a custom field's key may be, and the
 * longest value each field may hold. Nothing here imports the app.
 */

/** A custom field key: a lower-case letter, then up to 62 lower-case letters, digits or `_`. Note that `__proto__` cannot match (it starts with `_`). */
export const CUSTOM_FIELD_KEY_RE = /^[a-z][a-z0-9_]{0,62}$/;

/**
 * The longest values a contact may hold, in characters: the sync protocol's schema refuses longer
 * ones, and the import leaves a longer value out with a warning (row and column), so that no
 * imported contact is refused later.
 */
export const FIELD_LIMITS = {
	name: 500,
	email: 500,
	company: 500,
	timezone: 100,
	owner: 500,
	tag: 200,
	tags: 500,
	customValue: 10_000
} as const;
