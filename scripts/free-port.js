/**
 * A TCP port free on 127.0.0.1 right now, as the OS picks it: servers started by tests and
 * measuring scripts never collide with each other or with a fixed port in use.
 */
import { createServer } from 'node:net';

/** @returns {Promise<number>} */
export function freePort() {
	return new Promise((resolve, reject) => {
		const probe = createServer()
			.once('error', reject)
			.listen(0, '127.0.0.1', () => {
				const address = probe.address();
				const port = typeof address === 'object' && address ? address.port : 0;
				probe.close(() => resolve(port));
			});
	});
}
