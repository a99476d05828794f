/** What every reader of records yields, whatever the file's format. */
import type { CsvRecord } from '$lib/domain/csv-records';

export interface RecordChunk {
	records: CsvRecord[];
	/** Bytes read so far (progress). */
	bytesRead: number;
	totalBytes: number;
}
