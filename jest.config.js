/** @type {import('jest').Config} */
module.exports = {
	preset: 'ts-jest',
	testEnvironment: 'node',
	roots: ['<rootDir>/test'],
	testMatch: ['**/*.test.ts'],
	testPathIgnorePatterns: ['/node_modules/', '/test/e2e/'],
	transform: {
		'^.+\\.ts$': ['ts-jest', { tsconfig: 'tsconfig.json', diagnostics: false }],
	},
	testTimeout: 30000,
	// n8n reports every node error it sees; the tests assert on the errors instead, so a passing
	// run prints only jest's summary. RC_TEST_VERBOSE=1 shows that output (test/support/quiet.ts).
	setupFiles: ['<rootDir>/test/support/quiet.ts'],
	silent: process.env.RC_TEST_VERBOSE !== '1',
};
