/**
 * What pages read and change of the saved data, bound to the app's database and shared worker.
 * Routes and components reach the data only through this module and the state classes (never
 * Dexie or the database module: a lint rule keeps it that way), so that every read is a live
 * query whose failure is shown, and every table is touched by its repository only.
 */
import { getCallingHours, setCallingHours } from '$lib/db/calling-hours-repo';
import { getDoNotCallMeta } from '$lib/db/do-not-call-repo';
import { DEFAULT_CALLING_HOURS, type CallingHours } from '$lib/domain/calling-hours';
import { getDb } from '$lib/db/database';
import { deleteContact, getContact, saveContact, type ContactEdit } from '$lib/db/contacts-repo';
import { getContacts } from '$lib/db/contact-reads';
import {
	addCustomField,
	deleteCustomField,
	listCustomFields,
	renameCustomField
} from '$lib/db/custom-fields-repo';
import { errorCount, errorPage, getJob, listJobs, transitionJob } from '$lib/db/jobs-repo';
import { EMPTY_SYNC_SUMMARY, syncSummary } from '$lib/db/outbox-repo';
import { deleteSegment, getSegment, listSegments } from '$lib/db/segments-repo';
import { getDefaultCountry, setDefaultCountry } from '$lib/db/settings-repo';
import { latestIndexSeq } from '$lib/db/contact-index-repo';
import { DRAFT_ID } from '$lib/db/drafts-repo';
import { problemPage } from '$lib/db/problems-repo';
import { checkEvictionInTime, evictionMessage, type KeyValue } from '$lib/db/storage-marker';
import type { IssueKind } from '$lib/domain/row-rules';
import type { ReviewProblem } from '$lib/domain/import-job';
import type { ImportJob, JobStatus } from '$lib/domain/import-job';
import type { Contact } from '$lib/domain/contact';
import { buildErrorReport } from '$lib/reports/error-report';
import { reportWords } from '$lib/job-labels';
import { type SyncConfig, type SyncIdentity } from '$lib/domain/sync-config';
import { getBoundWorkspace, startAfresh, workspaceData } from '$lib/db/workspace-repo';
import { readSkippedChanges } from '$lib/db/pull-repo';
import { getSyncConfig, getSyncState, setSyncConfig } from '$lib/db/sync-config-repo';
import { retryFailed } from '$lib/db/outbox-repo';
import { appWorker } from '$lib/worker/client';
import { live } from './live.svelte';
import { m } from '$lib/paraglide/messages';
import { announceReset } from './workspace-reset';

const db = () => getDb();
const locale = () => (typeof navigator === 'undefined' ? undefined : navigator.language);

export const NO_SYNC_CONFIG: SyncConfig = { url: '', token: '', enabled: false };

/** Live reads, for a component's initialisation. An argument that is a function is tracked. */
export const watch = {
	customFields: () => live(() => () => listCustomFields(db()), [], m.reading_custom_fields()),
	defaultCountry: () =>
		live(() => () => getDefaultCountry(db(), locale()), 'US', m.reading_default_country()),
	segments: () => live(() => () => listSegments(db()), [], m.reading_segments()),
	jobs: () => live(() => () => listJobs(db()), [], m.reading_history()),
	job: (id: () => string) =>
		live(
			() => {
				const key = id();
				return () => getJob(db(), key);
			},
			undefined,
			m.reading_import()
		),
	errorPage: (id: () => string, offset: () => number, limit: number) =>
		live(
			() => {
				const [key, from] = [id(), offset()];
				return () => errorPage(db(), key, from, limit);
			},
			[],
			m.reading_import_errors()
		),
	errorCount: (id: () => string) =>
		live(
			() => {
				const key = id();
				return () => errorCount(db(), key);
			},
			0,
			m.counting_import_errors()
		),
	contact: (phone: () => string) =>
		live(
			() => {
				const key = phone();
				return () => getContact(db(), key);
			},
			undefined,
			m.reading_contact()
		),
	syncConfig: () =>
		live(() => () => getSyncConfig(db()), NO_SYNC_CONFIG, m.reading_sync_settings()),
	syncState: () => live(() => () => getSyncState(db()), { attempt: 0 }, m.reading_sync_state()),
	/** The feed's changes this device could not read and skipped. */
	skippedChanges: () =>
		live(() => () => readSkippedChanges(db()), { count: 0, changes: [] }, m.reading_skipped()),
	/** The workspace this device's data belongs to (null before a backend said). */
	workspace: () => live(() => () => getBoundWorkspace(db()), null, m.reading_workspace()),
	/** What starting afresh would remove: contacts held and changes not yet sent. */
	workspaceData: () =>
		live(() => () => workspaceData(db()), { contacts: 0, unsent: 0 }, m.reading_held()),
	/** Counts of the outbox (one import's, or all); the records' contents are never loaded. */
	syncSummary: (jobId: () => string | undefined = () => undefined) =>
		live(
			() => {
				const key = jobId();
				return () => syncSummary(db(), key);
			},
			EMPTY_SYNC_SUMMARY,
			m.reading_sync_queue()
		),
	/** A page of the draft's problem rows (all, or one kind), as the last review pass found them. */
	reviewProblems: (kind: () => IssueKind | '', page: () => number, limit: number) =>
		live(
			() => {
				const [k, at] = [kind(), page()];
				return () => problemPage(db(), DRAFT_ID, k, at, limit);
			},
			{ rows: [] as ReviewProblem[], total: 0 },
			m.reading_problem_rows()
		),
	/** The do-not-call list's size and version. */
	doNotCall: () =>
		live(
			() => () => getDoNotCallMeta(db()),
			{ count: 0, version: 0, updatedAt: 0 },
			m.reading_dnc()
		),
	/** The workspace's calling hours as this device holds them. */
	callingHours: () =>
		live(
			() => () => getCallingHours(db()),
			{ ...DEFAULT_CALLING_HOURS, updatedAt: 0 },
			m.reading_calling_hours()
		),
	/** Moves with every committed change to contacts. */
	contactChanges: () => live(() => () => latestIndexSeq(db()), 0, m.watching_contacts())
};

/** Changes and one-off reads. Each rejects with a message fit for people. */
export const data = {
	moveJob: (id: string, to: JobStatus) => transitionJob(db(), id, to),
	errorReport: (job: ImportJob) => buildErrorReport(db(), job, reportWords()),
	retrySync: (jobId?: string) => retryFailed(db(), jobId),
	setSyncConfig: (config: SyncConfig) => setSyncConfig(db(), config),
	setDefaultCountry: (country: string) => setDefaultCountry(db(), country),
	setCallingHours: (hours: CallingHours) => setCallingHours(db(), hours),
	addCustomField: (key: string, label: string) => addCustomField(db(), key, label),
	renameCustomField: (key: string, label: string) => renameCustomField(db(), key, label),
	deleteCustomField: (key: string) => deleteCustomField(db(), key),
	/** Saves an edit; resolves the contact's phone (changed when the edit moved it). */
	saveContact: async (original: Contact, edit: ContactEdit) =>
		saveContact(db(), original, edit, await getDefaultCountry(db(), locale())),
	deleteContact: (phone: string) => deleteContact(db(), phone),
	getContacts: (phones: string[]) => getContacts(db(), phones),
	getSegment: (id: string) => getSegment(db(), id),
	deleteSegment: (id: string) => deleteSegment(db(), id),
	/**
	 * Clears this device's workspace data and binds `identity`'s workspace, then reloads every tab
	 * of the app (their workers hold the old contacts in memory).
	 */
	startAfresh: async (identity: SyncIdentity) => {
		await startAfresh(db(), identity);
		announceReset();
		location.reload();
	},
	/**
	 * On start: what the person must know when the browser deleted the database since the last
	 * visit (storage-marker.ts), else null.
	 */
	checkStoredData: async (): Promise<string | null> => {
		let memory: KeyValue;
		try {
			memory = localStorage;
		} catch {
			// Storage blocked altogether (some private modes): there is no marker to compare.
			return null;
		}
		const report = await checkEvictionInTime(db(), memory);
		return report && evictionMessage(report, locale());
	}
};

/** What the state classes need: the app's database and shared worker. */
export function appDeps() {
	return { db: db(), worker: appWorker() };
}
