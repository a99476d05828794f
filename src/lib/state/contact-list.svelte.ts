/**
 * The contacts page's state: the total, what the filter shows, search results, and pages of the
 * list, all answered by the shared worker's contact index (the page never reads contact tables).
 * Every refresh carries a token, so an answer that arrives after a newer request is dropped.
 */
import type { Contact } from '$lib/domain/contact';
import type { ContactFilter, ContactSort } from '$lib/domain/contact-index';
import { messageOf } from '$lib/errors';
import type { CsvWorker } from '$lib/worker/client';

export const SEARCH_LIMIT = 100;

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

	constructor(private readonly worker: CsvWorker) {}

	/** Counts again for a filter and order (after a change to contacts, or of the view). */
	async refresh(filter: ContactFilter, sort: ContactSort): Promise<void> {
		const token = ++this.listToken;
		try {
			const [count, page] = await Promise.all([
				this.worker.api.contactCount(),
				this.worker.api.listContacts(filter, sort, 0, 0)
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

	/** One page of the list. */
	async page(
		filter: ContactFilter,
		sort: ContactSort,
		offset: number,
		limit: number
	): Promise<Contact[]> {
		return (await this.worker.api.listContacts(filter, sort, offset, limit)).contacts;
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
			const found = await this.worker.api.searchContacts(query, SEARCH_LIMIT, defaultCountry);
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
		this.listToken++;
		this.searchToken++;
		this.worker.terminate();
	}
}
