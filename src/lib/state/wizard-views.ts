/**
 * The slice of the wizard each step component receives: what it reads and the methods it calls.
 * A component typed by its slice cannot reach the rest of the wizard.
 */
import type { ImportWizard } from './wizard.svelte';

/** What the Upload step reads and calls. */
export type UploadView = Pick<
	ImportWizard,
	| 'preview'
	| 'previewing'
	| 'uploadError'
	| 'draftLost'
	| 'template'
	| 'selectFile'
	| 'setHeaderRow'
	| 'setEncoding'
	| 'setDelimiter'
	| 'setSheet'
>;

/** What the Review step's options read and call. */
export type ReviewOptionsView = Pick<
	ImportWizard,
	| 'autoCreate'
	| 'defaultCountry'
	| 'defaultOwner'
	| 'existingPolicy'
	| 'fillTimezones'
	| 'plannedFields'
	| 'setAutoCreate'
	| 'setDefaultCountry'
	| 'setDefaultOwner'
	| 'setSkipDoNotCall'
	| 'skipDoNotCall'
	| 'doNotCallRows'
	| 'setExistingPolicy'
	| 'setFillTimezones'
>;

/** What the Import step reads. */
export type ImportView = Pick<
	ImportWizard,
	| 'calling'
	| 'canStart'
	| 'defaultCountry'
	| 'existingPolicy'
	| 'file'
	| 'fillTimezones'
	| 'plannedFields'
	| 'review'
	| 'rowsToImport'
	| 'startError'
	| 'starting'
>;

/** What the Review step reads and calls (its options included). */
export type ReviewView = ReviewOptionsView &
	Pick<
		ImportWizard,
		| 'applyRule'
		| 'applyValueMap'
		| 'valueColumns'
		| 'calling'
		| 'canStart'
		| 'discardDraft'
		| 'draftError'
		| 'editCell'
		| 'file'
		| 'fixes'
		| 'headers'
		| 'previewRule'
		| 'restored'
		| 'review'
		| 'reviewError'
		| 'reviewProgress'
		| 'reviewRows'
		| 'reviewing'
		| 'rowsToImport'
		| 'runReview'
		| 'skipRow'
		| 'startError'
		| 'undoFix'
		| 'unmapped'
	>;
