import 'fake-indexeddb/auto';
import '@testing-library/jest-dom/vitest';

// jsdom has no `matchMedia`; Svelte's MediaQuery needs one. Every query answers false (a wide
// screen: no media query of the app is true there), and never changes.
if (typeof window.matchMedia !== 'function') {
	window.matchMedia = (query: string): MediaQueryList =>
		({
			matches: false,
			media: query,
			onchange: null,
			addEventListener: () => undefined,
			removeEventListener: () => undefined,
			addListener: () => undefined,
			removeListener: () => undefined,
			dispatchEvent: () => false
		}) as MediaQueryList;
}
