/** The app worker's body, loaded by its entry (app.worker.ts), which calls `start` once loaded. */
import * as Comlink from 'comlink';
import { overwriteGetLocale } from '$lib/paraglide/runtime';
import { createAppApi } from './api';
import { localeOfWorker } from './worker-locale';

/** Exposes the API with Comlink: from then on, every message is answered. */
export function start(): void {
	// Before any message is built: the worker writes in the page's language (worker-locale.ts).
	const locale = localeOfWorker(self.name);
	overwriteGetLocale(() => locale);
	Comlink.expose(createAppApi());
	// How long the worker's script took to load and run (read by DevTools and the benchmark).
	performance.mark('worker ready');
}
