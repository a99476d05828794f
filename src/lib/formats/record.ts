/**
 * What every format's reader yields: the file's rows as records of text cells, whatever the file
 * is (a CSV line, a sheet's row, a contact card). Review, import, resume and the error report
 * read nothing else, so they never know which format a file was.
 */

/** One row of the source file. */
export interface SourceRecord {
	/**
	 * 1-based row number as the person sees it in the file: a CSV's record number, a sheet's own
	 * row number (gaps where the sheet has empty rows), a card's position + 1 (row 1 is the header).
	 * Increasing within a file; a job's checkpoint is one of these.
	 */
	row: number;
	cells: string[];
	/** Set on a malformed record: why it could not be read. Its `cells` hold its raw start. */
	error?: string;
}

export interface RecordChunk {
	records: SourceRecord[];
	/** Bytes read so far (progress); for a sheet read whole, the records so far instead. */
	bytesRead: number;
	totalBytes: number;
}
