/**
 * End-to-end tests: the packed node inside a real n8n (scripts/n8n pins the version), against the
 * sandbox API. `npm run e2e` builds, packs and runs them (HYPERSENDER_PACKAGE_TGZ = the tarball);
 * the first run installs n8n into .n8n-runtime (3-5 minutes), later runs reuse it.
 */
module.exports = {
	preset: 'ts-jest',
	testEnvironment: 'node',
	rootDir: __dirname,
	roots: ['<rootDir>/test/e2e'],
	testMatch: ['<rootDir>/test/e2e/**/*.test.ts'],
	transform: {
		'^.+\\.ts$': ['ts-jest', { tsconfig: '<rootDir>/test/tsconfig.json' }],
	},
	// Installs/reuses n8n and packs the package (when not given) once, before any test file.
	globalSetup: '<rootDir>/test/e2e/global-setup.js',
	// One n8n home and one sandbox per file; n8n processes must not run concurrently.
	maxWorkers: 1,
	// A test is one `n8n execute` (~3 s); beforeAll may install n8n the first time (minutes).
	testTimeout: 3 * 60 * 1000,
	slowTestThreshold: 30,
	verbose: true,
};
