/**
 * The cross-engine driver the specs use: a page with Playwright-like locators over a small
 * `Backend` (puppeteer-core for Chromium and Firefox, W3C WebDriver for WebKit). Elements are
 * found in the page (finder.ts) and acted on with the engine's native click and file upload;
 * values of text fields and selects are set in the page with the events a person's input fires.
 */
import type { Engine } from './browsers';
import { FINDER, type Found, type Query } from './finder';

export interface Backend {
	readonly engine: Engine;
	goto(url: string): Promise<void>;
	url(): Promise<string>;
	/** Runs `body`, the body of an async function whose arguments are `args`, in the page. */
	run<T>(body: string, args?: unknown[]): Promise<T>;
	click(css: string): Promise<void>;
	upload(css: string, path: string): Promise<void>;
	/**
	 * Stops the browser in the middle of whatever it does: SIGKILL to the whole browser where its
	 * profile is on disk (Chromium, Firefox); in WebKit, whose automation sessions keep their data
	 * in memory and end when a tab's process dies, the tab is closed mid-write.
	 */
	crash(): Promise<void>;
	/** After `crash`: a browser on the same storage again. */
	recover(): Promise<void>;
	/**
	 * The process at the root of the browser's process tree (the benchmark reads its memory and
	 * slows it down), and a pattern for processes in that tree that are not the browser.
	 */
	processes(): { root: number; notBrowser?: RegExp } | undefined;
	close(): Promise<void>;
}

/** Polls `probe` until it returns a truthy value; throws with `what` and the last value. */
export async function waitFor<T>(
	probe: () => Promise<T>,
	what: string,
	timeoutMs = 30_000
): Promise<NonNullable<T>> {
	const deadline = Date.now() + timeoutMs;
	let last: unknown;
	for (;;) {
		try {
			last = await probe();
			if (last) return last as NonNullable<T>;
		} catch (error) {
			// A page mid-navigation may refuse a script: try again until the deadline.
			last = error instanceof Error ? error.message : error;
		}
		if (Date.now() > deadline)
			throw new Error(
				`Timed out after ${timeoutMs} ms waiting for ${what} (last: ${JSON.stringify(last)})`
			);
		await new Promise((r) => setTimeout(r, 100));
	}
}

/**
 * A script that says what the app's database holds: each table's row count, and the small
 * tables' rows (settings, sync state), so that a failure tells a sync that never ran from a page
 * that never showed what arrived. It reads IndexedDB directly and changes nothing.
 */
const STORED_STATE = `
	// Each request answers within 1.5 s or says HUNG: a store locked for good is what it may show.
	const within = (request) => new Promise((resolve) => {
		const timer = setTimeout(() => resolve('HUNG'), 1500);
		request.onsuccess = () => { clearTimeout(timer); resolve(request.result); };
		request.onerror = () => { clearTimeout(timer); resolve('error'); };
	});
	const open = indexedDB.open('callaro-import');
	// A database that is not there is not created: the open fails instead.
	open.onupgradeneeded = () => open.transaction.abort();
	const db = await within(open);
	if (typeof db !== 'object') return 'the database did not open: ' + db;
	const out = [];
	for (const name of Array.from(db.objectStoreNames)) {
		const count = await within(db.transaction(name, 'readonly').objectStore(name).count());
		let rows = '';
		if (typeof count === 'number' && count > 0 && count <= 3 && !/contact|file|part|chunk|index/i.test(name)) {
			const all = await within(db.transaction(name, 'readonly').objectStore(name).getAll());
			rows = ' ' + JSON.stringify(all, (k, v) => (k === 'token' ? '…' : v)).slice(0, 400);
		}
		out.push(name + '=' + count + rows);
	}
	db.close();
	return out.join('; ');
`;

export class Locator {
	constructor(
		private readonly page: Page,
		readonly query: Query
	) {}

	private describe(): string {
		return JSON.stringify(this.query);
	}

	/**
	 * Runs `wait`; when it times out, the error also says what the page showed then (its path and
	 * the start of its text), so that a failure far from this machine can be read.
	 */
	private async withPageState<T>(wait: () => Promise<T>): Promise<T> {
		try {
			return await wait();
		} catch (error) {
			const shown = await this.page
				.run<string>(
					"return location.pathname + ' | ' + document.body.innerText.replace(/\\s+/g, ' ').slice(0, 800)"
				)
				// A page that cannot answer (closed, navigating) leaves the first error as it is.
				.catch(() => null);
			if (shown !== null && error instanceof Error) error.message += `\nThe page showed: ${shown}`;
			const stored = await this.page
				.run<string>(STORED_STATE)
				// Same: a page that cannot answer leaves the error as it is.
				.catch(() => null);
			if (stored !== null && error instanceof Error) error.message += `\nStored: ${stored}`;
			throw error;
		}
	}

	all(): Promise<Found[]> {
		return this.page.run<Found[]>(FINDER, [this.query]);
	}

	/** The first visible match, waiting for one. */
	async first(timeoutMs?: number): Promise<Found> {
		return this.withPageState(() =>
			waitFor(async () => (await this.all())[0], this.describe(), timeoutMs)
		);
	}

	async count(): Promise<number> {
		return (await this.all()).length;
	}

	async isVisible(): Promise<boolean> {
		return (await this.count()) > 0;
	}

	async text(timeoutMs?: number): Promise<string> {
		return (await this.first(timeoutMs)).text;
	}

	/** Waits until the element is there and enabled, then clicks it natively. */
	async click(timeoutMs?: number): Promise<void> {
		const el = await this.withPageState(() =>
			waitFor(
				async () => (await this.all()).find((f) => !f.disabled),
				`${this.describe()} to be enabled`,
				timeoutMs
			)
		);
		await this.page.backend.click(el.css);
	}

	async fill(value: string): Promise<void> {
		const el = await this.first();
		await this.page.run(
			`const el = document.querySelector(args[0]);
			el.focus();
			const proto = el.tagName === 'TEXTAREA' ? HTMLTextAreaElement.prototype : HTMLInputElement.prototype;
			Object.getOwnPropertyDescriptor(proto, 'value').set.call(el, args[1]);
			el.dispatchEvent(new Event('input', { bubbles: true }));
			el.dispatchEvent(new Event('change', { bubbles: true }));`,
			[el.css, value]
		);
	}

	/** Chooses the option whose value is `value` in a select. */
	async select(value: string): Promise<void> {
		const el = await this.first();
		const ok = await this.page.run<boolean>(
			`const el = document.querySelector(args[0]);
			if (![...el.options].some((o) => o.value === args[1])) return false;
			el.value = args[1];
			el.dispatchEvent(new Event('input', { bubbles: true }));
			el.dispatchEvent(new Event('change', { bubbles: true }));
			return true;`,
			[el.css, value]
		);
		if (!ok) throw new Error(`${this.describe()} has no option ${value}`);
	}

	async check(): Promise<void> {
		const el = await this.first();
		if (!el.checked) await this.page.backend.click(el.css);
		await waitFor(async () => (await this.first()).checked, `${this.describe()} to be checked`);
	}

	async upload(path: string): Promise<void> {
		const el = await this.first();
		await this.page.backend.upload(el.css, path);
	}

	/** Waits until the element's text matches. */
	async waitForText(wanted: string | RegExp, timeoutMs?: number): Promise<string> {
		return this.withPageState(() =>
			waitFor(
				async () => {
					const t = (await this.all())[0]?.text ?? '';
					return (typeof wanted === 'string' ? t === wanted : wanted.test(t)) ? t : null;
				},
				`${this.describe()} to read ${String(wanted)}`,
				timeoutMs
			)
		);
	}

	/** The number the element shows (thousand separators allowed). */
	async number(timeoutMs?: number): Promise<number> {
		const text = await waitFor(
			async () => {
				const t = (await this.all())[0]?.text;
				return t && /\d/.test(t) ? t : null;
			},
			`${this.describe()} to show a number`,
			timeoutMs
		);
		return Number(/[\d,]+/.exec(text)![0].replace(/,/g, ''));
	}
}

export class Page {
	constructor(
		public backend: Backend,
		readonly origin: string
	) {}

	get engine(): Engine {
		return this.backend.engine;
	}

	async goto(path: string): Promise<void> {
		await this.backend.goto(new URL(path, this.origin).href);
	}

	/**
	 * Follows a link of the main navigation, as a person does: the app routes within the page, so
	 * its workers go on (a `goto` loads the page afresh, as a reload does).
	 */
	async navigate(link: 'Import' | 'Import history' | 'Contacts' | 'Segments' | 'Settings') {
		const path = {
			Import: '/import',
			'Import history': '/imports',
			Contacts: '/contacts',
			Segments: '/segments',
			Settings: '/settings'
		}[link];
		await this.role('link', link).click();
		await waitFor(async () => (await this.path()) === path, `the ${path} page`);
	}

	async path(): Promise<string> {
		return new URL(await this.backend.url()).pathname;
	}

	run<T>(body: string, args: unknown[] = []): Promise<T> {
		return this.backend.run<T>(body, args);
	}

	role(role: string, name?: string, options: { prefix?: boolean; level?: number } = {}): Locator {
		return new Locator(this, { role, name, ...options });
	}

	label(label: string, options: { prefix?: boolean } = {}): Locator {
		return new Locator(this, { label, ...options });
	}

	testId(testId: string): Locator {
		return new Locator(this, { testId });
	}

	text(text: string, options: { prefix?: boolean } = {}): Locator {
		return new Locator(this, { text, ...options });
	}

	/** Waits for a level-1 heading. */
	async heading(name: string, timeoutMs?: number): Promise<void> {
		await this.role('heading', name, { level: 1 }).first(timeoutMs);
	}

	/** The page's visible text, for failure messages. */
	bodyText(): Promise<string> {
		return this.run<string>('return document.body.innerText');
	}
}
