/**
 * The worker's entry: a loader that imports nothing statically, so that no chunk of the worker
 * can import this file. WebKit does not count a module worker's main script as loaded: a lazy
 * chunk that imports it runs it a second time, and a second `Comlink.expose` answers every later
 * message again (an undo then ran twice). The API loads with a dynamic import, which every engine
 * loads once; messages that arrive meanwhile are held and replayed in their order.
 */
const held: MessageEvent[] = [];
const hold = (event: MessageEvent) => held.push(event);
self.addEventListener('message', hold);

import('./app-main').then(
	({ start }) => {
		// In one go, so that no message is both held and answered: stop holding, start
		// answering, then answer the held ones in their order.
		self.removeEventListener('message', hold);
		start();
		for (const event of held.splice(0))
			self.dispatchEvent(
				new MessageEvent('message', { data: event.data, ports: [...event.ports] })
			);
	},
	(error: unknown) => {
		// Thrown outside the promise, so that it reaches the page as the worker's error event, as
		// a failed static import would.
		setTimeout(() => {
			throw error;
		});
	}
);
