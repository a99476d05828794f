/**
 * Phone contact cards (vCard 2.1, 3.0 and 4.0: what the iPhone, iCloud, Google and Android
 * export) read as records of fixed columns, so that a `.vcf` goes through the same mapping,
 * review and job as a sheet. The first record (row 1) is the header `VCARD_COLUMNS`; card k of
 * the file is row k + 1.
 *
 * Streaming, like the CSV splitter: `push(text, final)` takes decoded text chunks and returns the
 * records completed so far, whatever the chunk boundaries. Rules:
 * - folded lines (a line break followed by a space or tab) are unfolded; a quoted-printable value
 *   continues over lines that end with `=`;
 * - a property's group (`item1.TEL`, Apple's labels) is dropped; parameters are read in both the
 *   `TYPE=cell,pref` form and vCard 2.1's bare `CELL;PREF`; `PREF=1` (4.0) marks preference too;
 * - `ENCODING=QUOTED-PRINTABLE` values are decoded with their `CHARSET` (UTF-8 by default);
 *   base64 values (photos, logos, sounds) are skipped and never kept;
 * - the preferred phone (`pref`, then cell/mobile/iPhone, then the first) is `Phone`; the others
 *   follow in file order in `Phone 2` and `Phone 3`, and `Other phones` holds the rest;
 * - a card cut off by the end of the file is still read: its readable fields are never lost.
 */
import type { SourceRecord } from '../record';
import {
	components,
	decodeQuotedPrintable,
	findColon,
	parseLine,
	text,
	type Property
} from './vcard-lines';

export const VCARD_COLUMNS = [
	'First Name',
	'Last Name',
	'Full Name',
	'Phone',
	'Phone 2',
	'Phone 3',
	'Other phones',
	'Email',
	'Email 2',
	'Company',
	'Job Title',
	'Categories',
	'Note',
	'Birthday',
	'Address',
	'Website'
] as const;

type Column = (typeof VCARD_COLUMNS)[number];
const COLUMN_INDEX = new Map<string, number>(VCARD_COLUMNS.map((c, i) => [c, i]));

/** Whether text starts like a vCard file (after blank lines and a BOM). */
export function looksLikeVCard(text: string): boolean {
	return /^\uFEFF?\s*BEGIN:VCARD\s*$/im.test(
		text
			.slice(0, 4096)
			.split(/\r\n|\r|\n/, 8)
			.join('\n')
	);
}

interface Phone {
	value: string;
	rank: number;
	order: number;
}

/** A card being read: its properties as they come. */
class Card {
	phones: Phone[] = [];
	cells = new Map<Column, string>();
	emails: string[] = [];

	set(column: Column, value: string): void {
		if (value && !this.cells.has(column)) this.cells.set(column, value);
	}

	record(row: number): SourceRecord {
		const phones = [...this.phones].sort((a, b) => a.rank - b.rank || a.order - b.order);
		const cells: string[] = VCARD_COLUMNS.map((c) => this.cells.get(c) ?? '');
		const at = (c: Column) => COLUMN_INDEX.get(c)!;
		cells[at('Phone')] = phones[0]?.value ?? '';
		cells[at('Phone 2')] = phones[1]?.value ?? '';
		cells[at('Phone 3')] = phones[2]?.value ?? '';
		cells[at('Other phones')] = phones
			.slice(3)
			.map((p) => p.value)
			.join(', ');
		cells[at('Email')] = this.emails[0] ?? '';
		cells[at('Email 2')] = this.emails[1] ?? '';
		return { row, cells };
	}
}

const PHONE_RANK: Record<string, number> = { cell: 1, mobile: 1, iphone: 1, main: 2 };

function phoneRank(params: Map<string, string[]>): number {
	const types = params.get('TYPE') ?? [];
	if (types.includes('pref') || params.has('PREF')) return 0;
	let rank = 3;
	for (const t of types) rank = Math.min(rank, PHONE_RANK[t] ?? 3);
	return rank;
}

export class VCardSplitter {
	private partial = '';
	/** The logical line being unfolded, not yet known to be complete. */
	private pending: string | null = null;
	private card: Card | null = null;
	private row = 1;
	private headerSent = false;
	private phoneOrder = 0;

	/** Records completed by `text`; with `final`, the last card too. */
	push(chunk: string, final = false): SourceRecord[] {
		const out: SourceRecord[] = [];
		if (!this.headerSent) {
			this.headerSent = true;
			out.push({ row: 1, cells: [...VCARD_COLUMNS] });
		}
		let input = this.partial + chunk;
		this.partial = '';
		// A chunk ending in `\r` may have cut a `\r\n` in two: hold that line until the next chunk.
		const heldCr = !final && input.endsWith('\r');
		if (heldCr) input = input.slice(0, -1);
		const lines = input.split(/\r\n|\r|\n/);
		// The last piece is a line the chunk boundary may have cut.
		if (!final) this.partial = lines.pop()! + (heldCr ? '\r' : '');
		for (const line of lines) this.physical(line, out);
		if (final) {
			this.flushPending(out);
			if (this.card) out.push(this.finish());
		}
		return out;
	}

	private physical(line: string, out: SourceRecord[]): void {
		if (this.pending !== null) {
			if (line.startsWith(' ') || line.startsWith('\t')) {
				this.pending += line.slice(1);
				return;
			}
			// Quoted-printable soft line break: the value goes on, on the next line.
			if (
				/ENCODING=QUOTED-PRINTABLE|;QUOTED-PRINTABLE/i.test(this.pendingHead()) &&
				this.pending.endsWith('=')
			) {
				this.pending = this.pending.slice(0, -1) + line;
				return;
			}
			this.flushPending(out);
		}
		this.pending = line;
	}

	private pendingHead(): string {
		const p = this.pending ?? '';
		const colon = findColon(p);
		return colon < 0 ? p : p.slice(0, colon);
	}

	private flushPending(out: SourceRecord[]): void {
		const line = this.pending;
		this.pending = null;
		if (line === null || line.trim() === '') return;
		const prop = parseLine(line.trim() === line ? line : line.replace(/^\s+/, ''));
		if (!prop) return;
		if (prop.name === 'BEGIN' && prop.value.trim().toUpperCase() === 'VCARD') {
			// A BEGIN inside an unfinished card ends that card: its fields are kept.
			if (this.card) out.push(this.finish());
			this.card = new Card();
			return;
		}
		if (prop.name === 'END' && prop.value.trim().toUpperCase() === 'VCARD') {
			if (this.card) out.push(this.finish());
			return;
		}
		if (this.card) this.apply(this.card, prop);
	}

	private finish(): SourceRecord {
		const record = this.card!.record(++this.row);
		this.card = null;
		this.phoneOrder = 0;
		return record;
	}

	private apply(card: Card, prop: Property): void {
		const encoding = (prop.params.get('ENCODING') ?? []).concat(prop.params.get('TYPE') ?? []);
		// Pictures and sounds: never stored.
		if (encoding.some((e) => e === 'b' || e === 'base64')) return;
		let value = prop.value;
		if (encoding.includes('quoted-printable')) {
			value = decodeQuotedPrintable(value, prop.params.get('CHARSET')?.[0] ?? 'utf-8');
		}
		switch (prop.name) {
			case 'N': {
				const [family = '', given = '', additional = ''] = components(value);
				card.set('Last Name', family);
				card.set('First Name', [given, additional].filter(Boolean).join(' '));
				break;
			}
			case 'FN':
				card.set('Full Name', text(value));
				break;
			case 'TEL': {
				const phone = text(value).replace(/^tel:/i, '');
				if (phone)
					card.phones.push({
						value: phone,
						rank: phoneRank(prop.params),
						order: this.phoneOrder++
					});
				break;
			}
			case 'EMAIL': {
				const email = text(value).replace(/^mailto:/i, '');
				if (!email) break;
				if (phoneRank(prop.params) === 0) card.emails.unshift(email);
				else card.emails.push(email);
				break;
			}
			case 'ORG':
				card.set('Company', components(value).filter(Boolean).join(', '));
				break;
			case 'TITLE':
				card.set('Job Title', text(value));
				break;
			case 'CATEGORIES':
				card.set('Categories', components(value, ',').filter(Boolean).join(', '));
				break;
			case 'NOTE':
				card.set('Note', text(value));
				break;
			case 'BDAY':
				card.set('Birthday', text(value));
				break;
			case 'ADR':
				card.set('Address', components(value).filter(Boolean).join(', '));
				break;
			case 'URL':
				card.set('Website', text(value));
				break;
		}
	}
}
