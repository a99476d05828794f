/**
 * How this project launches Chromium: Debian's build (Playwright cannot download its own here),
 * with the flags that keep it quiet on a closed network. CHROMIUM_PATH points at another one.
 */
export const chromiumPath = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';

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
