/**
 * Queue-mode tests: the packed node in n8n's queue mode (scripts/n8n/queue.js: PostgreSQL, Redis,
 * n8n main, a webhook processor and two workers) against the sandbox. One cluster for the suite
 * (test/queue/queue-mode.spec.ts: named .spec.ts so that the unit
 * config, which runs every .test.ts under test/, does not pick it up); `HYPERSENDER_PACKAGE_TGZ` = the packed package, else the
 * global setup packs dist/. The first run may install n8n (3-5 minutes) and, as root on Debian,
 * PostgreSQL and Redis with apt-get.
 */
module.exports = {
	preset: 'ts-jest',
	testEnvironment: 'node',
	rootDir: __dirname,
	roots: ['<rootDir>/test/queue'],
	testMatch: ['<rootDir>/test/queue/**/*.spec.ts'],
	transform: {
		'^.+\\.ts$': ['ts-jest', { tsconfig: '<rootDir>/test/tsconfig.json' }],
	},
	// Installs/reuses n8n and packs the package (when not given), as for the end-to-end tests.
	globalSetup: '<rootDir>/test/e2e/global-setup.js',
	maxWorkers: 1,
	testTimeout: 10 * 60 * 1000,
	slowTestThreshold: 60,
	verbose: true,
};
