/**
 * Queue-mode test: the packed package in n8n 2.41 scaled out (main + 2 workers, Redis, Postgres)
 * and, for comparison, in one n8n process, under RingCentral's limit model scaled down.
 * Started by scripts/queue/run.sh, which provisions n8n, starts Redis and Postgres, and sets:
 *   NODE24_BIN, N8N_BIN                  Node 24 and n8n's bin script
 *   QUEUE_REDIS_PORT                     Redis on 127.0.0.1
 *   QUEUE_PG_PORT, QUEUE_PG_USER, QUEUE_PG_DATABASE   Postgres on 127.0.0.1 (trust auth)
 *   QUEUE_SCRATCH                        folder for user folders and logs (removed by run.sh)
 * and passes on:
 *   QUEUE_ENFORCE=0     print the figures without failing on the thresholds (failed executions
 *                       and lost items fail always)
 *   QUEUE_MODES         queue,single (default both)
 *   QUEUE_RUNS=N        runs of each workflow per deployment (default 1)
 *   QUEUE_VERBOSE=1     echo n8n's and the fake's output live
 * Prints a Markdown table of the figures, and writes them as JSON to QUEUE_FIGURES (a path) when set.
 */
import { existsSync, mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';

import { FAKE, FakeRingCentral } from '../e2e/lib/fake';
import { N8n } from '../e2e/lib/n8n';
import { freePort, N8nServer, startWorker } from '../e2e/lib/n8nServer';
import { installPackage, pack } from '../e2e/lib/package';
import {
	E2EFailure,
	killAllChildren,
	log,
	setLogPrefix,
	tail,
	type Background,
} from '../e2e/lib/process';
import { findRepo } from '../e2e/lib/repo';
import { credentialsFor } from '../e2e/scenarios';
import {
	countByGroup,
	LIMITS,
	minimumSeconds,
	missedThresholds,
	penaltySeconds,
	table,
	type Mode,
	type RunFigures,
} from './figures';
import { bulkUpdateWorkflow, listAllWorkflow, type LoadWorkflow } from './workflows';
import { webSocketOnMainOnly } from './webSocketOnMain';

const VERBOSE = process.env.QUEUE_VERBOSE === '1';
const ENFORCE = process.env.QUEUE_ENFORCE !== '0';
const EXECUTIONS = 10;
/** Exit code when every execution succeeded and nothing was lost, but a threshold was missed. */
const THRESHOLDS_ONLY_EXIT = 3;
const RUNS = Math.max(1, Number(process.env.QUEUE_RUNS ?? 1) || 1);
const EXTENSIONS = 3000;
const BULK_RECORDS = 1000;
const WORKERS = 2;
const CONCURRENCY = 5;
/** The fake finishes a bulk-update task this long after it was created. */
const TASK_SECONDS = 1;
const FINAL_STATUSES = new Set(['success', 'error', 'crashed', 'canceled']);

interface Scenario {
	label: string;
	load: LoadWorkflow;
	group: 'Medium' | 'Heavy';
	/** Requests of `group` one execution needs: pages of 1,000, or bulk updates of 500 records. */
	requestsPerExecution: number;
	tailSeconds: number;
	/** Why an execution's output is incomplete, or undefined when it is complete. */
	incomplete(items: Array<{ json: Record<string, unknown> }>): string | undefined;
}

const SCENARIOS: Scenario[] = [
	{
		label: `A: Get Many, Return All over ${EXTENSIONS.toLocaleString('en')} extensions (Medium ${LIMITS.Medium} per ${LIMITS.windowSeconds} s)`,
		load: listAllWorkflow(),
		group: 'Medium',
		requestsPerExecution: Math.ceil(EXTENSIONS / 1000),
		tailSeconds: 0,
		incomplete(items) {
			const ids = new Set(items.map((item) => String(item.json.id)));
			if (items.length !== EXTENSIONS || ids.size !== EXTENSIONS)
				return `${items.length} items, ${ids.size} distinct extensions (expected ${EXTENSIONS})`;
			return undefined;
		},
	},
	{
		label: `B: Bulk Update of ${BULK_RECORDS.toLocaleString('en')} records, waiting (Heavy ${LIMITS.Heavy} per ${LIMITS.windowSeconds} s)`,
		load: bulkUpdateWorkflow(BULK_RECORDS),
		group: 'Heavy',
		requestsPerExecution: Math.ceil(BULK_RECORDS / 500),
		tailSeconds: TASK_SECONDS,
		incomplete(items) {
			const ids = new Set(items.map((item) => String(item.json.extensionId)));
			const succeeded = items.filter((item) => item.json.status === 'Success').length;
			if (items.length !== BULK_RECORDS || ids.size !== BULK_RECORDS || succeeded !== BULK_RECORDS)
				return `${items.length} outcomes, ${ids.size} distinct extensions, ${succeeded} Success (expected ${BULK_RECORDS})`;
			return undefined;
		},
	},
];

function required(name: string): string {
	const value = process.env[name];
	if (!value) throw new E2EFailure(`${name} is not set; run scripts/queue/run.sh, which sets it`);
	return value;
}

function existing(name: string): string {
	const value = required(name);
	if (!existsSync(value)) throw new E2EFailure(`${name}=${value} does not exist`);
	return value;
}

interface Deployment {
	mode: Mode;
	server: N8nServer;
	workers: Array<{ name: string; background: Background }>;
	stop(): Promise<void>;
}

async function prepareUserFolder(
	name: string,
	scratch: string,
	tarball: string,
	env: Record<string, string>,
): Promise<N8n> {
	const n8n = new N8n(
		{ node: existing('NODE24_BIN'), bin: existing('N8N_BIN'), userFolder: join(scratch, name) },
		{ N8N_RUNNERS_BROKER_PORT: String(await freePort()), ...env },
	);
	await installPackage(n8n, tarball, { verbose: VERBOSE });
	return n8n;
}

async function importAll(n8n: N8n, fake: FakeRingCentral, scratch: string): Promise<void> {
	await n8n.importCredentials(credentialsFor(fake.url), scratch);
	await n8n.importWorkflows(
		SCENARIOS.map((scenario) => scenario.load.workflow),
		scratch,
	);
}

async function publishAll(server: N8nServer): Promise<void> {
	for (const scenario of SCENARIOS) {
		// The editor's Publish activates at once (n8n publish:workflow only marks it for the next start).
		await server.publish(scenario.load.id);
		const workflow = await server.rest<{ active?: boolean; activeVersionId?: string | null }>(
			'GET',
			`/workflows/${scenario.load.id}`,
		);
		if (!workflow.active && !workflow.activeVersionId)
			throw new E2EFailure(`publishing ${scenario.load.id} did not activate it`);
	}
	log(`published ${SCENARIOS.length} webhook workflows`);
}

/** main + workers on Postgres and Redis, each with its own user folder holding the package. */
async function startQueueMode(
	scratch: string,
	tarball: string,
	fake: FakeRingCentral,
): Promise<Deployment> {
	const queueEnv: Record<string, string> = {
		EXECUTIONS_MODE: 'queue',
		DB_TYPE: 'postgresdb',
		DB_POSTGRESDB_HOST: '127.0.0.1',
		DB_POSTGRESDB_PORT: required('QUEUE_PG_PORT'),
		DB_POSTGRESDB_DATABASE: required('QUEUE_PG_DATABASE'),
		DB_POSTGRESDB_USER: required('QUEUE_PG_USER'),
		DB_POSTGRESDB_PASSWORD: '',
		QUEUE_BULL_REDIS_HOST: '127.0.0.1',
		QUEUE_BULL_REDIS_PORT: required('QUEUE_REDIS_PORT'),
		// Webhook-started executions go to the workers in queue mode anyway; manual ones too with this.
		OFFLOAD_MANUAL_EXECUTIONS_TO_WORKERS: 'true',
		// Stop in seconds, not the default 30 s of waiting for running jobs.
		N8N_GRACEFUL_SHUTDOWN_TIMEOUT: '5',
		EXECUTIONS_DATA_SAVE_ON_SUCCESS: 'all',
	};
	const main = await prepareUserFolder('main', scratch, tarball, queueEnv);
	const workerFolders: N8n[] = [];
	for (let index = 1; index <= WORKERS; index++) {
		workerFolders.push(
			await prepareUserFolder(`worker${index}`, scratch, tarball, {
				...queueEnv,
				QUEUE_HEALTH_CHECK_ACTIVE: 'true',
				QUEUE_HEALTH_CHECK_PORT: String(await freePort()),
			}),
		);
	}
	log('queue mode: importing into Postgres (the first command runs the migrations)');
	await importAll(main, fake, scratch);
	const workers: Deployment['workers'] = [];
	let server: N8nServer | undefined;
	try {
		const [started, ...backgrounds] = await Promise.all([
			N8nServer.start(main, { echo: VERBOSE, env: queueEnv, label: 'main' }),
			...workerFolders.map((folder, index) =>
				startWorker(folder, {
					concurrency: CONCURRENCY,
					label: `worker${index + 1}`,
					echo: VERBOSE,
				}),
			),
		]);
		server = started;
		backgrounds.forEach((background, index) =>
			workers.push({ name: `worker${index + 1}`, background }),
		);
		await publishAll(server);
	} catch (error) {
		await server?.stop();
		for (const worker of workers) await worker.background.stop();
		throw error;
	}
	const active = server;
	return {
		mode: 'queue',
		server: active,
		workers,
		async stop() {
			await Promise.all([active.stop(), ...workers.map((worker) => worker.background.stop())]);
		},
	};
}

/** One `n8n start` in regular mode on SQLite: the same load in one process. */
async function startOneProcess(
	scratch: string,
	tarball: string,
	fake: FakeRingCentral,
): Promise<Deployment> {
	const single = await prepareUserFolder('single', scratch, tarball, {});
	log('one process: importing into SQLite');
	await importAll(single, fake, scratch);
	const server = await N8nServer.start(single, { echo: VERBOSE, label: 'single' });
	try {
		await publishAll(server);
	} catch (error) {
		await server.stop();
		throw error;
	}
	return { mode: 'one process', server, workers: [], stop: () => server.stop() };
}

async function fireWebhooks(server: N8nServer, path: string): Promise<void> {
	const answers = await Promise.all(
		Array.from({ length: EXECUTIONS }, async (_, index) => {
			const response = await fetch(`${server.url}/webhook/${path}`, {
				method: 'POST',
				headers: { 'content-type': 'application/json' },
				body: JSON.stringify({ run: index }),
			});
			return { status: response.status, text: await response.text() };
		}),
	);
	const refused = answers.filter((answer) => answer.status !== 200);
	if (refused.length > 0)
		throw new E2EFailure(
			`${refused.length} of ${EXECUTIONS} webhook calls to /webhook/${path} were not accepted (${refused[0].status})`,
			refused[0].text,
		);
}

/** Waits until `count` executions that are not in `before` have finished; returns their ids. */
async function waitForExecutions(
	server: N8nServer,
	workflowId: string,
	before: Set<string>,
	timeoutMs: number,
): Promise<Array<{ id: string; status: string; stoppedAt: number }>> {
	const deadline = Date.now() + timeoutMs;
	let latest: Array<{ id: string; status: string; stoppedAt?: string | null }> = [];
	while (Date.now() < deadline) {
		latest = (await server.executionSummaries(workflowId, 100)).filter(
			(execution) => !before.has(execution.id),
		);
		const finished = latest.filter((execution) => FINAL_STATUSES.has(execution.status));
		if (latest.length >= EXECUTIONS && finished.length === latest.length) {
			return finished.map((execution) => ({
				id: execution.id,
				status: execution.status,
				stoppedAt: Date.parse(execution.stoppedAt ?? '') || Date.now(),
			}));
		}
		await new Promise((done) => setTimeout(done, 1000));
	}
	throw new E2EFailure(
		`the executions of ${workflowId} did not all finish within ${timeoutMs / 1000} s`,
		JSON.stringify(
			latest.map((execution) => `${execution.id}: ${execution.status}`),
			null,
			1,
		),
	);
}

function workerOf(deployment: Deployment, executionId: string): string | undefined {
	const pattern = new RegExp(`Worker started execution ${executionId} \\(`);
	return deployment.workers.find((worker) => pattern.test(worker.background.output()))?.name;
}

/** The error's message and the first line of its description (they run to several lines). */
function errorOf(run: { resultData: { error?: unknown } }): string {
	const error = run.resultData.error as { message?: string; description?: string } | undefined;
	if (!error) return 'no error recorded';
	return `${error.message ?? ''} ${(error.description ?? '').split('\n')[0]}`.trim();
}

async function measure(
	deployment: Deployment,
	fake: FakeRingCentral,
	scenario: Scenario,
	runNumber: number,
): Promise<RunFigures> {
	const { server } = deployment;
	const workflowId = scenario.load.id;
	await fake.reset({ state: true });
	const before = new Set((await server.executionSummaries(workflowId, 100)).map((e) => e.id));
	log(`${deployment.mode}, ${scenario.label}, run ${runNumber}: firing ${EXECUTIONS} webhooks`);
	const started = Date.now();
	await fireWebhooks(server, scenario.load.path);
	const finished = await waitForExecutions(server, workflowId, before, 300_000);
	const lastStop = Math.max(...finished.map((execution) => execution.stoppedAt));
	const wallSeconds = (lastStop - started) / 1000;

	const problems: string[] = [];
	let complete = 0;
	const perWorker: Record<string, number> = {};
	for (const { id } of finished) {
		const execution = await server.execution(id);
		if (deployment.workers.length > 0) {
			const worker = workerOf(deployment, id) ?? 'not in any worker log';
			perWorker[worker] = (perWorker[worker] ?? 0) + 1;
		}
		if (execution.status !== 'success') {
			problems.push(`execution ${id} ${execution.status}: ${errorOf(execution.run)}`);
			continue;
		}
		const items =
			execution.run.resultData.runData[scenario.load.resultNode]?.[0]?.data?.main?.[0] ?? [];
		const why = scenario.incomplete(items);
		if (why) problems.push(`execution ${id} lost items: ${why}`);
		else complete++;
	}

	const requests = await fake.requests();
	const violations = await fake.violations();
	if (violations.length > 0)
		problems.push(
			`${violations.length} request(s) broke the OpenAPI spec: ${JSON.stringify(violations.slice(0, 3))}`,
		);
	const admitted = countByGroup(requests);
	// What the load needs (or more, if more got through), not what a failing run managed to send.
	const needed = Math.max(
		EXECUTIONS * scenario.requestsPerExecution,
		admitted[scenario.group] ?? 0,
	);
	const minimum = minimumSeconds(needed, LIMITS[scenario.group], scenario.tailSeconds);
	const figures: RunFigures = {
		mode: deployment.mode,
		workflow: scenario.label.slice(0, 1),
		run: runNumber,
		executions: finished.length,
		succeeded: finished.filter((execution) => execution.status === 'success').length,
		complete,
		problems,
		admitted,
		refused: requests.filter((request) => request.status === 429).length,
		penaltySeconds: penaltySeconds(requests, scenario.group, lastStop),
		wallSeconds,
		minimumSeconds: minimum,
		ratio: minimum > 0 ? wallSeconds / minimum : 0,
		perWorker: deployment.workers.length > 0 ? perWorker : undefined,
	};
	log(
		`  ${figures.succeeded}/${figures.executions} succeeded, ${figures.complete} complete, ${figures.refused} 429s, ` +
			`${figures.penaltySeconds.toFixed(1)} s under penalty, wall ${wallSeconds.toFixed(1)} s vs minimum ${minimum.toFixed(1)} s (${figures.ratio.toFixed(2)} ×)` +
			(figures.perWorker ? `, per worker ${JSON.stringify(figures.perWorker)}` : ''),
	);
	for (const problem of problems.slice(0, 5)) log(`  problem: ${problem}`);
	return figures;
}

/** The fake announces the limits this test is about (a flag the CLI ignored would make it pointless). */
async function checkFakeLimits(fake: FakeRingCentral): Promise<void> {
	const response = await fetch(`${fake.url}/restapi/v1.0/account/~/extension?perPage=1`, {
		headers: { authorization: `Bearer ${FAKE.accessToken}` },
	});
	const limit = response.headers.get('x-rate-limit-limit');
	const window = response.headers.get('x-rate-limit-window');
	if (
		response.headers.get('x-rate-limit-group') !== 'Medium' ||
		limit !== String(LIMITS.Medium) ||
		window !== String(LIMITS.windowSeconds)
	)
		throw new E2EFailure(
			`the fake does not meter as asked: Medium ${limit} per ${window} s (wanted ${LIMITS.Medium} per ${LIMITS.windowSeconds} s)`,
		);
	await fake.reset();
}

/** Both workers must have run executions, or the queue test did not test the queue. */
function checkSpread(runs: RunFigures[]): string[] {
	const queueRuns = runs.filter((run) => run.mode === 'queue');
	if (queueRuns.length === 0) return [];
	const totals: Record<string, number> = {};
	for (const run of queueRuns)
		for (const [worker, count] of Object.entries(run.perWorker ?? {}))
			totals[worker] = (totals[worker] ?? 0) + count;
	const idle = Array.from({ length: WORKERS }, (_, index) => `worker${index + 1}`).filter(
		(worker) => !totals[worker],
	);
	const unattributed = totals['not in any worker log'] ?? 0;
	return [
		...idle.map((worker) => `queue mode: ${worker} ran no execution`),
		...(unattributed > 0
			? [`queue mode: ${unattributed} execution(s) ran on no worker (in the main process?)`]
			: []),
	];
}

async function main(): Promise<number> {
	setLogPrefix('queue');
	const repo = findRepo();
	const scratch = required('QUEUE_SCRATCH');
	mkdirSync(scratch, { recursive: true });
	const modes = (process.env.QUEUE_MODES ?? 'queue,single').split(',').map((mode) => mode.trim());
	let fake: FakeRingCentral | undefined;
	let deployment: Deployment | undefined;
	const cleanup = async () => {
		await deployment?.stop().catch(() => undefined);
		await fake?.stop().catch(() => undefined);
		killAllChildren();
	};
	const onSignal = (signal: NodeJS.Signals) => {
		log(`${signal}: stopping`);
		void cleanup().finally(() => process.exit(130));
	};
	process.once('SIGINT', onSignal);
	process.once('SIGTERM', onSignal);

	const runs: RunFigures[] = [];
	const failures: string[] = [];
	try {
		const tarball = await pack(repo, scratch, { verbose: VERBOSE });
		fake = await FakeRingCentral.start({
			cliPath: join(repo, '.e2e', 'queue-build', 'test', 'fake-server', 'cli.js'),
			args: [
				`--seed-extensions=${EXTENSIONS}`,
				`--rate-limits=Medium:${LIMITS.Medium},Heavy:${LIMITS.Heavy}`,
				`--rate-limit-window-seconds=${LIMITS.windowSeconds}`,
				`--rate-limit-penalty-seconds=${LIMITS.penaltySeconds}`,
				`--task-complete-after-ms=${TASK_SECONDS * 1000}`,
			],
			echo: VERBOSE,
		});
		await checkFakeLimits(fake);
		for (const mode of modes) {
			if (mode !== 'queue' && mode !== 'single')
				throw new E2EFailure(`QUEUE_MODES: unknown mode ${mode} (queue or single)`);
			deployment =
				mode === 'queue'
					? await startQueueMode(scratch, tarball, fake)
					: await startOneProcess(join(scratch, 'one'), tarball, fake);
			for (let run = 1; run <= RUNS; run++)
				for (const scenario of SCENARIOS) runs.push(await measure(deployment, fake, scenario, run));
			if (mode === 'queue') failures.push(...(await webSocketOnMainOnly(deployment, fake)));
			await deployment.stop();
			deployment = undefined;
		}
	} catch (error) {
		const message = error instanceof Error ? error.message : String(error);
		failures.push(message);
		log(`FAIL: ${message}`);
		if (error instanceof E2EFailure && error.details)
			process.stderr.write(`${tail(error.details, 60)}\n`);
		else if (error instanceof Error && error.stack) process.stderr.write(`${error.stack}\n`);
	} finally {
		await cleanup();
	}

	if (runs.length > 0) process.stdout.write(`\n${table(runs)}\n\n`);
	if (process.env.QUEUE_FIGURES)
		writeFileSync(process.env.QUEUE_FIGURES, JSON.stringify(runs, null, 2));
	for (const run of runs) {
		const label = `${run.workflow}, ${run.mode}, run ${run.run}`;
		for (const problem of run.problems.slice(0, 3)) failures.push(`${label}: ${problem}`);
		if (run.problems.length > 3)
			failures.push(`${label}: ${run.problems.length - 3} more problem(s) like these`);
	}
	failures.push(...checkSpread(runs));
	const missed = runs.flatMap(missedThresholds);
	if (missed.length > 0) {
		const heading = ENFORCE
			? 'thresholds missed'
			: 'thresholds missed (QUEUE_ENFORCE=0: reported, not failed)';
		process.stderr.write(`${heading}:\n${missed.map((line) => `  - ${line}`).join('\n')}\n`);
	}
	const thresholdMisses = ENFORCE ? missed : [];
	if (failures.length + thresholdMisses.length > 0) {
		const all = [...failures, ...thresholdMisses];
		process.stderr.write(
			`\nQUEUE TEST FAILED (${all.length}):\n${all.map((failure) => `  - ${failure}`).join('\n')}\n`,
		);
		// Failed executions or lost items: 1. Only a speed or 429 threshold missed: 3 (.ci/run reruns once).
		return failures.length > 0 ? 1 : THRESHOLDS_ONLY_EXIT;
	}
	log(`queue test passed (${runs.length} runs)`);
	return 0;
}

main().then(
	(code) => process.exit(code),
	(error: unknown) => {
		process.stderr.write(
			`queue runner crashed: ${error instanceof Error ? (error.stack ?? error.message) : String(error)}\n`,
		);
		killAllChildren();
		process.exit(1);
	},
);
