/** Types of gen-workbook.js (a plain script the benchmark runs in Node; tests import it too). */
export type XlsxCell =
	| string
	| number
	| null
	| undefined
	| {
			raw?: string;
			v?: number | string;
			f?: string;
			b?: boolean;
			e?: string;
			rich?: string[];
			style?: 'general' | 'date' | 'datetime' | 'zeros' | 'text' | 'percent';
	  };

export interface XlsxSheet {
	name: string;
	rows: XlsxCell[][];
	hidden?: boolean;
	merges?: string[];
	dimension?: boolean;
	prefix?: string;
}

export function xlsxFile(book: {
	sheets: XlsxSheet[];
	inline?: boolean;
	date1904?: boolean;
	macros?: boolean;
	externalLink?: boolean;
}): Uint8Array;

export type OdsCell =
	| string
	| number
	| null
	| {
			float?: string;
			shown?: string;
			date?: string;
			time?: string;
			bool?: boolean;
			percent?: string;
			text?: string;
			repeat?: number;
			span?: number;
			covered?: boolean;
			note?: string;
			lines?: string[];
	  };

export function odsFile(book: {
	sheets: {
		name: string;
		rows: (OdsCell[] | { repeat: number; cells: OdsCell[] })[];
		emptyTail?: boolean;
	}[];
	macros?: boolean;
}): Uint8Array;

export function xlsxFromRows(rows: string[][]): Uint8Array;

export function declareSize(zip: Uint8Array, name: string, size: number): Uint8Array;
