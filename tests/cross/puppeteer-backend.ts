/**
 * Chromium (over CDP) and Firefox (over WebDriver BiDi) through puppeteer-core, each on a
 * persistent profile in a temporary folder, with default preferences: Firefox's prompts stay on,
 * so that a flow that waits on one (`navigator.storage.persist()`) shows as the hang it is.
 */
import puppeteer, { type Browser, type Page as PPage } from 'puppeteer-core';
import { chromiumArgs } from '../../scripts/chromium.js';
import type { Backend } from './driver';
import type { Engine } from './browsers';

export async function launchPuppeteer(
	engine: Extract<Engine, 'chromium' | 'firefox'>,
	executablePath: string,
	profile: string
): Promise<Backend> {
	const start = () =>
		puppeteer.launch({
			browser: engine === 'firefox' ? 'firefox' : 'chrome',
			executablePath,
			headless: true,
			userDataDir: profile,
			args: engine === 'chromium' ? chromiumArgs : [],
			// Firefox reads its profile under HOME; the process must own it (root's, as root).
			env: { ...process.env, HOME: process.env.HOME ?? '/root' },
			protocolTimeout: 120_000
		});
	let browser: Browser = await start();
	let page: PPage = await firstPage(browser);
	const backend: Backend = {
		engine,
		async goto(url) {
			await page.goto(url, { waitUntil: 'load', timeout: 60_000 });
		},
		url: () => Promise.resolve(page.url()),
		run: <T>(body: string, args: unknown[] = []) =>
			page.evaluate(`(async (...args) => { ${body} })(...${JSON.stringify(args)})`) as Promise<T>,
		async click(css) {
			const el = await page.$(css);
			if (!el) throw new Error(`no element ${css}`);
			await el.click();
		},
		async upload(css, path) {
			const el = await page.$(css);
			if (!el) throw new Error(`no element ${css}`);
			await (el as unknown as { uploadFile(p: string): Promise<void> }).uploadFile(path);
		},
		async crash() {
			const pid = browser.process()?.pid;
			if (!pid) throw new Error('the browser has no process to kill');
			// The whole group: the browser and its content processes die at once, mid-write.
			try {
				process.kill(-pid, 'SIGKILL');
			} catch {
				// Not a group leader on this platform: the browser process alone.
				process.kill(pid, 'SIGKILL');
			}
			await new Promise((r) => setTimeout(r, 500));
		},
		async recover() {
			browser = await start();
			page = await firstPage(browser);
		},
		processes() {
			const pid = browser.process()?.pid;
			return pid === undefined ? undefined : { root: pid };
		},
		async close() {
			await browser.close().catch(() => {
				// Already gone (a test that crashed it last): nothing to close.
			});
		}
	};
	return backend;
}

async function firstPage(browser: Browser): Promise<PPage> {
	const page = (await browser.pages())[0] ?? (await browser.newPage());
	page.setDefaultTimeout(60_000);
	// Dialogs (confirm before a delete or an undo) are accepted, as the person would.
	page.on('dialog', (d) => void d.accept());
	return page;
}
