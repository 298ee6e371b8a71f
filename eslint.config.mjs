// n8n's community-node lint setup (the one `@n8n/node-cli` ships), without its import plugin:
// n8n's verification runs these same rule sets.
import js from '@eslint/js';
import { n8nCommunityNodesPlugin } from '@n8n/eslint-plugin-community-nodes';
import n8nNodesBase from 'eslint-plugin-n8n-nodes-base';
import tseslint from 'typescript-eslint';

const communityNodesRecommended = n8nCommunityNodesPlugin.configs.recommended;

export default tseslint.config(
	{ ignores: ['dist/**', 'node_modules/**', '.tools/**', '.n8n-runtime/**', '.e2e/**', 'coverage/**'] },
	{
		files: ['nodes/**/*.ts', 'credentials/**/*.ts'],
		extends: [js.configs.recommended, tseslint.configs.recommended, communityNodesRecommended],
		rules: {
			'prefer-spread': 'off',
			'no-console': 'error',
		},
	},
	{
		plugins: { 'n8n-nodes-base': n8nNodesBase },
	},
	{
		files: ['package.json'],
		extends: [communityNodesRecommended],
		rules: { ...n8nNodesBase.configs.community.rules },
		languageOptions: {
			parser: tseslint.parser,
			parserOptions: { extraFileExtensions: ['.json'] },
		},
	},
	{
		files: ['credentials/**/*.ts'],
		rules: {
			...n8nNodesBase.configs.credentials.rules,
			// Same exceptions as @n8n/node-cli: this rule wants a bare slug, ours is a full URL;
			// the password rule is covered by @n8n/community-nodes/credential-password-field.
			'n8n-nodes-base/cred-class-field-documentation-url-miscased': 'off',
			'n8n-nodes-base/cred-class-field-type-options-password-missing': 'off',
		},
	},
	{
		files: ['nodes/**/*.ts'],
		rules: {
			...n8nNodesBase.configs.nodes.rules,
			// Same exceptions as @n8n/node-cli: these rules predate NodeConnectionTypes and
			// flag the enum form that n8n now requires.
			'n8n-nodes-base/node-class-description-inputs-wrong-regular-node': 'off',
			'n8n-nodes-base/node-class-description-outputs-wrong': 'off',
			'n8n-nodes-base/node-param-type-options-max-value-present': 'off',
		},
	},
	{
		files: ['test/**/*.ts'],
		extends: [js.configs.recommended, tseslint.configs.recommended],
	},
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
