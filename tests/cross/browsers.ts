/**
 * Where each engine's browser is on this machine, and one line saying how to get it when it is
 * missing. Debian's packages by default (CI installs them); the environment variables point at
 * others, and the usual macOS paths are tried.
 */
import { existsSync } from 'node:fs';
import { execFileSync } from 'node:child_process';
import { chromiumPath } from '../../scripts/chromium.js';

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

/** Where each browser may be, in the order tried, and how to get it. */
const BROWSERS: Record<
	Exclude<Engine, 'webkit'>,
	{ paths: () => (string | undefined)[]; get: string }
> = {
	// The Playwright suite's own choice (scripts/chromium.js), so both suites run one Chromium.
	chromium: {
		paths: () => [chromiumPath, onPath('chromium'), onPath('google-chrome')],
		get: 'Chromium not found: apt-get install -y chromium, or set CHROMIUM_PATH'
	},
	firefox: {
		paths: () => [
			process.env.FIREFOX_PATH,
			'/usr/bin/firefox-esr',
			onPath('firefox-esr'),
			onPath('firefox'),
			'/Applications/Firefox.app/Contents/MacOS/firefox'
		],
		get: 'Firefox not found: apt-get install -y firefox-esr, or set FIREFOX_PATH'
	}
};

export function findBrowser(engine: Engine): Found {
	if (engine !== 'webkit') {
		const { paths, get } = BROWSERS[engine];
		const path = first(paths());
		return path ? { engine, path } : { engine, missing: get };
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
