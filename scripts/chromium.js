/**
 * How this project launches Chromium: Debian's build (Playwright cannot download its own here),
 * with the flags that keep it quiet on a closed network. CHROMIUM_PATH points at another one;
 * without it, the first Chromium found at the usual places of Linux and macOS is used, so that the
 * Playwright suite and the cross-engine suite run the same browser on any developer machine.
 */
import { existsSync } from 'node:fs';

/** Where a Chromium usually is, in the order tried. */
export const CHROMIUM_CANDIDATES = [
	'/usr/bin/chromium',
	'/usr/bin/chromium-browser',
	'/usr/bin/google-chrome',
	'/Applications/Chromium.app/Contents/MacOS/Chromium',
	'/Applications/Google Chrome.app/Contents/MacOS/Google Chrome'
];

export const chromiumPath =
	process.env.CHROMIUM_PATH ??
	CHROMIUM_CANDIDATES.find((p) => existsSync(p)) ??
	'/usr/bin/chromium';

export const chromiumArgs = [
	'--no-sandbox',
	'--disable-gpu',
	'--disable-background-networking',
	'--disable-component-update',
	'--disable-sync',
	'--no-first-run',
	'--disable-quic',
	'--disable-dev-shm-usage'
];
