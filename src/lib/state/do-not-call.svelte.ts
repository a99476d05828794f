/**
 * Settings' do-not-call list: a file read in the worker and added to the list, or the list
 * cleared. The count shown comes from the database (a live query), not from here.
 */
import { messageOf } from '$lib/errors';
import type { DoNotCallLoad } from '$lib/worker/do-not-call-load';
import { formatNumber, plural } from '$lib/format';
import { m } from '$lib/paraglide/messages';

export interface DoNotCallApi {
	loadDoNotCall(file: File, defaultCountry: string): Promise<DoNotCallLoad>;
	clearDoNotCall(): Promise<unknown>;
}

/** What a person reads after a file was added. */
export function loadMessage(load: DoNotCallLoad, fileName: string): string {
	const read = { read: formatNumber(load.read), file: fileName, added: formatNumber(load.added) };
	const added = plural(load.read) === 'one' ? m.dnc_read_one(read) : m.dnc_read_other(read);
	if (load.notPhones === 0) return added;
	const e = load.example;
	const count = formatNumber(load.notPhones);
	const left =
		plural(load.notPhones) === 'one'
			? m.dnc_left_out_one({ count })
			: m.dnc_left_out_other({ count });
	return `${added} ${e ? m.dnc_example({ left, row: e.row, value: e.value }) : m.dnc_left_out({ left })}`;
}

export class DoNotCallEditor {
	#busy = $state(false);
	#message = $state<string | null>(null);
	#error = $state<string | null>(null);

	constructor(private readonly call: <T>(run: (api: DoNotCallApi) => Promise<T>) => Promise<T>) {}

	get busy(): boolean {
		return this.#busy;
	}
	get message(): string | null {
		return this.#message;
	}
	get error(): string | null {
		return this.#error;
	}

	async load(file: File, defaultCountry: string): Promise<void> {
		await this.#run(async () => {
			const load = await this.call((api) => api.loadDoNotCall(file, defaultCountry));
			this.#message = loadMessage(load, file.name);
		});
	}

	async clear(): Promise<void> {
		await this.#run(async () => {
			await this.call((api) => api.clearDoNotCall());
			this.#message = m.dnc_empty();
		});
	}

	async #run(work: () => Promise<void>): Promise<void> {
		this.#busy = true;
		this.#message = null;
		this.#error = null;
		try {
			await work();
		} catch (error) {
			this.#error = messageOf(error);
		} finally {
			this.#busy = false;
		}
	}
}
