/**
 * The Upload step's file: the file chosen, how it is read (what the preview detected, and what
 * the person chose over it) and its preview from the worker, which reads only the file's start.
 * Changing how the file is read reads the preview again; a preview that cannot be read leaves
 * `preview` null and says why in `error`.
 */
import { messageOf } from '$lib/errors';
import { m } from '$lib/paraglide/messages';
import type { Delimiter, Encoding } from '$lib/domain/sniff';
import type { WorkerBridge } from '$lib/worker/bridge';
import type { PreviewOverrides, PreviewResult } from '$lib/worker/preview';

/** The slice of the worker API a preview needs. */
export interface PreviewApi {
	preview(file: File, overrides?: PreviewOverrides): Promise<PreviewResult>;
	cancel(taskId: string): unknown;
}

export class FileSource {
	file = $state.raw<File | null>(null);
	preview = $state.raw<PreviewResult | null>(null);
	reading = $state(false);
	/** What the person chose over the detected settings. */
	overrides = $state<PreviewOverrides>({});
	error = $state<string | null>(null);

	readonly headers = $derived(this.preview?.headers ?? []);
	/** Whether the file can go on to mapping: read, with columns, and nothing that stops it. */
	readonly ready = $derived(
		!!this.preview && !this.preview.problem && !this.reading && this.headers.length > 0
	);

	/** Reads started: only the latest one's answer lands. */
	private reads = 0;

	constructor(private readonly worker: WorkerBridge<PreviewApi>) {}

	/** Reads a newly chosen file (or a restored one, with the settings chosen for it then). */
	async choose(file: File, overrides: PreviewOverrides = {}): Promise<void> {
		this.file = file;
		this.overrides = overrides;
		await this.read();
	}

	/** Reads the file with another header row (1-based); false, with `error` set, if invalid. */
	async setHeaderRow(row: number): Promise<boolean> {
		if (!this.file || !Number.isInteger(row) || row < 1) {
			this.error = m.file_header_row();
			return false;
		}
		this.overrides = { ...this.overrides, headerRow: row };
		await this.read();
		return true;
	}

	/** Reads the file with another encoding; delimiter and header row are detected again unless chosen. */
	async setEncoding(encoding: Encoding): Promise<void> {
		const { headerRow: _, ...rest } = this.overrides;
		this.overrides = { ...rest, encoding };
		await this.read();
	}

	/** Reads the file with another delimiter; the header row is detected again. */
	async setDelimiter(delimiter: Delimiter): Promise<void> {
		const { headerRow: _, ...rest } = this.overrides;
		this.overrides = { ...rest, delimiter };
		await this.read();
	}

	/** Reads another sheet of a workbook; its header row is detected again. */
	async setSheet(sheet: string): Promise<void> {
		this.overrides = { sheet };
		await this.read();
	}

	clear(): void {
		this.file = null;
		this.preview = null;
		this.overrides = {};
		this.error = null;
	}

	private async read(): Promise<void> {
		const file = this.file;
		if (!file) return;
		// An earlier read that answers later (another file, or other overrides) is dropped.
		const read = ++this.reads;
		this.reading = true;
		this.error = null;
		const overrides = $state.snapshot(this.overrides);
		try {
			const preview = await this.worker.call((api) => api.preview(file, overrides));
			if (read === this.reads) this.preview = preview;
		} catch (error) {
			if (read !== this.reads) return;
			this.preview = null;
			this.error = m.file_unreadable({ message: messageOf(error) });
		} finally {
			if (read === this.reads) this.reading = false;
		}
	}
}
