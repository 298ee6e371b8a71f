// The project's lint: n8n's community-node config (the `config` `@n8n/node-cli` ships, the one
// `n8n-node lint` runs from eslint.config.mjs, which strict mode requires to stay n8n's template),
// plus the project's JavaScript tooling and its git-ignored folders.
// Run it with `eslint -c eslint.project.config.mjs .`; `npm run lint` runs both.
import js from '@eslint/js';
import { config as n8nConfig } from '@n8n/node-cli/eslint';
import { builtinRules } from 'eslint/use-at-your-own-risk';
import n8nNodesBase from 'eslint-plugin-n8n-nodes-base';
import tseslint from 'typescript-eslint';

// The same rule selection as n8n's, with our pinned eslint-plugin-n8n-nodes-base (2.0.0) in
// place of the 1.16.7 `@n8n/node-cli` bundles: the same 132 rules, on ESLint's current rule API.
// `n8n-node lint` still runs them with 1.16.7.
const n8nRules = n8nConfig.map((entry) =>
	entry.plugins?.['n8n-nodes-base'] ? { ...entry, plugins: { ...entry.plugins, 'n8n-nodes-base': n8nNodesBase } } : entry,
);

// ---- Size: no file over 400 lines, no function over 100 (blank lines and comments not counted) ----
// A file or a function past these is cut along its seams into modules (see scripts/n8n/queue/ and
// scripts/start/). The exceptions are below, each with its reason; there are no others.
const SIZE = { skipBlankLines: true, skipComments: true };
const MAX_LINES = ['error', { max: 400, ...SIZE }];
const MAX_LINES_PER_FUNCTION = ['error', { max: 100, ...SIZE }];

/** The test-suite calls whose callbacks are lists of cases (describe) or one case's steps (test, it). */
const CASE_CALLS = new Set(['describe', 'test', 'it']);
/** describe / test.each(...) / it.skip / describe.each(table)(...): the identifier the call starts from. */
function calleeRoot(callee) {
	let node = callee;
	while (node?.type === 'MemberExpression' || node?.type === 'CallExpression' || node?.type === 'TaggedTemplateExpression') {
		node = node.type === 'MemberExpression' ? node.object : node.type === 'CallExpression' ? node.callee : node.tag;
	}
	return node?.type === 'Identifier' ? node.name : undefined;
}
/**
 * ESLint's max-lines-per-function, except for the callbacks of describe(), test() and it() (and
 * their .each / .skip / .only forms). Exception, for test suites only: a describe callback is a
 * list of cases, and a test callback one case's arrange-act-assert read top to bottom; how long
 * they are is how many cases and assertions there are, which max-lines (400 a file) already
 * bounds. Every other function in a test file (helpers, hooks, fixtures) keeps the 100-line limit.
 */
const suiteMaxLinesPerFunction = {
	meta: { ...builtinRules.get('max-lines-per-function').meta, docs: { description: 'max-lines-per-function, except describe/test/it callbacks' } },
	create(context) {
		const isCaseCallback = (node) =>
			node?.parent?.type === 'CallExpression' && node.parent.arguments.includes(node) && CASE_CALLS.has(calleeRoot(node.parent.callee));
		const filtered = Object.create(context, {
			report: { value: (descriptor) => (isCaseCallback(descriptor.node) ? undefined : context.report(descriptor)) },
		});
		return builtinRules.get('max-lines-per-function').create(filtered);
	},
};

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
	{
		// Source (the nodes and credential) and tooling (scripts, the sandbox, the build, the jest
		// configs, the test harnesses and helpers, the benchmark, the browser test's steps): both limits.
		files: [
			'nodes/**/*.ts', 'credentials/**/*.ts', 'scripts/**/*.js', 'sandbox/**/*.js', 'gulpfile.js', 'jest*.js',
			'test/**/*.ts', 'test/**/*.js',
		],
		rules: { 'max-lines': MAX_LINES, 'max-lines-per-function': MAX_LINES_PER_FUNCTION },
	},
	{
		// Test suites: 400 lines a file as everywhere; per function, suiteMaxLinesPerFunction above
		// (describe/test/it callbacks excepted, with the reason given there).
		files: ['**/*.test.ts', '**/*.spec.ts', 'test/**/*.test.js'],
		plugins: { project: { rules: { 'max-lines-per-function': suiteMaxLinesPerFunction } } },
		rules: { 'max-lines-per-function': 'off', 'project/max-lines-per-function': MAX_LINES_PER_FUNCTION },
	},
);
