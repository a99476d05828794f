import adapter from '@sveltejs/adapter-static';
import { vitePreprocess } from '@sveltejs/vite-plugin-svelte';

/** @type {import('@sveltejs/kit').Config} */
const config = {
	preprocess: vitePreprocess(),
	kit: {
		// Test support (fake databases, fault schedules, in-process transports) lives outside src/
		// so that it never ships; specs reach it as $support. Lint forbids shipped code to import it.
		alias: { $support: 'tests/support' },
		typescript: {
			config: (config) => {
				config.include.push(
					'../tests/support/**/*.ts',
					'../tests/support/**/*.svelte',
					'../bench/**/*.ts'
				);
			}
		},
		// A fully static build: every route falls back to index.html and renders in the browser.
		adapter: adapter({ pages: 'build', assets: 'build', fallback: 'index.html', strict: true }),
		// A strict CSP in a <meta> tag (the build is static). Scripts only from this origin (plus the
		// hash of SvelteKit's inline bootstrap); requests only to this origin, a sync backend on
		// https, or one on localhost. Hosts should add the headers a <meta> CSP cannot carry
		// (frame-ancestors, X-Content-Type-Options, Referrer-Policy): see the README.
		csp: {
			mode: 'hash',
			directives: {
				'default-src': ['self'],
				'script-src': ['self'],
				'style-src': ['self', 'unsafe-inline'],
				'img-src': ['self', 'data:', 'blob:'],
				'font-src': ['self'],
				'worker-src': ['self'],
				'manifest-src': ['self'],
				'connect-src': ['self', 'https:', 'http://localhost:*', 'http://127.0.0.1:*'],
				'object-src': ['none'],
				'base-uri': ['self'],
				'form-action': ['self']
			}
		}
	}
};

export default config;
