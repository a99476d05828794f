/**
 * Where each engine's browser is on this machine, and one line saying how to get it when it is
 * missing. Debian's packages by default (CI installs them); the environment variables point at
 * others, and the usual macOS paths are tried.
 */
import { existsSync } from 'node:fs';
import { execFileSync } from 'node:child_process';

export type Engine = 'chromium' | 'firefox' | 'webkit';
export const ENGINES: readonly Engine[] = ['chromium', 'firefox', 'webkit'];

export interface Found {
	engine: Engine;
	/** The browser binary (Chromium, Firefox) or the WebDriver server (WebKit). */
	path?: string;
	/** WebKitGTK's browser, which WebKitWebDriver starts. */
	browser?: string;
	/** How to get it, when `path` is missing. */
	missing?: string;
}

function onPath(name: string): string | undefined {
	try {
		return execFileSync('which', [name], { encoding: 'utf8' }).trim() || undefined;
	} catch {
		// `which` exits 1 for a command that is not there.
		return undefined;
	}
}

const first = (paths: (string | undefined)[]) => paths.find((p) => p && existsSync(p));

const MINIBROWSER = [
	'/usr/lib/x86_64-linux-gnu/webkit2gtk-4.1/MiniBrowser',
	'/usr/lib/aarch64-linux-gnu/webkit2gtk-4.1/MiniBrowser',
	'/usr/lib/x86_64-linux-gnu/webkitgtk-6.0/MiniBrowser'
];

export function findBrowser(engine: Engine): Found {
	if (engine === 'chromium') {
		const path = first([
			process.env.CHROMIUM_PATH,
			'/usr/bin/chromium',
			onPath('chromium'),
			onPath('google-chrome'),
			'/Applications/Chromium.app/Contents/MacOS/Chromium',
			'/Applications/Google Chrome.app/Contents/MacOS/Google Chrome'
		]);
		return path
			? { engine, path }
			: {
					engine,
					missing: 'Chromium not found: apt-get install -y chromium, or set CHROMIUM_PATH'
				};
	}
	if (engine === 'firefox') {
		const path = first([
			process.env.FIREFOX_PATH,
			'/usr/bin/firefox-esr',
			onPath('firefox-esr'),
			onPath('firefox'),
			'/Applications/Firefox.app/Contents/MacOS/firefox'
		]);
		return path
			? { engine, path }
			: {
					engine,
					missing: 'Firefox not found: apt-get install -y firefox-esr, or set FIREFOX_PATH'
				};
	}
	const path = first([process.env.WEBKIT_WEBDRIVER, onPath('WebKitWebDriver')]);
	const browser = first([process.env.WEBKIT_BROWSER, ...MINIBROWSER]);
	const display = process.env.DISPLAY || onPath('Xvfb');
	if (path && browser && display) return { engine, path, browser };
	return {
		engine,
		missing:
			'WebKit not found: apt-get install -y webkit2gtk-driver xvfb (WebKitWebDriver, MiniBrowser and Xvfb), or set WEBKIT_WEBDRIVER and WEBKIT_BROWSER'
	};
}

/** The engines to test: `ENGINES=chromium,webkit` chooses some; all three by default. */
export function enginesToTest(): Engine[] {
	const chosen = (process.env.ENGINES ?? ENGINES.join(','))
		.split(',')
		.map((e) => e.trim())
		.filter(Boolean);
	for (const e of chosen) {
		if (!ENGINES.includes(e as Engine))
			throw new Error(`ENGINES: “${e}” is not one of ${ENGINES.join(', ')}`);
	}
	return chosen as Engine[];
}
