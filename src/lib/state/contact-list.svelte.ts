/**
 * The contacts page's state: the total, what the filter shows, search results, and pages of the
 * list, all answered by the shared worker's contact index (the page never reads contact tables).
 * Every refresh carries a token, so an answer that arrives after a newer request is dropped.
 * On the first refresh of the unfiltered list the worker's last first page (list-snapshot-repo),
 * when it still describes the stored contacts, is shown at once, until the worker has read the
 * index and answers itself.
 */
import type { Contact } from '$lib/domain/contact';
import type { ContactFilter, ContactSort } from '$lib/domain/contact-index';
import { messageOf } from '$lib/errors';
import type { AppWorker } from '$lib/worker/client';
import type { CallaroDb } from '$lib/db/database';
import { readListSnapshot, type ListSnapshot } from '$lib/db/list-snapshot-repo';

export const SEARCH_LIMIT = 100;
const REFRESH_EVERY_MS = 1000;

export class ContactList {
	count = $state(0);
	shown = $state(0);
	/** Bumped whenever the list's data or view changed (the virtual list drops its pages). */
	version = $state(0);
	loading = $state(true);
	results = $state.raw<Contact[]>([]);
	searching = $state(false);
	/** Whether `results` are early ones, from the part of the index read so far (more may come). */
	early = $state(false);
	error = $state<string | null>(null);

	private listToken = 0;
	private searchToken = 0;
	private view: { filter: ContactFilter; sort: ContactSort } = {
		filter: { kind: 'all' },
		sort: 'name'
	};
	private lastRefresh = 0;
	private timer: ReturnType<typeof setTimeout> | undefined;
	/** Shown until the worker's first answer; null once it came (or when there was none). */
	private snapshot: ListSnapshot | null = null;
	private answered = false;

	constructor(
		private readonly worker: AppWorker,
		private readonly readSnapshot?: () => Promise<ListSnapshot | null>
	) {}

	/**
	 * Contacts changed: refresh, at most once a second (an import commits a batch several times a
	 * second, and each refresh sorts the list again in the worker).
	 */
	changed(): void {
		if (this.timer !== undefined) return;
		const wait = Math.max(0, this.lastRefresh + REFRESH_EVERY_MS - Date.now());
		this.timer = setTimeout(() => {
			this.timer = undefined;
			void this.refresh(this.view.filter, this.view.sort);
		}, wait);
	}

	/** Counts again for a filter and order (after a change to contacts, or of the view). */
	async refresh(filter: ContactFilter, sort: ContactSort): Promise<void> {
		this.view = { filter, sort };
		this.lastRefresh = Date.now();
		const token = ++this.listToken;
		if (!this.answered && this.readSnapshot && isFirstView(filter, sort))
			this.readSnapshot().then(
				(snapshot) => {
					// Too late when the worker answered first, or the view changed meanwhile.
					if (!snapshot || this.answered || token !== this.listToken) return;
					this.snapshot = snapshot;
					this.count = snapshot.total;
					this.shown = snapshot.total;
					this.version++;
					this.loading = false;
				},
				() => {
					// Safe to drop: the worker's answer below shows the list, or its error.
				}
			);
		try {
			const [count, page] = await Promise.all([
				this.worker.call((api) => api.contactCount()),
				this.worker.call((api) => api.listContacts(filter, sort, 0, 0))
			]);
			if (token !== this.listToken) return;
			// A snapshot is exact: when the worker agrees, the pages shown from it stay.
			const same = this.snapshot !== null && count === this.count && page.total === this.shown;
			this.answered = true;
			this.snapshot = null;
			this.count = count;
			this.shown = page.total;
			if (!same) this.version++;
			this.error = null;
		} catch (error) {
			if (token === this.listToken) this.error = messageOf(error);
		} finally {
			if (token === this.listToken) this.loading = false;
		}
	}

	/** One page of the list (`undefined` for a contact deleted a moment ago). */
	async page(
		filter: ContactFilter,
		sort: ContactSort,
		offset: number,
		limit: number
	): Promise<(Contact | undefined)[]> {
		const snapshot = this.snapshot;
		if (snapshot && isFirstView(filter, sort) && offset === 0) {
			const held = snapshot.contacts.length;
			if (limit <= held || held === snapshot.total) return snapshot.contacts.slice(0, limit);
		}
		try {
			return (await this.worker.call((api) => api.listContacts(filter, sort, offset, limit)))
				.contacts;
		} catch (error) {
			this.error = messageOf(error);
			throw error;
		}
	}

	/** Searches; an empty query clears the results. */
	async search(query: string, defaultCountry: string): Promise<void> {
		const token = ++this.searchToken;
		if (query.trim() === '') {
			this.results = [];
			this.searching = false;
			this.early = false;
			return;
		}
		this.searching = true;
		const showEarly = (found: Contact[]) => {
			if (token !== this.searchToken) return;
			this.results = found;
			this.early = true;
		};
		try {
			const found = await this.worker.call((api, task) =>
				api.searchContacts(query, SEARCH_LIMIT, defaultCountry, task.callback(showEarly))
			);
			if (token !== this.searchToken) return;
			this.results = found;
			this.error = null;
		} catch (error) {
			if (token === this.searchToken) this.error = messageOf(error);
		} finally {
			if (token === this.searchToken) {
				this.searching = false;
				this.early = false;
			}
		}
	}

	dispose(): void {
		clearTimeout(this.timer);
		this.listToken++;
		this.searchToken++;
	}
}

/** The view a snapshot holds: every contact, in name order. */
function isFirstView(filter: ContactFilter, sort: ContactSort): boolean {
	return filter.kind === 'all' && sort === 'name';
}

/** The contacts page's list over the app's database and shared worker. */
export function openContactList(deps: { db: CallaroDb; worker: AppWorker }): ContactList {
	return new ContactList(deps.worker, () => readListSnapshot(deps.db));
}
