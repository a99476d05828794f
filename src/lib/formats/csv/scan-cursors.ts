/**
 * Searches of `RecordSplitter` (record-splitter.ts) that remember how far they already went, so
 * that reading on, or back after a row is set aside, never searches the same text twice. Only the
 * splitter uses them; they and it agree on the same positions within one push's input.
 */

/**
 * The next occurrence of a text at or after a position. Reading mostly moves forward, where the
 * last answer is reused until it is passed; after a row is set aside reading moves back, and only
 * the text between the new position and the last search's start is searched again.
 */
export class Finder {
	/** No occurrence in [from, found); `found` is the first at or after `from` (-1: none). */
	private from = 0;
	private found = -2;

	constructor(
		private readonly input: string,
		private readonly text: string
	) {}

	next(at: number): number {
		if (this.found === -2 || (at > this.found && this.found !== -1)) {
			this.found = this.input.indexOf(this.text, at);
			this.from = at;
		} else if (at < this.from) {
			const before = this.input.slice(at, this.from + this.text.length - 1).indexOf(this.text);
			if (before !== -1) this.found = at + before;
			this.from = at;
		}
		return this.found;
	}
}

/** Line breaks from a position to the end of the input, for positions that only move forward. */
export class LineCounter {
	private total = -1;
	private at = 0;
	private before = 0;

	constructor(
		private readonly input: string,
		private readonly char: string
	) {}

	from(position: number): number {
		if (this.total < 0) this.total = this.count(0, this.input.length);
		if (position > this.at) {
			this.before += this.count(this.at, position);
			this.at = position;
		}
		return this.total - this.before;
	}

	private count(from: number, to: number): number {
		let n = 0;
		for (
			let i = this.input.indexOf(this.char, from);
			i !== -1 && i < to;
			i = this.input.indexOf(this.char, i + 1)
		)
			n++;
		return n;
	}
}
