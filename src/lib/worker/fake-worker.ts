/**
 * A stand-in for the CSV worker in unit tests (imported only by specs): its API answers in the
 * test's own thread with the functions the test gives, so no Worker, Comlink or file parsing is
 * involved. A call to a method the test did not give throws, which names what the code under
 * test asked for.
 */
import type { CsvWorker } from './client';
import type { PreviewResult } from './preview';

/** What a fake worker's API answers: any of the real API's methods, by name. */
export type FakeCsvApi = Partial<Record<keyof CsvWorker['api'], (...args: never[]) => unknown>>;

/** A fake worker; `terminated` counts its `terminate()` calls. */
export interface FakeCsvWorker extends CsvWorker {
	terminated: number;
}

/** A worker whose API is `api`. */
export function fakeCsvWorker(api: FakeCsvApi): FakeCsvWorker {
	const worker: FakeCsvWorker = {
		api: api as unknown as CsvWorker['api'],
		terminated: 0,
		terminate() {
			worker.terminated++;
		}
	};
	return worker;
}

/**
 * The preview of a small, whole, comma-separated UTF-8 file: the header row is row 1 and `cells`
 * is its one data row (each cell also the column's one sample).
 */
export function previewOf(fileName: string, headers: string[], cells: string[]): PreviewResult {
	return {
		fileName,
		fileSize: 100,
		encoding: 'utf-8',
		bom: false,
		delimiter: ',',
		newline: '\n',
		headerRow: 1,
		detectedHeaderRow: 1,
		headers,
		rows: [{ row: 2, cells }],
		samples: cells.map((cell) => (cell === '' ? [] : [cell])),
		wholeFile: true,
		problem: null,
		notice: null,
		columns: headers.length
	};
}
