/**
 * Settings' do-not-call list: a file read in the worker and added to the list, or the list
 * cleared. The count shown comes from the database (a live query), not from here.
 */
import { messageOf } from '$lib/errors';
import type { DoNotCallLoad } from '$lib/worker/do-not-call-load';
import { formatNumber } from '$lib/format';

export interface DoNotCallApi {
	loadDoNotCall(file: File, defaultCountry: string): Promise<DoNotCallLoad>;
	clearDoNotCall(): Promise<unknown>;
}

/** What a person reads after a file was added. */
export function loadMessage(load: DoNotCallLoad, fileName: string): string {
	const added = `${formatNumber(load.read)} numbers read from “${fileName}”, ${formatNumber(load.added)} new on the list.`;
	if (load.notPhones === 0) return added;
	const e = load.example;
	const left =
		load.notPhones === 1
			? '1 entry was not a phone number and was left out'
			: `${formatNumber(load.notPhones)} entries were not phone numbers and were left out`;
	return `${added} ${left}${e ? `, e.g. row ${e.row}: “${e.value}”` : ''}.`;
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
			this.#message = 'The do-not-call list is empty.';
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
