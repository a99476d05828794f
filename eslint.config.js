import js from '@eslint/js';
import svelte from 'eslint-plugin-svelte';
import globals from 'globals';
import ts from 'typescript-eslint';
import svelteConfig from './svelte.config.js';

/** The database's tables (src/lib/db/database.ts), as a selector pattern. */
const TABLES =
	'/^(contacts|contactIndex|tombstones|settings|outbox|jobs|jobFiles|files|fileParts|drafts|rowErrors|undoLog|customFields|segments|problemChunks|rememberedMappings|savedMappings)$/';

export default ts.config(
	js.configs.recommended,
	...ts.configs.recommended,
	...svelte.configs.recommended,
	{
		languageOptions: { globals: { ...globals.browser, ...globals.node } }
	},
	{
		files: ['**/*.svelte', '**/*.svelte.ts', '**/*.svelte.js'],
		languageOptions: {
			parserOptions: {
				projectService: true,
				extraFileExtensions: ['.svelte'],
				parser: ts.parser,
				svelteConfig
			}
		}
	},
	{
		// Type-aware rules need the program: every TypeScript file of the app, its tests and server.
		files: ['**/*.ts', '**/*.svelte'],
		languageOptions: {
			parserOptions: {
				projectService: {
					allowDefaultProject: [
						'server/index.ts',
						'server/compaction.ts',
						'server/pg-store.ts',
						'server/test-postgres.ts',
						'server/*.spec.ts',
						'scripts/measure-*.ts',
						'scripts/bench-engines.ts',
						'scripts/engine-processes.ts',
						'scripts/memory.d.ts',
						'scripts/gen-phone-timezones.ts',
						'scripts/pg-cluster.ts',
						'scripts/check-cycles.ts',
						'scripts/check-messages.ts',
						'scripts/gen-contacts.d.ts',
						'scripts/bench-mount.d.ts',
						'scripts/*.spec.ts',
						'playwright.config.ts',
						'vitest.cross.config.ts'
					],
					maximumDefaultProjectFileMatchCount_THIS_WILL_SLOW_DOWN_LINTING: 30
				},
				tsconfigRootDir: import.meta.dirname,
				extraFileExtensions: ['.svelte']
			}
		},
		rules: {
			// A promise nobody awaits loses its failure: await it, return it, or mark it `void` where
			// its own handler shows the failure.
			'@typescript-eslint/no-floating-promises': 'error',
			'@typescript-eslint/no-misused-promises': 'error'
		}
	},
	{
		// Pages and components reach saved data through src/lib/state (live queries whose failures
		// are shown, and the repositories behind them), never through Dexie or the database module.
		files: ['src/routes/**', 'src/lib/components/**'],
		rules: {
			'@typescript-eslint/no-restricted-imports': [
				'error',
				{
					paths: [
						{ name: 'dexie', message: 'Use the state classes or $lib/state/app-data.' },
						{
							name: '$lib/db/database',
							message:
								'Use the state classes or $lib/state/app-data; domain types live in $lib/domain.'
						}
					],
					patterns: [
						{
							group: ['$lib/db/*', '**/db/*'],
							allowTypeImports: true,
							message: 'Use the state classes or $lib/state/app-data (types may be imported).'
						}
					]
				}
			]
		}
	},
	{
		// Only db/ touches a table or opens a transaction: every contact change goes through its one
		// write (db/contact-writes.ts), which keeps the index, key epoch, clock, tombstones and
		// outbox in step; a table reached from elsewhere would skip them without an error.
		files: ['src/**/*.ts', 'src/**/*.svelte'],
		ignores: ['src/lib/db/**', '**/*.spec.ts'],
		rules: {
			'no-restricted-syntax': [
				'error',
				{
					selector: `MemberExpression[object.name=/^(db|tx|database)$/][property.name=${TABLES}]`,
					message: 'Tables are reached through the repositories in src/lib/db.'
				},
				{
					selector: `MemberExpression[object.property.name=/^(db|database)$/][property.name=${TABLES}]`,
					message: 'Tables are reached through the repositories in src/lib/db.'
				},
				{
					selector: "CallExpression[callee.property.name='transaction'][callee.object.name='db']",
					message: 'Transactions are opened by the repositories in src/lib/db.'
				}
			]
		}
	},
	{
		// Test support (tests/support, reached as $support) never ships: only specs import it.
		files: ['src/**/*.ts', 'src/**/*.svelte', 'server/**/*.ts'],
		ignores: ['**/*.spec.ts'],
		rules: {
			'no-restricted-imports': [
				'error',
				{
					patterns: [
						{
							group: ['$support', '$support/*', '**/tests/support/**'],
							message: 'Test support is for specs only; shipped code never imports it.'
						}
					]
				}
			]
		}
	},
	{
		rules: {
			'svelte/no-at-html-tags': 'error',
			'@typescript-eslint/no-unused-vars': [
				'error',
				{ argsIgnorePattern: '^_', varsIgnorePattern: '^_' }
			]
		}
	},
	{
		ignores: [
			'build/',
			'build-bench/',
			'.svelte-kit/',
			'node_modules/',
			'test-results/',
			'playwright-report/',
			'data/',
			// Compiled from messages/ by Paraglide (npm run i18n).
			'src/lib/paraglide/'
		]
	}
);
