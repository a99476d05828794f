/**
 * Whether the browser says it is online, as reactive state.
 */
export class Connectivity {
	online = $state(typeof navigator === 'undefined' ? true : navigator.onLine);

	/** Follows the browser's online/offline events; returns a function that stops. */
	watch(): () => void {
		const up = () => (this.online = true);
		const down = () => (this.online = false);
		window.addEventListener('online', up);
		window.addEventListener('offline', down);
		return () => {
			window.removeEventListener('online', up);
			window.removeEventListener('offline', down);
		};
	}
}

export const connectivity = new Connectivity();
