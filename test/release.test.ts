// The release workflow cannot run here; what can be checked is that it parses, publishes only on
// a version tag with provenance, builds and tests before it publishes, and that package.json
// names the repository the provenance statement will point at. Also: the n8n scan can fail.
/* eslint-disable @n8n/community-nodes/no-dangerous-functions -- runs the scan script; tests are never shipped */
import { execFileSync, spawnSync } from 'node:child_process';
import { cpSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

import { parse } from 'yaml';

const ROOT = join(__dirname, '..');

interface Step {
	name?: string;
	run?: string;
	uses?: string;
	env?: Record<string, unknown>;
}

interface Job {
	permissions?: Record<string, string>;
	steps: Step[];
}

interface Workflow {
	on: { push?: { tags?: string[]; branches?: string[] }; pull_request?: unknown };
	permissions?: Record<string, string>;
	jobs: Record<string, Job>;
}

function readWorkflow(file: string): Workflow {
	return parse(readFileSync(join(ROOT, '.github/workflows', file), 'utf8')) as Workflow;
}

/** The index of the step whose `run` starts with `command`; -1 when there is none. */
function stepIndex(job: Job, command: string): number {
	return job.steps.findIndex((step) => step.run?.trim().startsWith(command));
}

const manifest = JSON.parse(readFileSync(join(ROOT, 'package.json'), 'utf8')) as {
	version: string;
	homepage: string;
	bugs: { url: string };
	author: { name: string; url: string };
	repository: { type: string; url: string };
};

describe('the release workflow (.github/workflows/release.yml)', () => {
	const workflow = readWorkflow('release.yml');
	const [jobName, job] = Object.entries(workflow.jobs).find(([, candidate]) =>
		candidate.steps.some((step) => step.run?.includes('npm publish')),
	) ?? ['', { steps: [] }];

	test('runs on version tags only (e.g. 0.2.0)', () => {
		expect(workflow.on.push?.tags).toEqual(['*.*.*']);
		expect(workflow.on.push?.branches).toBeUndefined();
		expect(workflow.on.pull_request).toBeUndefined();
	});

	test('publishes from a job allowed to mint the OIDC token that provenance needs, and no more', () => {
		expect(jobName).not.toBe('');
		expect(job.permissions).toEqual({ contents: 'read', 'id-token': 'write' });
		expect(workflow.permissions).toEqual({ contents: 'read' });
	});

	test('installs the locked dependencies, builds and tests before it publishes, in that order', () => {
		const install = stepIndex(job, 'npm ci');
		const build = stepIndex(job, 'npm run build');
		const test = stepIndex(job, 'npm test');
		const publish = stepIndex(job, 'npm publish');
		expect([install, build, test, publish].every((index) => index >= 0)).toBe(true);
		expect(install).toBeLessThan(build);
		expect(build).toBeLessThan(test);
		expect(test).toBeLessThan(publish);
		expect(job.steps[build].name).toBe('Build');
		expect(job.steps[test].name).toBe('Test');
		expect(job.steps[publish].name).toMatch(/publish.*provenance/i);
	});

	test('publishes with an npm provenance statement', () => {
		const publish = job.steps[stepIndex(job, 'npm publish')];
		expect(String(publish.env?.NPM_CONFIG_PROVENANCE)).toBe('true');
		const setupNode = job.steps.find((step) => step.uses?.startsWith('actions/setup-node@'));
		expect(setupNode).toBeDefined();
	});

	test('refuses a tag that is not the package version', () => {
		const check = job.steps.find((step) => step.run?.includes('GITHUB_REF_NAME'));
		expect(check?.run).toContain('require("./package.json").version');
		expect(check?.run).toContain('exit 1');
		expect(job.steps.indexOf(check!)).toBeLessThan(stepIndex(job, 'npm publish'));
	});
});

describe('the CI workflow (.github/workflows/ci.yml)', () => {
	test('builds and runs npm test on pushes to main and on pull requests', () => {
		const workflow = readWorkflow('ci.yml');
		expect(workflow.on.push?.branches).toEqual(['main']);
		expect(workflow.on).toHaveProperty('pull_request');
		const test = workflow.jobs.test;
		expect(stepIndex(test, 'npm ci')).toBeGreaterThanOrEqual(0);
		expect(stepIndex(test, 'npm run build')).toBeLessThan(stepIndex(test, 'npm test'));
	});
});

describe('package.json, as the provenance statement and n8n see it', () => {
	const repository =
		'https://github.com/n8n-nodes-ringcentral-extensions/n8n-nodes-ringcentral-extensions';

	test('repository, homepage, bugs and author all name the one GitHub repository', () => {
		expect(manifest.repository).toEqual({ type: 'git', url: `git+${repository}.git` });
		expect(manifest.homepage).toBe(`${repository}#readme`);
		expect(manifest.bugs).toEqual({ url: `${repository}/issues` });
		expect(repository.startsWith(`${manifest.author.url}/`)).toBe(true);
		expect(manifest.author.name).toBeTruthy();
	});

	test('docs/releasing.md explains how to release', () => {
		const releasing = readFileSync(join(ROOT, 'docs', 'releasing.md'), 'utf8');
		expect(releasing).toMatch(/^# Releasing$/m);
		expect(releasing).toContain('git tag');
	});
});

describe('the n8n scan (scripts/scan-package.mjs)', () => {
	test('fails on a finding in the tarball: console and timers in shipped code', () => {
		const workDir = mkdtempSync(join(tmpdir(), 'rc-scan-test-'));
		try {
			// A minimal unpacked package: the real package.json and one compiled node file with findings.
			cpSync(join(ROOT, 'package.json'), join(workDir, 'package.json'));
			writeFileSync(
				join(workDir, 'bad.node.js'),
				'"use strict";\nconsole.log("debug");\nsetTimeout(() => undefined, 10);\n',
			);
			const result = spawnSync('node', ['scripts/scan-package.mjs', '--unpacked', workDir], {
				cwd: ROOT,
				encoding: 'utf8',
			});
			expect(result.status).toBe(1);
			expect(result.stderr).toContain('no-console');
			expect(result.stderr).toContain('@n8n/community-nodes/no-restricted-globals');
		} finally {
			rmSync(workDir, { recursive: true, force: true });
		}
	}, 60_000);

	test('passes the same package.json alone (so the failure above is the planted code)', () => {
		const workDir = mkdtempSync(join(tmpdir(), 'rc-scan-test-'));
		try {
			cpSync(join(ROOT, 'package.json'), join(workDir, 'package.json'));
			const output = execFileSync('node', ['scripts/scan-package.mjs', '--unpacked', workDir], {
				cwd: ROOT,
				encoding: 'utf8',
			});
			expect(output).toBe('');
		} finally {
			rmSync(workDir, { recursive: true, force: true });
		}
	}, 60_000);
});
