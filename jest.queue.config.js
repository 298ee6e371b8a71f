/**
 * Queue-mode tests: the packed node in n8n's queue mode (scripts/n8n/queue.js: PostgreSQL, Redis,
 * n8n main, a webhook processor and two workers) against the sandbox, and `npm start -- --queue`
 * (test/queue/*.spec.ts: named .spec.ts so that the unit config, which runs every .test.ts under
 * test/, does not pick them up). The end-to-end tests' configuration (ts-jest, the global setup
 * that installs/reuses n8n and packs the package when HYPERSENDER_PACKAGE_TGZ is not given, one
 * file at a time) with this folder and longer limits. The first run may install n8n (3-5 minutes)
 * and, as root on Debian, PostgreSQL and Redis with apt-get.
 */
const e2e = require('./jest.e2e.config');

module.exports = {
	...e2e,
	roots: ['<rootDir>/test/queue'],
	testMatch: ['<rootDir>/test/queue/**/*.spec.ts'],
	testTimeout: 10 * 60 * 1000,
	slowTestThreshold: 60,
};
