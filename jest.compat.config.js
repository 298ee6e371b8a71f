/**
 * The compatibility smoke suite (test/compat): the packed node in each n8n line the package
 * declares. `npm run compat` runs it once per line with HYPERSENDER_N8N_LINE set (scripts/n8n/paths.js
 * reads it, so the global setup installs or reuses that line's n8n: 3-5 minutes the first time).
 * Otherwise the end-to-end tests' configuration.
 */
const e2e = require('./jest.e2e.config');

module.exports = {
	...e2e,
	roots: ['<rootDir>/test/compat'],
	testMatch: ['<rootDir>/test/compat/**/*.test.ts'],
};
