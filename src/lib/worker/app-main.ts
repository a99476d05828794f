/** The app worker's body, loaded by its entry (app.worker.ts): exposes the API with Comlink. */
import * as Comlink from 'comlink';
import { createAppApi } from './api';

Comlink.expose(createAppApi());
// How long the worker's script took to load and run (read by DevTools and the benchmark).
performance.mark('worker ready');
