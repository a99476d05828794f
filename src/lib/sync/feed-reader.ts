/**
 * Reads the change feed ahead of the pull that writes it: each page's answer, once it arrives,
 * names the cursor of the page after it, which is asked for at once, up to `depth` pages ahead.
 * The server reads and sends pages, and this device parses them, while the device writes the
 * pages before them, instead of each waiting on the other.
 *
 * Invariants: pages are handed out only in the order asked for (`take(from)` answers the page
 * after cursor `from`, asked ahead or asked now); an answer asked ahead and never taken changes
 * nothing (the pull asks again from its cursor); a failure of a page asked ahead is thrown by
 * the `take` of that page, never before.
 */

/** Asks for the page after `since` (`gen`: the horizon gen the cursor was read at). */
export type AskPage<A> = (since: number, gen: number | undefined, count: boolean) => Promise<A>;

/** Where the page after an answer starts, when one follows. */
export type NextOf<A> = (answer: A) => { cursor: number; gen?: number } | undefined;

interface Ahead<A> {
	since: number;
	answer: Promise<A>;
	/** Set once the answer arrived and names a page after it. */
	next?: { cursor: number; gen?: number };
}

export class FeedReader<A> {
	private queue: Ahead<A>[] = [];
	/** The page asked for last: the chain goes on from its answer. */
	private end: Ahead<A> | undefined;

	constructor(
		private readonly ask: AskPage<A>,
		private readonly nextOf: NextOf<A>,
		private readonly depth = 4
	) {}

	/**
	 * The answer for the page after cursor `from`: the one asked ahead when it is that page's,
	 * else asked now (`count`: ask how many changes follow).
	 */
	take(from: number, gen: number | undefined, count: boolean): Promise<A> {
		if (this.queue[0]?.since !== from) {
			this.reset();
			this.push(from, gen, count);
		}
		const head = this.queue.shift() as Ahead<A>;
		// Room for one more: a chain that stopped for want of it goes on (one whose end has not
		// answered yet goes on when it does).
		const next = this.end?.next;
		if (next) this.push(next.cursor, next.gen, false);
		return head.answer;
	}

	/** Drops every page asked ahead (the pull goes on from another cursor, or stops). */
	reset(): void {
		this.queue = [];
		this.end = undefined;
	}

	private push(since: number, gen: number | undefined, count: boolean): void {
		const entry: Ahead<A> = { since, answer: this.ask(since, gen, count) };
		this.queue.push(entry);
		this.end = entry;
		entry.answer.then(
			(answer) => {
				entry.next = this.nextOf(answer);
				// The end of the chain (not of a dropped one) answered, and there is room: ask for
				// the page after it.
				if (entry.next && entry === this.end && this.queue.length < this.depth)
					this.push(entry.next.cursor, entry.next.gen, false);
			},
			() => {
				// Safe: this marks the answer handled while the pages before it are written (a
				// failure would otherwise be reported as unhandled meanwhile); the failure itself
				// is thrown by the take of this page, and the chain stops here.
			}
		);
	}
}
