/**
 * What the cross-engine specs share: the built app served as a static host serves it, a
 * browser of each engine on it, the sync backend as a real process, and the wizard's steps.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { freePort } from '../../scripts/free-port.js';
import { findBrowser, type Engine } from './browsers';
import { Page, waitFor, type Backend } from './driver';
import { launchPuppeteer } from './puppeteer-backend';
import { launchWebKit } from './webdriver-backend';

const ROOT = join(import.meta.dirname, '..', '..');
export const fixture = (name: string) => join(ROOT, 'tests', 'fixtures', name);

export interface Served {
	origin: string;
	port: number;
	stop(): Promise<void>;
	/** Serves again on the same port (after `stop`, to come back online). */
	start(): Promise<void>;
}

/**
 * Serves `build/` with scripts/serve.js (SPA fallback) on a free port; with `extra`, serve.js's
 * other options (the benchmark mounts its own page).
 */
export async function serveApp(extra: string[] = []): Promise<Served> {
	const port = await freePort();
	const origin = `http://localhost:${port}`;
	let child: ChildProcess | undefined;
	const start = async () => {
		child = spawn(
			process.execPath,
			['scripts/serve.js', '--port', String(port), '--dir', 'build', ...extra],
			{
				cwd: ROOT,
				stdio: 'ignore'
			}
		);
		await waitFor(
			() =>
				fetch(origin, { method: 'HEAD' }).then(
					(r) => r.ok,
					() => false
				),
			`the app on ${origin}`,
			10_000
		);
	};
	await start();
	return {
		origin,
		port,
		start,
		async stop() {
			if (!child || child.exitCode !== null) return;
			const exited = new Promise((r) => child!.once('exit', r));
			child.kill('SIGKILL');
			await exited;
		}
	};
}

export interface Device {
	page: Page;
	/** Kills the browser for real, then opens it again on the same storage. */
	crashAndReopen(): Promise<void>;
	close(): Promise<void>;
}

/** A browser of `engine` on a fresh profile, its page on `origin`. */
export async function openDevice(engine: Engine, origin: string): Promise<Device> {
	const found = findBrowser(engine);
	if (found.missing) throw new Error(found.missing);
	const profile = mkdtempSync(join(tmpdir(), `callaro-${engine}-`));
	const backend: Backend =
		engine === 'webkit'
			? await launchWebKit(found.path!, found.browser!)
			: await launchPuppeteer(engine, found.path!, profile);
	const page = new Page(backend, origin);
	return {
		page,
		async crashAndReopen() {
			await backend.crash();
			await backend.recover();
		},
		async close() {
			try {
				await backend.close();
			} finally {
				rmSync(profile, { recursive: true, force: true });
			}
		}
	};
}

export const SYNC_TOKEN = 'cross-engine-sync-token';

export interface SyncServer {
	url: string;
	stop(): Promise<void>;
	/** Kills the process and starts it again on the same port and database (a crash and restart). */
	restart(): Promise<void>;
	stats(): Promise<{ contacts: number; batches: number }>;
}

/** The reference backend as a real process on a fresh SQLite file. */
export async function startSyncServer(): Promise<SyncServer> {
	const port = await freePort();
	const dir = mkdtempSync(join(tmpdir(), 'callaro-sync-'));
	const url = `http://localhost:${port}`;
	const stats = async () => {
		const res = await fetch(`${url}/v1/stats`, {
			headers: { authorization: `Bearer ${SYNC_TOKEN}` }
		});
		return (await res.json()) as { contacts: number; batches: number };
	};
	const start = async () => {
		const child = spawn(process.execPath, ['--import', 'tsx', 'server/index.ts'], {
			cwd: ROOT,
			env: { ...process.env, PORT: String(port), SYNC_TOKEN, DATABASE_PATH: join(dir, 'sync.db') },
			stdio: 'ignore'
		});
		await waitFor(
			() =>
				stats().then(
					() => true,
					() => false
				),
			'the sync server',
			30_000
		);
		return child;
	};
	const kill = async () => {
		if (child.exitCode === null) {
			const exited = new Promise((r) => child.once('exit', r));
			child.kill('SIGKILL');
			await exited;
		}
	};
	let child = await start();
	return {
		url,
		stats,
		async restart() {
			await kill();
			child = await start();
		},
		async stop() {
			await kill();
			rmSync(dir, { recursive: true, force: true });
		}
	};
}

/** Turns sync on in Settings with the SYNC_TOKEN and waits for it to settle. */
export async function configureSync(page: Page, url: string): Promise<void> {
	await page.goto('/settings');
	await page.label('Backend URL').fill(url);
	await page.label('API token').fill(SYNC_TOKEN);
	await page.role('button', 'Save sync settings').click();
	await page.label('Sync enabled').check();
	await page.testId('sync-status').waitForText('Synced', 60_000);
}

/** A temporary file with `text`. */
export function tempFile(name: string, content: string | Uint8Array): string {
	const path = join(mkdtempSync(join(tmpdir(), 'callaro-cross-')), name);
	writeFileSync(path, content);
	return path;
}

/** A CSV of `rows` distinct valid US numbers (+1 212 2xx xxxx) with names and emails. */
export function numberedCsv(rows: number, offset = 0, name = 'numbered.csv'): string {
	const lines = ['Phone,First Name,Last Name,Email'];
	for (let i = offset; i < offset + rows; i++) {
		const n = `${200 + Math.floor(i / 10_000)}${String(i % 10_000).padStart(4, '0')}`;
		lines.push(`+1212${n},First${i},Last${i},person${i}@example.com`);
	}
	return tempFile(name, lines.join('\n') + '\n');
}

/** Opens the wizard, uploads `path` and waits for its preview. */
export async function upload(page: Page, path: string): Promise<void> {
	await page.goto('/import');
	await page.heading('Upload');
	await page.label('Contacts file', { prefix: true }).upload(path);
	await page.role('table', 'Preview').first(30_000);
}

/**
 * Clicks Next and waits for the step's heading. A native click lands where the button was when
 * it was aimed: content that appears above it a moment later (Review's problem rows, its calling
 * counts) can move it away, and the click then falls on whatever took its place. So a click
 * that left the step where it was (its own heading still shown, Next still there) is made again.
 */
export async function next(page: Page, heading: string, timeoutMs?: number): Promise<void> {
	const before = await page.run<string>("return document.querySelector('h1')?.textContent ?? ''");
	await page.role('button', 'Next').click(timeoutMs);
	for (let attempt = 0; attempt < 3; attempt++) {
		try {
			await page.heading(heading, 5_000);
			return;
		} catch {
			// Safe: the step is checked below, and the last wait reports what went wrong.
		}
		const now = await page.run<string>("return document.querySelector('h1')?.textContent ?? ''");
		if (now.trim() !== before.trim()) break;
		await page.role('button', 'Next').click(timeoutMs);
	}
	await page.heading(heading, timeoutMs);
}

/** From an uploaded file to a started import with the suggested mapping; returns the job's path. */
export async function importUploaded(page: Page): Promise<string> {
	await next(page, 'Map columns');
	await next(page, 'Review');
	await page.testId('review-rows-to-import').number(120_000);
	await next(page, 'Import');
	await page.role('button', 'Start import').click();
	return waitFor(
		async () => {
			const path = await page.path();
			return /^\/imports\/[\w-]+$/.test(path) ? path : null;
		},
		"the import's page",
		60_000
	);
}

/** Waits for the import's status to read `status` (failing early on Failed or a pause). */
export async function importEnds(page: Page, timeoutMs = 180_000): Promise<string> {
	return waitFor(
		async () => {
			const status = (await page.testId('import-status').all())[0]?.text;
			if (status === 'Failed' || status === 'Paused' || status === 'Cancelled')
				throw new Error(`the import is ${status}: ${await page.bodyText()}`);
			return status === 'Completed' ? status : null;
		},
		'the import to complete',
		timeoutMs
	).catch(async (error: Error) => {
		throw new Error(`${error.message}\n${(await page.bodyText().catch(() => '')).slice(0, 1500)}`);
	});
}

/** Files the page saves (`saveFile` makes an object URL of each): captured in the page. */
export async function captureDownloads(page: Page): Promise<void> {
	await page.run(`
		if (window.__saved) return;
		window.__saved = [];
		const make = URL.createObjectURL.bind(URL);
		URL.createObjectURL = (blob) => {
			window.__saved.push(blob);
			return make(blob);
		};`);
}

/** The text of the `index`-th file the page saved since `captureDownloads`. */
export async function savedText(page: Page, index = 0): Promise<string> {
	await waitFor(
		() => page.run<boolean>(`return (window.__saved || []).length > ${index}`),
		'a saved file'
	);
	return page.run<string>(`return await window.__saved[${index}].text()`);
}
