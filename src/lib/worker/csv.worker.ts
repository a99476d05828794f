import * as Comlink from 'comlink';
import { createCsvApi } from './api';

Comlink.expose(createCsvApi());
