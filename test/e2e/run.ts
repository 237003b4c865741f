/**
 * End-to-end runner: the packed package inside a real n8n 2.x, against the fake RingCentral.
 * Started by scripts/e2e/run.sh (which provisions n8n and compiles this file); reads:
 *   NODE24_BIN, N8N_BIN   Node 24 and n8n's bin script (from scripts/e2e/install-n8n.sh --print-env)
 *   E2E_KEEP=1            keep the temp dir (user folder, logs) and print where it is
 *   E2E_VERBOSE=1         echo n8n's and the fake's output live
 *   E2E_EXPRESSION_ENGINE vm (default, as in n8n 2.41) or legacy
 *   E2E_BREAK_PACKAGE=1   self-test: install the package with a wrong dist path and expect
 *                         the "n8n could not load the package" failure
 * Arguments: scenario names to run (default: all).
 */
import { existsSync, mkdtempSync, readFileSync, readdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

import { FakeRingCentral, type LoggedRequest } from './lib/fake';
import {
	N8n,
	NODE_TYPE,
	PACKAGE_NAME,
	packageLoadErrors,
	unknownNodeType,
	type Execution,
} from './lib/n8n';
import { installPackage, pack } from './lib/package';
import { E2EFailure, killAllChildren, log, tail } from './lib/process';
import { findRepo, pointAtCredentials, type WorkflowFile } from './lib/repo';
import {
	ACCESS_TOKEN_CREDENTIAL,
	credentialsFor,
	JWT_CREDENTIAL,
	SCENARIOS,
	type ExampleWorkflow,
	type ScenarioContext,
} from './scenarios';

const VERBOSE = process.env.E2E_VERBOSE === '1';
const KEEP = process.env.E2E_KEEP === '1';
const BREAK_PACKAGE = process.env.E2E_BREAK_PACKAGE === '1';

function required(name: string): string {
	const value = process.env[name];
	if (!value || !existsSync(value)) {
		throw new E2EFailure(
			`${name} is not set or does not exist (${value ?? 'unset'}); run scripts/e2e/run.sh, which sets it`,
		);
	}
	return value;
}

/** Workflow files; `__FAKE_URL__` in them becomes the fake server's URL. */
function loadWorkflows(repo: string, ids: string[], fakeUrl: string): unknown[] {
	return ids.map((id) => {
		const file = join(repo, 'test', 'e2e', 'workflows', `${id}.json`);
		if (!existsSync(file)) throw new E2EFailure(`missing workflow file ${file}`);
		return JSON.parse(readFileSync(file, 'utf8').split('__FAKE_URL__').join(fakeUrl)) as unknown;
	});
}

function exampleRank(file: string): number {
	if (file.startsWith('onboard')) return 0;
	if (file.startsWith('offboard')) return 1;
	return 2;
}

/** examples/*.json with fixed ids, their RingCentral nodes pointed at the e2e credentials. */
function loadExamples(repo: string): Array<{ example: ExampleWorkflow; workflow: unknown }> {
	const dir = join(repo, 'examples');
	if (!existsSync(dir)) return [];
	return (
		readdirSync(dir)
			.filter((file) => file.endsWith('.json'))
			// Trigger examples start from RingCentral, not `n8n execute`: the trigger scenario runs them.
			.filter((file) =>
				readFileSync(join(dir, file), 'utf8').includes('n8n-nodes-base.manualTrigger'),
			)
			// Alphabetical, except that onboarding runs before offboarding: the offboarding example's
			// sample leavers are two of the onboarding example's sample hires.
			.sort((a, b) => exampleRank(a) - exampleRank(b) || a.localeCompare(b))
			.map((file, index) => {
				const workflow = JSON.parse(readFileSync(join(dir, file), 'utf8')) as WorkflowFile;
				workflow.id = `e2eExample${String(index + 1).padStart(6, '0')}`;
				const ringCentralNodes = pointAtCredentials(workflow, {
					accessToken: ACCESS_TOKEN_CREDENTIAL,
					jwt: JWT_CREDENTIAL,
				});
				// The examples open with Preview Only on; this runs them as a user does after the preview.
				// Not the nightly sync: on the fake's account it would disable hundreds, which Max
				// Disable refuses by design (the leavers scenario runs it for real on a small list).
				if (!file.startsWith('onboard'))
					for (const node of workflow.nodes ?? [])
						if (node.parameters?.dryRun === true) node.parameters.dryRun = false;
				return {
					example: { file, id: workflow.id, name: workflow.name ?? file, ringCentralNodes },
					workflow,
				};
			})
	);
}

/** Fails with one clear sentence when n8n did not load the package (unknown node type). */
function assertPackageLoaded(execution: Execution): void {
	const unknown = unknownNodeType(execution.output);
	if (!unknown) return;
	const reasons = packageLoadErrors(execution.output);
	throw new E2EFailure(
		`n8n could not load the package: ${unknown}` +
			(reasons.length ? `; n8n said: ${reasons.join(' / ')}` : '') +
			`. Check the "n8n" section of package.json (paths under dist/) and that ${NODE_TYPE} is built.`,
		tail(execution.output, 40),
	);
}

async function main(): Promise<number> {
	const repo = findRepo();
	const node24 = required('NODE24_BIN');
	const n8nBin = required('N8N_BIN');
	const only = process.argv.slice(2);
	const unknown = only.filter((name) => !SCENARIOS.some((scenario) => scenario.name === name));
	if (unknown.length) {
		throw new E2EFailure(
			`unknown scenario(s) ${unknown.join(', ')}; known: ${SCENARIOS.map((s) => s.name).join(', ')}`,
		);
	}
	const scenarios = only.length
		? SCENARIOS.filter((scenario) => only.includes(scenario.name))
		: SCENARIOS;

	const scratch = mkdtempSync(join(tmpdir(), 'rc-n8n-e2e-'));
	let fake: FakeRingCentral | undefined;
	const cleanup = async () => {
		await fake?.stop().catch(() => undefined);
		killAllChildren();
		if (KEEP) log(`E2E_KEEP=1: left ${scratch} in place`);
		else rmSync(scratch, { recursive: true, force: true });
	};
	const onSignal = (signal: NodeJS.Signals) => {
		log(`${signal}: stopping`);
		void cleanup().finally(() => process.exit(130));
	};
	process.once('SIGINT', onSignal);
	process.once('SIGTERM', onSignal);

	const failures: string[] = [];
	try {
		log(`packing ${PACKAGE_NAME} from ${repo}`);
		const tarball = await pack(repo, scratch, { verbose: VERBOSE });

		const n8n = new N8n(
			{ node: node24, bin: n8nBin, userFolder: join(scratch, 'user') },
			{ N8N_RUNNERS_BROKER_PORT: String(await freePort()) },
		);
		await installPackage(n8n, tarball, { verbose: VERBOSE, breakPackage: BREAK_PACKAGE });

		log('starting the fake RingCentral server');
		fake = await FakeRingCentral.start({
			cliPath: join(repo, '.e2e', 'build', 'test', 'fake-server', 'cli.js'),
			args: ['--seed-extensions=2100', '--seed-templates=4', '--task-complete-after-polls=2'],
			echo: VERBOSE,
		});
		const activeFake = fake;

		log('importing credentials and workflows into n8n (first command also creates the database)');
		await n8n.importCredentials(credentialsFor(activeFake.url), scratch);
		const workflowIds = [...new Set(scenarios.flatMap((scenario) => scenario.workflows))];
		const examples = scenarios.some((scenario) => scenario.name === 'examples')
			? loadExamples(repo)
			: [];
		await n8n.importWorkflows(
			[
				...loadWorkflows(repo, workflowIds, activeFake.url),
				...examples.map((entry) => entry.workflow),
			],
			scratch,
		);

		let logged = 0;
		let exitCrashes = 0;
		const context: ScenarioContext = {
			n8n,
			fake: activeFake,
			examples: examples.map((entry) => entry.example),
			async execute(workflowId) {
				logged = (await activeFake.requests()).length;
				const execution = await n8n.execute(workflowId);
				if (VERBOSE) process.stderr.write(execution.output.replace(/^/gm, '    [n8n] ') + '\n');
				assertPackageLoaded(execution);
				if (execution.crashedAtExit) {
					exitCrashes++;
					log(
						'  note: n8n crashed with SIGSEGV while exiting, after it had finished and printed the execution (n8n 2.41 isolated-vm teardown race); the printed result is used',
					);
				}
				const all = await activeFake.requests();
				const requests: LoggedRequest[] = all.slice(logged);
				log(
					`  n8n execute --id=${workflowId}: ${execution.ok ? 'success' : 'error'} in ${(execution.ms / 1000).toFixed(1)} s, ${requests.length} API request(s)`,
				);
				return { execution, requests };
			},
		};

		for (const scenario of scenarios) {
			log(`scenario ${scenario.name}`);
			try {
				await scenario.run(context);
				log(`scenario ${scenario.name}: PASS`);
			} catch (error) {
				if (
					error instanceof E2EFailure &&
					error.message.startsWith('n8n could not load the package')
				)
					throw error;
				const message = error instanceof Error ? error.message : String(error);
				failures.push(`${scenario.name}: ${message}`);
				log(`scenario ${scenario.name}: FAIL: ${message}`);
				if (error instanceof E2EFailure && error.details)
					process.stderr.write(`${indent(error.details)}\n`);
			}
		}

		if (exitCrashes > 0)
			log(`n8n crashed at exit after ${exitCrashes} finished execution(s) (see the note above)`);
		const violations = await activeFake.violations();
		if (violations.length > 0) {
			failures.push(
				`the fake RingCentral server saw ${violations.length} request(s) that break the OpenAPI spec`,
			);
			process.stderr.write(`${indent(JSON.stringify(violations.slice(0, 10), null, 2))}\n`);
		}
	} catch (error) {
		const message = error instanceof Error ? error.message : String(error);
		failures.push(message);
		log(`FAIL: ${message}`);
		if (error instanceof E2EFailure && error.details)
			process.stderr.write(`${indent(error.details)}\n`);
		else if (!(error instanceof E2EFailure) && error instanceof Error && error.stack)
			process.stderr.write(`${indent(error.stack)}\n`);
	} finally {
		await cleanup();
	}

	if (failures.length > 0) {
		process.stderr.write(
			`\nE2E FAILED (${failures.length}):\n${failures.map((failure) => `  - ${failure}`).join('\n')}\n`,
		);
		return 1;
	}
	log(`all ${scenarios.length} scenario(s) passed`);
	return 0;
}

function indent(text: string): string {
	return text
		.split('\n')
		.map((line) => `      ${line}`)
		.join('\n');
}

async function freePort(): Promise<number> {
	const { createServer } = await import('node:net');
	return new Promise((resolvePort, reject) => {
		const server = createServer();
		server.once('error', reject);
		server.listen(0, '127.0.0.1', () => {
			const address = server.address();
			const port = typeof address === 'object' && address ? address.port : 0;
			server.close(() => resolvePort(port));
		});
	});
}

main().then(
	(code) => process.exit(code),
	(error: unknown) => {
		process.stderr.write(
			`e2e runner crashed: ${error instanceof Error ? (error.stack ?? error.message) : String(error)}\n`,
		);
		killAllChildren();
		process.exit(1);
	},
);
