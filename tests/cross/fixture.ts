/**
 * The usual frame of a cross-engine spec: the built app served, and one device of the engine,
 * opened before the block's tests and closed after them (its storage carries from test to test).
 */
import { afterAll, beforeAll } from 'vitest';
import type { Engine } from './browsers';
import { openDevice, serveApp, type Device, type Served } from './app';

export function useDevice(engine: Engine): { readonly app: Served; readonly device: Device } {
	const context = {} as { app: Served; device: Device };
	beforeAll(async () => {
		context.app = await serveApp();
		context.device = await openDevice(engine, context.app.origin);
	});
	afterAll(async () => {
		await context.device?.close();
		await context.app?.stop();
	});
	return context;
}
