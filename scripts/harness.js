/**
 * What the measuring scripts share: the built app served as a static host would serve it, on a
 * port the OS picks (runs never collide with each other or with the test servers), and Chromium
 * with a fresh on-disk profile (an incognito profile keeps IndexedDB in memory and flatters the
 * figures; a reused one carries the last run's data).
 */
import { chromium } from '@playwright/test';
import { spawn } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createInterface } from 'node:readline';
import { fileURLToPath } from 'node:url';
import { chromiumArgs, chromiumPath } from './chromium.js';
import { freePort } from './free-port.js';

const SERVE = fileURLToPath(new URL('./serve.js', import.meta.url));

/**
 * Serves `dir` with serve.js in a child process (serving never competes with the measuring
 * script's own event loop). Resolves once the server answers a request.
 * @returns {Promise<{ origin: string, close(): void }>}
 */
export async function serveBuild(dir = 'build', timeoutMs = 10_000, extra = [], port = 0) {
	const child = spawn(process.execPath, [SERVE, '--port', String(port), '--dir', dir, ...extra], {
		stdio: ['ignore', 'pipe', 'inherit']
	});
	const close = () => child.kill();
	try {
		const deadline = Date.now() + timeoutMs;
		const origin = `http://localhost:${await boundPort(child, timeoutMs)}`;
		await answering(origin, deadline);
		return { origin, close };
	} catch (e) {
		close();
		throw e;
	}
}

/** The port serve.js reports once it listens (it prints its URL with the port it was given). */
function boundPort(child, timeoutMs) {
	return new Promise((resolve, reject) => {
		const lines = createInterface({ input: child.stdout });
		const done = (fn, value) => {
			clearTimeout(timer);
			child.off('exit', exited);
			lines.close();
			// Nothing else is read from stdout: keep it flowing so that the child never blocks on it.
			child.stdout.resume();
			fn(value);
		};
		const exited = (code) => done(reject, new Error(`serve.js exited with ${code}`));
		const timer = setTimeout(
			() => done(reject, new Error(`serve.js did not start in ${timeoutMs} ms`)),
			timeoutMs
		);
		child.once('exit', exited);
		lines.on('line', (line) => {
			const port = line.match(/localhost:(\d+)/)?.[1];
			if (port) done(resolve, Number(port));
		});
	});
}

/** Polls `origin` until it answers 200, or throws at `deadline`. */
async function answering(origin, deadline) {
	for (;;) {
		const ok = await fetch(origin, { method: 'HEAD' }).then(
			(r) => r.ok,
			() => false
		);
		if (ok) return;
		if (Date.now() > deadline) throw new Error(`${origin} does not answer`);
		await new Promise((r) => setTimeout(r, 50));
	}
}

/**
 * Runs `fn({ context, page })` in headless Chromium on a fresh persistent profile in a temporary
 * folder; the browser is closed and the profile deleted afterwards, whatever `fn` did.
 */
export async function withFreshProfile(fn) {
	const profile = mkdtempSync(join(tmpdir(), 'callaro-profile-'));
	try {
		const context = await chromium.launchPersistentContext(profile, {
			executablePath: chromiumPath,
			args: chromiumArgs
		});
		try {
			const page = context.pages()[0] ?? (await context.newPage());
			return await fn({ context, page });
		} finally {
			await context.close();
		}
	} finally {
		rmSync(profile, { recursive: true, force: true });
	}
}

/**
 * The reference sync backend as a real process, on a fresh SQLite file in a temporary folder, on
 * a free port, with `token` as its token. Resolves once it is listening; `stop()` kills it and
 * deletes the folder.
 * @returns {Promise<{ url: string, stop(): void }>}
 */
export async function startSyncBackend(token) {
	const dir = mkdtempSync(join(tmpdir(), 'callaro-backend-'));
	const port = await freePort();
	const backend = spawn(process.execPath, ['--import', 'tsx', 'server/index.ts'], {
		env: {
			...process.env,
			PORT: String(port),
			SYNC_TOKEN: token,
			DATABASE_PATH: join(dir, 'sync.db')
		},
		stdio: ['ignore', 'pipe', 'inherit']
	});
	await new Promise((resolve, reject) => {
		backend.stdout.on('data', (d) => d.toString().includes('listening') && resolve());
		backend.on('exit', (code) => reject(new Error(`the sync server exited with ${code}`)));
	});
	return {
		url: `http://127.0.0.1:${port}`,
		stop() {
			backend.kill('SIGKILL');
			rmSync(dir, { recursive: true, force: true });
		}
	};
}

/**
 * Imports the CSV `file` through the app's wizard on `page` (suggested mapping, default options)
 * and waits for the job to complete. Returns the import's milliseconds (Start import → Completed)
 * and the imported count the detail page shows.
 * @returns {Promise<{ ms: number, imported: string }>}
 */
export async function importCsv(page, origin, file) {
	await page.goto(`${origin}/import`);
	await page.getByLabel('Contacts file').setInputFiles(file);
	await page.getByRole('table', { name: 'Preview' }).waitFor();
	await page.getByRole('button', { name: 'Next' }).click();
	await page.getByRole('heading', { name: 'Map columns' }).waitFor();
	await page.getByRole('button', { name: 'Next' }).click();
	await page.getByTestId('review-rows-to-import').waitFor({ timeout: 600_000 });
	await page.getByRole('button', { name: 'Next' }).click();
	const t = performance.now();
	await page.getByRole('button', { name: 'Start import' }).click();
	await page
		.getByTestId('import-status')
		.filter({ hasText: 'Completed' })
		.waitFor({ timeout: 1_800_000 });
	const ms = performance.now() - t;
	return { ms, imported: (await page.getByTestId('import-imported').textContent())?.trim() ?? '' };
}

/**
 * Where a cold open's time went: the page's own load (DOMContentLoaded, ms after navigation
 * start), when its worker started, when the worker's script had run and its index read began (ms
 * after the worker's start), and the worker's measures (index read and apply, list view sort).
 */
export async function coldParts(page) {
	const nav = await page.evaluate(() => ({
		origin: performance.timeOrigin,
		loaded: performance.getEntriesByType('navigation')[0]?.domContentLoadedEventEnd ?? 0
	}));
	const parts = { pageLoadedMs: Math.round(nav.loaded) };
	for (const worker of page.workers()) {
		// A worker that is ending never answers: it is left out after a second.
		const seen = await Promise.race([
			worker.evaluate(() => ({
				origin: performance.timeOrigin,
				ready: performance.getEntriesByName('worker ready')[0]?.startTime,
				measures: performance.getEntriesByType('measure').map((m) => [m.name, m.duration]),
				firstQuery: performance.getEntriesByType('measure')[0]?.startTime
			})),
			new Promise((resolve) => setTimeout(() => resolve(null), 1000))
		]).catch(() => null);
		if (!seen || seen.measures.length === 0) continue;
		parts.workerStartMs = Math.round(seen.origin - nav.origin);
		// Both after the worker's own start.
		parts.workerReadyMs = Math.round(seen.ready ?? NaN);
		parts.indexReadFromMs = Math.round(seen.firstQuery ?? NaN);
		for (const [name, ms] of seen.measures) parts[name] = Math.round((parts[name] ?? 0) + ms);
	}
	return parts;
}
