// A passing run prints jest's summary and nothing else, although the tests provoke errors on
// purpose; RC_TEST_VERBOSE=1 brings that output back (test/support/quiet.ts). Checked on
// templates.test.ts, which makes n8n report a RingCentral 404 as a node error.
/* eslint-disable @n8n/community-nodes/no-dangerous-functions -- runs jest on one test file; tests are never shipped */
import { spawnSync } from 'node:child_process';
import { join } from 'node:path';

const ROOT = join(__dirname, '..');
const JEST_SUMMARY =
	/^(PASS |Test Suites:|Tests:|Snapshots:|Time:|Ran all test suites|Determining test suites)/;

function runJest(env: Record<string, string>): { status: number | null; lines: string[] } {
	const childEnv: NodeJS.ProcessEnv = { ...process.env, ...env };
	delete childEnv.JEST_WORKER_ID;
	delete childEnv.N8N_LOG_LEVEL; // set for this process by test/support/quiet.ts
	const result = spawnSync(
		process.execPath,
		[require.resolve('jest/bin/jest'), '--ci', '--colors=false', 'test/templates.test.ts'],
		{ cwd: ROOT, env: childEnv, encoding: 'utf8' },
	);
	const lines = `${result.stdout}\n${result.stderr}`
		.split('\n')
		.map((line) => line.trim())
		.filter(Boolean);
	return { status: result.status, lines };
}

describe('test output', () => {
	test('a passing run prints only jest’s summary: no error output, no open handles', () => {
		const { status, lines } = runJest({ RC_TEST_VERBOSE: '' });
		expect(status).toBe(0);
		expect(lines.filter((line) => !JEST_SUMMARY.test(line))).toEqual([]);
	}, 60_000);

	test('RC_TEST_VERBOSE=1 shows the errors n8n reports', () => {
		const { status, lines } = runJest({ RC_TEST_VERBOSE: '1' });
		expect(status).toBe(0);
		expect(lines.some((line) => line.includes('RingCentral error CMN-102 (HTTP 404)'))).toBe(true);
	}, 60_000);
});
