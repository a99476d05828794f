import { sveltekit } from '@sveltejs/kit/vite';
import { SvelteKitPWA } from '@vite-pwa/sveltekit';
import { svelteTesting } from '@testing-library/svelte/vite';
import { defineConfig } from 'vitest/config';
import { paraglideVitePlugin } from '@inlang/paraglide-js';

export default defineConfig({
	plugins: [
		// Messages compile to tree-shaken functions at build time (no runtime parser, no fetch):
		// the person's choice in localStorage, else the browser's language, else English.
		paraglideVitePlugin({
			project: './project.inlang',
			outdir: './src/lib/paraglide',
			strategy: ['localStorage', 'preferredLanguage', 'baseLocale']
		}),
		sveltekit(),
		SvelteKitPWA({
			// The page asks before reloading into a new version (never under a running import).
			registerType: 'prompt',
			injectRegister: false,
			manifest: {
				name: 'Callaro Import',
				short_name: 'Callaro',
				description: 'Import contacts from CSV files, in the browser, online or off.',
				start_url: '/',
				scope: '/',
				display: 'standalone',
				theme_color: '#1d4ed8',
				background_color: '#f7f8fa',
				icons: [
					{ src: '/icon-192.png', sizes: '192x192', type: 'image/png' },
					{ src: '/icon-512.png', sizes: '512x512', type: 'image/png' },
					{
						src: '/icon-maskable-512.png',
						sizes: '512x512',
						type: 'image/png',
						purpose: 'maskable'
					}
				]
			},
			kit: { adapterFallback: 'index.html', spa: true },
			workbox: {
				// injectRegister:false drops these silently: set them, or the first visit is not controlled.
				clientsClaim: true,
				skipWaiting: false,
				globPatterns: ['client/**/*.{js,css,ico,png,svg,webp,webmanifest,html}'],
				// The benchmark's page (built apart, served at /bench/ only by the benchmark scripts)
				// is never answered with the app shell.
				navigateFallbackDenylist: [/^\/bench\//],
				maximumFileSizeToCacheInBytes: 5 * 1024 * 1024
			}
		})
	],
	worker: { format: 'es' },
	test: {
		// Both cores: vitest's default in a run is one worker fewer than the cores (one worker on a
		// 2-core machine), which leaves a core idle through the long simulation specs.
		maxWorkers: 2,
		projects: [
			{
				extends: './vite.config.ts',
				test: {
					name: 'unit',
					environment: 'node',
					include: ['src/**/*.spec.ts', 'server/**/*.spec.ts', 'scripts/**/*.spec.ts'],
					exclude: ['src/**/*.component.spec.ts'],
					setupFiles: ['./tests/setup-unit.ts'],
					// PostgreSQL for the server specs (each runs on SQLite and on PostgreSQL).
					globalSetup: ['./server/test-postgres.ts']
				}
			},
			{
				extends: './vite.config.ts',
				plugins: [svelteTesting()],
				test: {
					name: 'component',
					environment: 'jsdom',
					include: ['src/**/*.component.spec.ts'],
					setupFiles: ['./tests/setup-component.ts']
				}
			}
		]
	}
});
