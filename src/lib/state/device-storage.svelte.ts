/**
 * Whether this device keeps the app's data for good, and asking for it without making anyone
 * wait. `navigator.storage.persist()` is never awaited on a person's path: Firefox answers it
 * with a permission prompt, and a flow that awaited it would wait on the answer (forever when
 * nobody answers). It is asked from the Settings control, and once after the first completed
 * import, where a prompt makes sense; either way the app goes on.
 */
import { messageOf } from '$lib/errors';
import { m } from '$lib/paraglide/messages';

export type Engine = 'webkit' | 'gecko' | 'chromium' | 'other';

/** The browser engine, from the user agent (every browser on an iPhone or iPad is WebKit). */
export function engineOf(userAgent: string): Engine {
	if (/\bFirefox\//.test(userAgent)) return 'gecko';
	if (
		/\b(HeadlessChrome|Chrome|Chromium|Edg|OPR)\//.test(userAgent) &&
		!/\b(CriOS|FxiOS|EdgiOS)\//.test(userAgent)
	)
		return 'chromium';
	if (/AppleWebKit\//.test(userAgent)) return 'webkit';
	return 'other';
}

/** What each engine does with a site's data that is not persistent, for people. */
export const STORAGE_RULES: Record<Engine, () => string> = {
	webkit: m.storage_rules_webkit,
	gecko: m.storage_rules_gecko,
	chromium: m.storage_rules_chromium,
	other: m.storage_rules_other
};

export interface PersistenceApi {
	persisted?(): Promise<boolean>;
	persist?(): Promise<boolean>;
}

/** A flag that outlives a reload (localStorage), for asking once. */
export interface Flag {
	getItem(key: string): string | null;
	setItem(key: string, value: string): void;
}

const ASKED = 'callaro-import:persist-asked';

export class DeviceStorage {
	/** null until known, or where the browser cannot tell. */
	persisted = $state<boolean | null>(null);
	asking = $state(false);
	/** What came of the last request, for people. */
	note = $state<string | null>(null);
	readonly rules: string;

	constructor(
		private readonly storage: PersistenceApi | undefined,
		private readonly flag: Flag | undefined,
		readonly engine: Engine
	) {
		this.rules = STORAGE_RULES[engine]();
	}

	/** Whether the browser can be asked at all. */
	get supported(): boolean {
		return !!this.storage?.persist;
	}

	async refresh(): Promise<void> {
		try {
			this.persisted = this.storage?.persisted ? await this.storage.persisted() : null;
		} catch {
			// The browser cannot tell (a private window may refuse): shown as unknown.
			this.persisted = null;
		}
	}

	/** The Settings control: the person asked, so the answer is awaited and said. */
	async request(): Promise<void> {
		if (!this.storage?.persist) {
			this.note = m.storage_cannot();
			return;
		}
		this.asking = true;
		try {
			const granted = await this.storage.persist();
			this.persisted = granted;
			this.note = granted ? m.storage_granted() : m.storage_refused({ rules: this.rules });
		} catch (error) {
			this.note = m.storage_ask_failed({ message: messageOf(error) });
		} finally {
			this.asking = false;
		}
	}

	/**
	 * Asks once per device, after the first completed import, without waiting for the answer:
	 * nothing waits on it, and the answer only updates `persisted`.
	 */
	askOnce(): void {
		if (!this.storage?.persist || this.flag?.getItem(ASKED)) return;
		try {
			this.flag?.setItem(ASKED, '1');
		} catch {
			// Without the flag it may ask again next time: harmless.
		}
		this.storage.persist().then(
			(granted) => (this.persisted = granted),
			() => {
				// A refusal to ask changes nothing: the storage stays as it was, and Settings says so.
			}
		);
	}
}

let shared: DeviceStorage | undefined;

/** The device's storage, for pages (one instance, so Settings and the import page agree). */
export function deviceStorage(): DeviceStorage {
	shared ??= new DeviceStorage(
		typeof navigator === 'undefined' ? undefined : navigator.storage,
		typeof localStorage === 'undefined' ? undefined : safeLocalStorage(),
		engineOf(typeof navigator === 'undefined' ? '' : navigator.userAgent)
	);
	return shared;
}

function safeLocalStorage(): Flag | undefined {
	try {
		return localStorage;
	} catch {
		// Blocked storage (some private modes): the app asks every time instead of once.
		return undefined;
	}
}
