/**
 * The contacts page's state: the total, what the filter shows, search results, and pages of the
 * list, all answered by the shared worker's contact index (the page never reads contact tables).
 * Every refresh carries a token, so an answer that arrives after a newer request is dropped.
 */
import type { Contact } from '$lib/domain/contact';
import type { ContactFilter, ContactSort } from '$lib/domain/contact-index';
import { messageOf } from '$lib/errors';
import type { AppWorker } from '$lib/worker/client';

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
	error = $state<string | null>(null);

	private listToken = 0;
	private searchToken = 0;
	private view: { filter: ContactFilter; sort: ContactSort } = {
		filter: { kind: 'all' },
		sort: 'name'
	};
	private lastRefresh = 0;
	private timer: ReturnType<typeof setTimeout> | undefined;

	constructor(private readonly worker: AppWorker) {}

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
		try {
			const [count, page] = await Promise.all([
				this.worker.call((api) => api.contactCount()),
				this.worker.call((api) => api.listContacts(filter, sort, 0, 0))
			]);
			if (token !== this.listToken) return;
			this.count = count;
			this.shown = page.total;
			this.version++;
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
			return;
		}
		this.searching = true;
		try {
			const found = await this.worker.call((api) =>
				api.searchContacts(query, SEARCH_LIMIT, defaultCountry)
			);
			if (token !== this.searchToken) return;
			this.results = found;
			this.error = null;
		} catch (error) {
			if (token === this.searchToken) this.error = messageOf(error);
		} finally {
			if (token === this.searchToken) this.searching = false;
		}
	}

	dispose(): void {
		clearTimeout(this.timer);
		this.listToken++;
		this.searchToken++;
	}
}
