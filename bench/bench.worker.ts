/**
 * The benchmark's own worker, started only by the benchmark page (bench/main.ts), so the floor
 * code never loads with the app.
 */
import * as Comlink from 'comlink';
import { createBenchApi } from './bench-api';

Comlink.expose(createBenchApi());
