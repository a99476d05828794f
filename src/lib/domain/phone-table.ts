/**
 * A compact hash map from E.164 phone numbers to a row number, for the two sets an import keeps
 * in memory for the whole file: the first row of each phone (in-file dedupe) and the phones that
 * already existed when a run started.
 *
 * Why not `Map<string, number>`: a million string keys cost ~80 MB and much GC work; here a phone
 * is its digits as a double (E.164 has at most 15 digits, and every integer below 2^53 is exact),
 * stored in typed arrays with open addressing: ~24 MB for a million numbers, nothing for the GC
 * to trace. Key 0 marks an empty slot (no phone is "+0").
 */
export class PhoneTable {
	private keys: Float64Array;
	private values: Int32Array;
	private mask: number;
	private count = 0;

	constructor(capacity = 1024) {
		let size = 16;
		while (size < capacity * 2) size *= 2;
		this.keys = new Float64Array(size);
		this.values = new Int32Array(size);
		this.mask = size - 1;
	}

	get size(): number {
		return this.count;
	}

	/** The row stored for `phone`, or undefined. */
	get(phone: string): number | undefined {
		return this.getKey(keyOf(phone));
	}

	/** The row stored for a phone given as its digits' number (`+1415…` → 1415…). */
	getKey(key: number): number | undefined {
		for (let i = slot(key, this.mask); ; i = (i + 1) & this.mask) {
			const k = this.keys[i];
			if (k === key) return this.values[i];
			if (k === 0) return undefined;
		}
	}

	has(phone: string): boolean {
		return this.get(phone) !== undefined;
	}

	/** Stores `row` for `phone` unless it has one; returns the row stored before, if any. */
	setIfAbsent(phone: string, row: number): number | undefined {
		const key = keyOf(phone);
		for (let i = slot(key, this.mask); ; i = (i + 1) & this.mask) {
			const k = this.keys[i];
			if (k === key) return this.values[i];
			if (k === 0) {
				this.keys[i] = key;
				this.values[i] = row;
				if (++this.count * 2 > this.keys.length) this.grow();
				return undefined;
			}
		}
	}

	/** Stores `row` for `phone`, replacing any row stored before. */
	set(phone: string, row: number): void {
		this.setKey(keyOf(phone), row);
	}

	/** `set` for a phone given as its digits' number (never 0). */
	setKey(key: number, row: number): void {
		for (let i = slot(key, this.mask); ; i = (i + 1) & this.mask) {
			const k = this.keys[i];
			if (k === key) {
				this.values[i] = row;
				return;
			}
			if (k === 0) {
				this.keys[i] = key;
				this.values[i] = row;
				if (++this.count * 2 > this.keys.length) this.grow();
				return;
			}
		}
	}

	/**
	 * Stores `row` for a phone given as its digits' number (never 0), replacing any row stored
	 * before, which it returns: one probe where `getKey` then `setKey` would take two.
	 */
	replaceKey(key: number, row: number): number | undefined {
		for (let i = slot(key, this.mask); ; i = (i + 1) & this.mask) {
			const k = this.keys[i];
			if (k === key) {
				const before = this.values[i];
				this.values[i] = row;
				return before;
			}
			if (k === 0) {
				this.keys[i] = key;
				this.values[i] = row;
				if (++this.count * 2 > this.keys.length) this.grow();
				return undefined;
			}
		}
	}

	private grow(): void {
		const keys = this.keys;
		const values = this.values;
		this.keys = new Float64Array(keys.length * 2);
		this.values = new Int32Array(keys.length * 2);
		this.mask = this.keys.length - 1;
		for (let j = 0; j < keys.length; j++) {
			const key = keys[j];
			if (key === 0) continue;
			let i = slot(key, this.mask);
			while (this.keys[i] !== 0) i = (i + 1) & this.mask;
			this.keys[i] = key;
			this.values[i] = values[j];
		}
	}
}

/** `+14155552671` → 14155552671. Throws on anything that is not `+` and 1–15 digits. */
function keyOf(phone: string): number {
	if (!/^\+[1-9]\d{0,14}$/.test(phone)) throw new Error(`Not an E.164 number: ${phone}`);
	return Number(phone.slice(1));
}

function slot(key: number, mask: number): number {
	// ToUint32 of an integer-valued double is the number modulo 2^32: the low 32 bits.
	const lo = key >>> 0;
	const hi = Math.floor(key / 4294967296) | 0;
	let h = Math.imul(lo ^ Math.imul(hi, 0x9e3779b1), 0x85ebca6b);
	h ^= h >>> 13;
	h = Math.imul(h, 0xc2b2ae35);
	h ^= h >>> 16;
	return h & mask;
}
