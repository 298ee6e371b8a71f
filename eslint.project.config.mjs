// The project's lint: n8n's community-node config (the `config` `@n8n/node-cli` ships, the one
// `n8n-node lint` runs from eslint.config.mjs, which strict mode requires to stay n8n's template),
// plus the project's JavaScript tooling and its git-ignored folders.
// Run it with `eslint -c eslint.project.config.mjs .`; `npm run lint` runs both.
import js from '@eslint/js';
import { config as n8nConfig } from '@n8n/node-cli/eslint';
import n8nNodesBase from 'eslint-plugin-n8n-nodes-base';
import tseslint from 'typescript-eslint';

// The same rule selection as n8n's, with our pinned eslint-plugin-n8n-nodes-base (2.0.0) in
// place of the 1.16.7 `@n8n/node-cli` bundles: the same 132 rules, on ESLint's current rule API.
// `n8n-node lint` still runs them with 1.16.7.
const n8nRules = n8nConfig.map((entry) =>
	entry.plugins?.['n8n-nodes-base'] ? { ...entry, plugins: { ...entry.plugins, 'n8n-nodes-base': n8nNodesBase } } : entry,
);

export default tseslint.config(
	{
		ignores: [
			'dist/**', 'node_modules/**', '.tools/**', '.n8n-runtime/**', '.e2e/**', 'coverage/**',
			'test-results/**', 'bench-results/**',
		],
	},
	// Every **/*.ts (nodes, credentials, tests) and package.json, as n8n lints them.
	...n8nRules,
	{
		files: ['sandbox/**/*.js', 'scripts/**/*.js', 'test/**/*.js', 'gulpfile.js', 'jest*.js'],
		extends: [js.configs.recommended],
		languageOptions: {
			sourceType: 'commonjs',
			globals: {
				require: 'readonly', module: 'writable', process: 'readonly', __dirname: 'readonly',
				console: 'readonly', Buffer: 'readonly', setTimeout: 'readonly', clearTimeout: 'readonly',
				setInterval: 'readonly', clearInterval: 'readonly', setImmediate: 'readonly', URL: 'readonly',
				fetch: 'readonly', URLSearchParams: 'readonly', structuredClone: 'readonly', __filename: 'readonly', AbortController: 'readonly', performance: 'readonly',
			},
		},
	},
	{
		// Functions the browser test hands to page.evaluate() run in the page, not in Node.
		files: ['test/browser/**/*.js'],
		languageOptions: { globals: { document: 'readonly', Image: 'readonly', window: 'readonly' } },
	},
);
