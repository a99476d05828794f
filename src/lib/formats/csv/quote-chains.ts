/**
 * The quote searches of `RecordSplitter` (record-splitter.ts): where each quoted cell's search for
 * its closing quote ends, remembered per quote, so that all the searches of one push together
 * visit each quote once. Only the splitter uses it; the splitter's linear-time bound rests on it.
 */

export const QUOTE = 0x22;

/** Where a quoted cell's search ended: at its closing quote, or not in this input. */
export const NOT_CLOSED = -1;
/** The input ends where more text could still close (or re-open) the cell. */
export const NEEDS_MORE = -2;
const UNKNOWN = -3;

/**
 * For each quote reached while searching for a quoted cell's end: where that search ends, and the
 * first stray quote (a quote followed by text) met on the way. A search that reaches a quote
 * another search already passed takes the answer from there, so all searches together visit
 * each quote once.
 */
export class QuoteChains {
	private closeAt: Int32Array | null = null;
	private strayAt: Int32Array | null = null;

	constructor(
		private readonly input: string,
		private readonly delimiter: string,
		private readonly newline: string,
		private readonly final: boolean
	) {}

	/**
	 * The end of a quoted cell whose text starts at `from`: its closing quote's index (or
	 * NOT_CLOSED, NEEDS_MORE), and the index of the first stray quote inside it (-1 if none).
	 */
	search(from: number): { close: number; stray: number } {
		const { input } = this;
		let q = input.indexOf('"', from);
		const path: number[] = [];
		let close: number;
		let stray = -1;
		for (;;) {
			if (q === -1) {
				close = this.final ? NOT_CLOSED : NEEDS_MORE;
				break;
			}
			if (this.closeAt && this.closeAt[q] !== UNKNOWN) {
				close = this.closeAt[q];
				stray = this.strayAt![q];
				break;
			}
			if (input.charCodeAt(q + 1) === QUOTE) {
				path.push(q);
				q = input.indexOf('"', q + 2);
				continue;
			}
			const end = this.endsCell(q + 1);
			if (end === 1) {
				close = q;
				break;
			}
			if (end === 0) {
				close = NEEDS_MORE;
				break;
			}
			path.push(~q); // a stray quote: kept as text, the search goes on
			q = input.indexOf('"', q + 1);
		}
		if (path.length > 0) {
			if (!this.closeAt) {
				this.closeAt = new Int32Array(input.length + 1).fill(UNKNOWN);
				this.strayAt = new Int32Array(input.length + 1);
			}
			for (let i = path.length - 1; i >= 0; i--) {
				const p = path[i] < 0 ? ~path[i] : path[i];
				if (path[i] < 0) stray = p;
				this.closeAt[p] = close;
				this.strayAt![p] = stray;
			}
		}
		return { close, stray };
	}

	/**
	 * Whether a quote just before `at` closes its cell: 1 when spaces, then the delimiter, the
	 * newline or the end of the file follow; -1 when other text follows; 0 when the input ends
	 * before that is known (more text may follow).
	 */
	endsCell(at: number): -1 | 0 | 1 {
		const { input, delimiter, newline } = this;
		for (let k = at; ; k++) {
			if (k >= input.length) return this.final ? 1 : 0;
			if (input.startsWith(delimiter, k) || input.startsWith(newline, k)) return 1;
			const c = input.charCodeAt(k);
			if (c === 0x20 || c === 0x09) continue;
			// A newline split between two pushes ("\r" now, "\n" next).
			if (!this.final && input.length - k < newline.length && newline.startsWith(input.slice(k)))
				return 0;
			return -1;
		}
	}
}
