/**
 * The workspace's do-not-call list: phones (E.164) nobody in the team may call. Held as one
 * sorted `Float64Array` of the numbers' digits (an E.164 number has at most 15 digits, below
 * 2^53, so each is exact): 8 bytes a number, 8 MB for a million, and a lookup is a binary search
 * with no string allocated. Pure.
 */

/** The key of an E.164 phone (`+14155550100` → 14155550100), or NaN when it is not one. */
export function dncKey(phone: string): number {
	if (phone.length < 3 || phone.length > 16 || phone.charCodeAt(0) !== 43) return NaN;
	let n = 0;
	for (let i = 1; i < phone.length; i++) {
		const d = phone.charCodeAt(i) - 48;
		if (d < 0 || d > 9) return NaN;
		n = n * 10 + d;
	}
	return n;
}

/** Sorted, without repeats. */
function normalise(keys: Float64Array): Float64Array {
	keys.sort();
	let k = 0;
	for (let i = 0; i < keys.length; i++) if (i === 0 || keys[i] !== keys[k - 1]) keys[k++] = keys[i];
	return keys.subarray(0, k).slice();
}

export class DoNotCallSet {
	static readonly EMPTY = new DoNotCallSet(new Float64Array(0));

	/** @param keys sorted keys without repeats (as `keys` gives them) */
	private constructor(private readonly sorted: Float64Array) {}

	/** A set of the phones given (any order; repeats and non-E.164 values left out). */
	static of(phones: Iterable<string>): DoNotCallSet {
		const keys: number[] = [];
		for (const phone of phones) {
			const key = dncKey(phone);
			if (!Number.isNaN(key)) keys.push(key);
		}
		return new DoNotCallSet(normalise(Float64Array.from(keys)));
	}

	/** The set a stored array of keys describes (sorted again: stored data is not trusted). */
	static fromKeys(keys: Float64Array): DoNotCallSet {
		return new DoNotCallSet(normalise(Float64Array.from(keys)));
	}

	get size(): number {
		return this.sorted.length;
	}

	/** The sorted keys, to store. */
	keys(): Float64Array {
		return this.sorted;
	}

	hasKey(key: number): boolean {
		const a = this.sorted;
		let lo = 0;
		let hi = a.length - 1;
		while (lo <= hi) {
			const mid = (lo + hi) >>> 1;
			const v = a[mid];
			if (v === key) return true;
			if (v < key) lo = mid + 1;
			else hi = mid - 1;
		}
		return false;
	}

	has(phone: string): boolean {
		const key = dncKey(phone);
		return !Number.isNaN(key) && this.hasKey(key);
	}

	/** This set with `other`'s numbers added. */
	union(other: DoNotCallSet): DoNotCallSet {
		if (other.size === 0) return this;
		if (this.size === 0) return other;
		const both = new Float64Array(this.size + other.size);
		both.set(this.sorted);
		both.set(other.sorted, this.size);
		return new DoNotCallSet(normalise(both));
	}
}
