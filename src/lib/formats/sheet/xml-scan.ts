/**
 * A streaming XML scanner for the parts of a workbook: text in chunks goes in, elements and text
 * come out to handlers. It reads well-formed XML 1.0 as workbook writers produce it, and jumps
 * from `<` to `<` with `indexOf` instead of stepping a state machine through every character,
 * which makes it several times faster than a general parser on sheets of a million cells (the
 * import must read a sheet as fast as a CSV).
 *
 * What it reads: elements (with or without a namespace prefix; names are given as written),
 * attributes in single or double quotes (a `>` inside a quoted value is part of the value),
 * self-closing elements (reported as an open then a close), the five predefined entities and
 * numeric character references, CDATA sections (as text), comments and processing instructions
 * (skipped).
 *
 * What it refuses, with an `XmlError`: a document type declaration (`<!DOCTYPE`: workbooks never
 * have one, and refusing it rules out entity-expansion attacks), an unknown entity, a close tag
 * that does not match the open one, a tag never closed by the end of the input, and a single tag
 * or text run longer than `maxToken` characters (a hostile part cannot make the scanner hold an
 * unbounded tail).
 */

export interface XmlHandlers {
	/**
	 * An element starts. `attributes` is its raw attribute text, read with `attribute()` only for
	 * the attributes a handler needs: most elements of a sheet need none, and building an object
	 * of attributes for each of millions of cells is most of a general parser's cost.
	 */
	open(name: string, attributes: string): void;
	/** Text between tags, entities decoded. May come in several pieces for one run. */
	text(text: string): void;
	close(name: string): void;
}

export class XmlError extends Error {
	override name = 'XmlError';
}

const ENTITIES: Record<string, string> = { amp: '&', lt: '<', gt: '>', quot: '"', apos: "'" };

/** Decodes entity and character references. */
export function decodeEntities(text: string): string {
	if (!text.includes('&')) return text;
	return text.replace(/&([^;&\s]{1,10});/g, (whole, ref: string) => {
		const named = ENTITIES[ref];
		if (named !== undefined) return named;
		if (ref[0] === '#') {
			const code =
				ref[1] === 'x' || ref[1] === 'X' ? parseInt(ref.slice(2), 16) : parseInt(ref.slice(1), 10);
			if (Number.isInteger(code) && code >= 0 && code <= 0x10ffff)
				return String.fromCodePoint(code);
		}
		throw new XmlError(`unknown entity ${whole}`);
	});
}

export interface XmlScannerOptions {
	/** Give handlers names without their namespace prefix (`x:row` as `row`). */
	localNames?: boolean;
	/** The longest single tag or text run held while waiting for its end. */
	maxToken?: number;
}

export class XmlScanner {
	private tail = '';
	/** Open elements: qualified names (to match close tags) and the names handlers were given. */
	private readonly stack: string[] = [];
	private readonly given: string[] = [];
	private readonly localNames: boolean;
	private readonly maxToken: number;

	constructor(
		private readonly handlers: XmlHandlers,
		options: XmlScannerOptions = {}
	) {
		this.localNames = options.localNames ?? false;
		this.maxToken = options.maxToken ?? 64 * 1024 * 1024;
	}

	/** Scans a chunk; a tag cut by the chunk's end waits for the next one. */
	write(chunk: string): void {
		const input = this.tail + chunk;
		const end = this.scan(input);
		this.tail = input.slice(end);
		if (this.tail.length > this.maxToken) {
			throw new XmlError(
				`a single tag or text runs over ${this.maxToken.toLocaleString('en-US')} characters`
			);
		}
	}

	/** Ends the input: what is left must be plain text, and every element closed. */
	close(): void {
		const rest = this.tail;
		this.tail = '';
		if (rest.includes('<')) throw new XmlError('the input ends inside a tag');
		if (rest.trim() !== '' && this.stack.length > 0) this.handlers.text(decodeEntities(rest));
		if (this.stack.length > 0)
			throw new XmlError(`the element <${this.stack[this.stack.length - 1]}> is never closed`);
	}

	/** Scans complete tokens of `s`; returns where the unscanned rest starts. */
	private scan(s: string): number {
		const h = this.handlers;
		let i = 0;
		const n = s.length;
		while (i < n) {
			const lt = s.indexOf('<', i);
			if (lt < 0) {
				// Text up to the end: keep it until its run ends (an entity may be cut in two).
				return i;
			}
			if (lt > i && this.stack.length > 0) h.text(decodeEntities(s.slice(i, lt)));
			const c = s.charCodeAt(lt + 1);
			if (Number.isNaN(c)) return lt;
			if (c === 47 /* / */) {
				const gt = s.indexOf('>', lt);
				if (gt < 0) return lt;
				// Compared in place (no slice): the close tag must name the open element, then
				// only spaces may come before its `>`.
				const open = this.stack.pop();
				let k = open === undefined || !s.startsWith(open, lt + 2) ? -1 : lt + 2 + open.length;
				while (k >= 0 && k < gt && s.charCodeAt(k) <= 32) k++;
				if (k !== gt) {
					const name = s.slice(lt + 2, gt).trim();
					throw new XmlError(
						`unexpected close tag </${name}>${open ? ` where </${open}> was expected` : ''}`
					);
				}
				h.close(this.given.pop()!);
				i = gt + 1;
			} else if (c === 33 /* ! */) {
				if (s.startsWith('<!--', lt)) {
					const end = s.indexOf('-->', lt + 4);
					if (end < 0) return lt;
					i = end + 3;
				} else if (s.startsWith('<![CDATA[', lt)) {
					const end = s.indexOf(']]>', lt + 9);
					if (end < 0) return lt;
					if (this.stack.length > 0) h.text(s.slice(lt + 9, end));
					i = end + 3;
				} else if (n - lt < 9) {
					return lt;
				} else {
					throw new XmlError('a document type declaration is not allowed in a workbook');
				}
			} else if (c === 63 /* ? */) {
				const end = s.indexOf('?>', lt + 2);
				if (end < 0) return lt;
				i = end + 2;
			} else {
				const gt = tagEnd(s, lt + 1);
				if (gt < 0) return lt;
				const selfClosing = s.charCodeAt(gt - 1) === 47;
				const bodyEnd = selfClosing ? gt - 1 : gt;
				let e = lt + 1;
				let colon = -1;
				while (e < bodyEnd) {
					const b = s.charCodeAt(e);
					if (b <= 32 || b === 47) break;
					if (b === 58 /* : */) colon = e;
					e++;
				}
				if (e === lt + 1) throw new XmlError('a tag with no name');
				const qualified = s.slice(lt + 1, e);
				const name = this.localNames && colon >= 0 ? s.slice(colon + 1, e) : qualified;
				h.open(name, e < bodyEnd ? s.slice(e, bodyEnd) : '');
				if (selfClosing) h.close(name);
				else {
					this.stack.push(qualified);
					this.given.push(name);
				}
				i = gt + 1;
			}
		}
		return i;
	}
}

/** The `>` that ends a tag started before `from`, skipping quoted attribute values; -1 if not yet. */
function tagEnd(s: string, from: number): number {
	// Tags are short: step through this one's characters (an indexOf for a quote could run far
	// past the tag's end, over the whole chunk, for every tag).
	const n = s.length;
	let quote = 0;
	for (let i = from; i < n; i++) {
		const c = s.charCodeAt(i);
		if (quote !== 0) {
			if (c === quote) quote = 0;
		} else if (c === 62 /* > */) return i;
		else if (c === 34 || c === 39) quote = c;
	}
	return -1;
}

/**
 * Walks a tag's raw attribute text in order: `visit(nameStart, nameEnd, valueStart, valueEnd)`
 * for each attribute (the value without its quotes); a visit that returns true stops the walk.
 * Reading in order means a name inside another attribute's value never matches.
 */
function walkAttributes(
	raw: string,
	visit: (nameStart: number, nameEnd: number, valueStart: number, valueEnd: number) => boolean
): void {
	let i = 0;
	const n = raw.length;
	while (i < n) {
		while (i < n && raw.charCodeAt(i) <= 32) i++;
		if (i >= n) return;
		const eq = raw.indexOf('=', i);
		if (eq < 0) throw new XmlError(`an attribute with no value in <… ${raw.slice(0, 40)}>`);
		let nameEnd = eq;
		while (nameEnd > i && raw.charCodeAt(nameEnd - 1) <= 32) nameEnd--;
		let q = eq + 1;
		while (q < n && raw.charCodeAt(q) <= 32) q++;
		const quote = raw[q];
		if (quote !== '"' && quote !== "'")
			throw new XmlError(`an unquoted attribute value in <… ${raw.slice(0, 40)}>`);
		const end = raw.indexOf(quote, q + 1);
		if (end < 0) throw new XmlError(`an attribute value never closed in <… ${raw.slice(0, 40)}>`);
		if (visit(i, nameEnd, q + 1, end)) return;
		i = end + 1;
	}
}

const named = (raw: string, start: number, end: number, name: string) =>
	end - start === name.length && raw.startsWith(name, start);

/** The value of attribute `name` in a tag's raw attribute text (entities decoded), or undefined. */
export function attribute(raw: string, name: string): string | undefined {
	let value: string | undefined;
	walkAttributes(raw, (ns, ne, vs, ve) => {
		if (!named(raw, ns, ne, name)) return false;
		value = decodeEntities(raw.slice(vs, ve));
		return true;
	});
	return value;
}

/**
 * Several attributes in one pass over the raw text: `out[k]` gets the value of `names[k]`, or
 * undefined (a cell's `r`, `t` and `s` are read once per cell of a million-cell sheet).
 */
export function attributesInto(
	raw: string,
	names: readonly string[],
	out: (string | undefined)[]
): void {
	for (let k = 0; k < names.length; k++) out[k] = undefined;
	walkAttributes(raw, (ns, ne, vs, ve) => {
		for (let k = 0; k < names.length; k++) {
			if (named(raw, ns, ne, names[k])) {
				out[k] = decodeEntities(raw.slice(vs, ve));
				break;
			}
		}
		return false;
	});
}

/** Every attribute, by name (for small parts; no prototype, so `__proto__` is a plain name). */
export function attributes(raw: string): Record<string, string> {
	const out = Object.create(null) as Record<string, string>;
	walkAttributes(raw, (ns, ne, vs, ve) => {
		out[raw.slice(ns, ne)] = decodeEntities(raw.slice(vs, ve));
		return false;
	});
	return out;
}
