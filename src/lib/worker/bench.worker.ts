/**
 * The benchmark's own worker (scripts/bench.js, through the /bench page): the app never starts it,
 * so the floor code never loads with the app's worker.
 */
import * as Comlink from 'comlink';
import { createBenchApi } from './bench';

Comlink.expose(createBenchApi());
