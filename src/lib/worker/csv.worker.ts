import * as Comlink from 'comlink';
import { createCsvApi } from './api';

Comlink.expose(createCsvApi());
// How long the worker's script took to load and run (read by DevTools and the benchmark).
performance.mark('worker ready');
