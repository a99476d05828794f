/**
 * A page that is left lets go of the database first.
 *
 * WebKit (Safari) keeps a page it navigates away from suspended in its back/forward cache, with
 * its IndexedDB connection and any transaction in flight: a transaction suspended half-way keeps
 * its stores locked, and every other connection's transaction on them (another tab, a worker,
 * the next page) waits until the cached page is thrown away, minutes later. Seen: a live query
 * of Settings suspended on the settings store when the person left, and the next review never
 * started. A page WebKit destroys (a reload, a navigation it does not cache) was seen to leave
 * its transaction in flight the same way. So on every `pagehide` the page aborts its transactions,
 * closes its connection and ends its workers (a running import's batch is aborted whole and
 * resumes from its checkpoint); on `pageshow` from that cache it reloads, since it holds none of
 * them any more.
 */

export interface Releasable {
	/** Aborts the page's transactions in flight. */
	abortOpenTransactions(): number;
	/** Closes the page's connection for good: nothing on a page being left starts a transaction. */
	close(): void;
}

export interface PageCacheOptions {
	db: Releasable;
	/** Ends the page's workers (their transactions abort with them). */
	stopWorkers: () => void;
	reload: () => void;
}

type PageTransition = Event & { persisted?: boolean };

/** Starts listening; returns a function that stops. */
export function releaseOnPageHide(
	target: Pick<EventTarget, 'addEventListener' | 'removeEventListener'>,
	{ db, stopWorkers, reload }: PageCacheOptions
): () => void {
	let released = false;
	const onHide = () => {
		// Also when the page is being destroyed (`persisted` false): WebKit was seen to keep a
		// destroyed page's transaction in flight, its stores locked for the next page.
		released = true;
		stopWorkers();
		db.abortOpenTransactions();
		db.close();
	};
	const onShow = (event: PageTransition) => {
		if (event.persisted && released) reload();
	};
	target.addEventListener('pagehide', onHide);
	target.addEventListener('pageshow', onShow);
	return () => {
		target.removeEventListener('pagehide', onHide);
		target.removeEventListener('pageshow', onShow);
	};
}
