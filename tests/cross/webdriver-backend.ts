/**
 * WebKit through W3C WebDriver: WebKitGTK's WebKitWebDriver starting its MiniBrowser on an Xvfb
 * display. A small client over fetch: the protocol is a handful of JSON requests, and the
 * WebDriver libraries on npm bring peer dependencies that conflict with this project's.
 *
 * Its automation sessions are ephemeral, like a Safari private window: IndexedDB lives in the
 * network process's memory and survives a reload and the page's content process dying, not the
 * session's end.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { freePort } from '../../scripts/free-port.js';
import type { Backend } from './driver';

const ELEMENT = 'element-6066-11e4-a52e-4f735466cecf';

interface Shared {
	display: string;
	xvfb?: ChildProcess;
	users: number;
}
let shared: Shared | undefined;

/** One Xvfb display for every WebKit session of this process (unless DISPLAY is set). */
async function display(): Promise<Shared> {
	if (shared) return shared;
	if (process.env.DISPLAY) return (shared = { display: process.env.DISPLAY, users: 0 });
	const n = 90 + Math.floor(Math.random() * 800);
	const xvfb = spawn('Xvfb', [`:${n}`, '-screen', '0', '1280x1024x24', '-nolisten', 'tcp'], {
		stdio: 'ignore'
	});
	await new Promise((r) => setTimeout(r, 700));
	if (xvfb.exitCode !== null) throw new Error(`Xvfb :${n} did not start`);
	return (shared = { display: `:${n}`, xvfb, users: 0 });
}

export async function launchWebKit(driverPath: string, browserPath: string): Promise<Backend> {
	const x = await display();
	x.users++;
	const port = await freePort();
	const driver = spawn(driverPath, [`--port=${port}`], {
		env: { ...process.env, DISPLAY: x.display },
		stdio: 'ignore'
	});
	const base = `http://127.0.0.1:${port}`;
	const send = async <T>(method: string, path: string, body?: unknown): Promise<T> => {
		const res = await fetch(base + path, {
			method,
			headers: { 'content-type': 'application/json' },
			body: body === undefined ? undefined : JSON.stringify(body)
		});
		const json = (await res.json()) as { value: T & { error?: string; message?: string } };
		if (json.value && typeof json.value === 'object' && 'error' in json.value && json.value.error)
			throw new Error(`WebDriver ${method} ${path}: ${json.value.error}: ${json.value.message}`);
		return json.value;
	};
	for (let i = 0; ; i++) {
		const up = await fetch(`${base}/status`).then(
			(r) => r.ok,
			() => false
		);
		if (up) break;
		if (i > 100) throw new Error('WebKitWebDriver did not start');
		await new Promise((r) => setTimeout(r, 100));
	}
	const session = await send<{ sessionId: string }>('POST', '/session', {
		capabilities: {
			alwaysMatch: {
				'webkitgtk:browserOptions': { binary: browserPath, args: ['--automation'] },
				timeouts: { script: 120_000, pageLoad: 60_000 }
			}
		}
	});
	const S = `/session/${session.sessionId}`;
	const element = async (css: string) => {
		const found = await send<Record<string, string>>('POST', `${S}/element`, {
			using: 'css selector',
			value: css
		});
		return found[ELEMENT];
	};
	// Dialogs (confirm before a delete or an undo) are accepted, as the person would.
	const acceptDialogs = () =>
		send('POST', `${S}/execute/sync`, { script: 'window.confirm = () => true;', args: [] });
	return {
		engine: 'webkit',
		async goto(url) {
			await send('POST', `${S}/url`, { url });
			await acceptDialogs();
		},
		url: () => send<string>('GET', `${S}/url`),
		async run<T>(body: string, args: unknown[] = []) {
			return send<T>('POST', `${S}/execute/sync`, {
				script: `return (async (...args) => { ${body} })(...arguments)`,
				args
			});
		},
		async click(css) {
			await send('POST', `${S}/element/${await element(css)}/click`, {});
			await acceptDialogs();
		},
		async upload(css, path) {
			await send('POST', `${S}/element/${await element(css)}/value`, { text: path });
		},
		async crash() {
			// WebDriver ends a session whose tab's content process dies, and with it the session's
			// in-memory storage; so in WebKit the tab is closed mid-write instead (as a person
			// closes it, or iOS discards it): its worker stops at once and the transaction in flight
			// is aborted. The next navigation happens in a new tab of the same session.
			const old = await send<string>('GET', `${S}/window`);
			const tab = await send<{ handle: string }>('POST', `${S}/window/new`, { type: 'tab' });
			await send('POST', `${S}/window`, { handle: old });
			await send('DELETE', `${S}/window`);
			await send('POST', `${S}/window`, { handle: tab.handle });
		},
		async recover() {
			// The next navigation starts a new content process on the same session's storage.
		},
		processes() {
			// The driver starts MiniBrowser, which starts its web and network processes.
			return driver.pid === undefined
				? undefined
				: { root: driver.pid, notBrowser: /WebKitWebDriver/ };
		},
		async close() {
			await send('DELETE', S).catch(() => {
				// The session is gone already: the driver's end below is all that is left.
			});
			driver.kill();
			if (--x.users === 0 && x.xvfb) {
				x.xvfb.kill();
				shared = undefined;
			}
		}
	};
}
