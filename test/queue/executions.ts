/** Running a workflow's executions and reading what they did into the run's figures. */
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { FakeRingCentral, LoggedRequest } from '../e2e/lib/fake';
import type { N8nServer } from '../e2e/lib/n8nServer';
import { E2EFailure, log } from '../e2e/lib/process';
import {
	countByGroup,
	LIMITS,
	minimumSeconds,
	penaltySeconds,
	spanSeconds,
	type RunFigures,
} from './figures';
import { EXECUTIONS, type Scenario } from './scenarios';
import type { Deployment } from './services';

const FINAL_STATUSES = new Set(['success', 'error', 'crashed', 'canceled']);

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

/** QUEUE_TRACE=<dir>: each run's requests, times relative to the first webhook, for reading a run's pacing. */
function writeTrace(
	dir: string,
	requests: LoggedRequest[],
	started: number,
	deployment: Deployment,
	scenario: Scenario,
	runNumber: number,
): void {
	mkdirSync(dir, { recursive: true });
	const rows = requests.map((request) => ({
		at: (request.at ?? started) - started,
		answeredAt: request.answeredAt === undefined ? undefined : request.answeredAt - started,
		group: (request as { group?: string }).group,
		status: request.status,
		client: request.client,
		request: `${request.method} ${request.path}${request.rawQuery ? `?${request.rawQuery}` : ''}`,
	}));
	const file = join(dir, `${deployment.mode}-${scenario.label.slice(0, 1)}-${runNumber}.json`);
	writeFileSync(file, JSON.stringify(rows, null, 1));
}

export async function measure(
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
	if (process.env.QUEUE_TRACE)
		writeTrace(process.env.QUEUE_TRACE, requests, started, deployment, scenario, runNumber);
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
		meteredSpan: {
			seconds: spanSeconds(requests, scenario.group),
			minimumSeconds: minimumSeconds(needed, LIMITS[scenario.group]),
		},
		perWorker: deployment.workers.length > 0 ? perWorker : undefined,
	};
	log(
		`  ${figures.succeeded}/${figures.executions} succeeded, ${figures.complete} complete, ${figures.refused} 429s, ` +
			`${figures.penaltySeconds.toFixed(1)} s under penalty, wall ${wallSeconds.toFixed(1)} s vs minimum ${minimum.toFixed(1)} s (${figures.ratio.toFixed(2)} ×)` +
			`; metered requests span ${figures.meteredSpan?.seconds.toFixed(1)} s vs ${figures.meteredSpan?.minimumSeconds.toFixed(1)} s` +
			(figures.perWorker ? `, per worker ${JSON.stringify(figures.perWorker)}` : ''),
	);
	for (const problem of problems.slice(0, 5)) log(`  problem: ${problem}`);
	return figures;
}
