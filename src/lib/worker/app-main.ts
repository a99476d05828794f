/** The app worker's body, loaded by its entry (app.worker.ts), which calls `start` once loaded. */
import * as Comlink from 'comlink';
import { createAppApi } from './api';

/** Exposes the API with Comlink: from then on, every message is answered. */
export function start(): void {
	Comlink.expose(createAppApi());
	// How long the worker's script took to load and run (read by DevTools and the benchmark).
	performance.mark('worker ready');
}
