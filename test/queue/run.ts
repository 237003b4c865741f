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
 *   QUEUE_WORKFLOWS     A,B (default both)
 *   QUEUE_VERBOSE=1     echo n8n's and the fake's output live
 * Prints a Markdown table of the figures, and writes them as JSON to QUEUE_FIGURES (a path) when set.
 * What runs: scenarios.ts (and workflows.ts); starting it: services.ts; running and reading the
 * executions: executions.ts; figures and thresholds: figures.ts.
 */
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';

import type { FakeRingCentral } from '../e2e/lib/fake';
import { pack } from '../e2e/lib/package';
import { E2EFailure, killAllChildren, log, setLogPrefix, tail } from '../e2e/lib/process';
import { findRepo } from '../e2e/lib/repo';
import { measure } from './executions';
import { checkSpread, missedTargets, missedThresholds, table, type RunFigures } from './figures';
import { SCENARIOS } from './scenarios';
import { webSocketOnMainOnly } from './webSocketOnMain';
import {
	required,
	startFake,
	startOneProcess,
	startQueueMode,
	VERBOSE,
	WORKERS,
	type Deployment,
} from './services';

const ENFORCE = process.env.QUEUE_ENFORCE !== '0';
/** Exit code when every execution succeeded and nothing was lost, but a threshold was missed. */
const THRESHOLDS_ONLY_EXIT = 3;
const RUNS = Math.max(1, Number(process.env.QUEUE_RUNS ?? 1) || 1);
const WORKFLOWS = (process.env.QUEUE_WORKFLOWS ?? 'A,B').split(',').map((name) => name.trim());
const scenarios = SCENARIOS.filter((scenario) => WORKFLOWS.includes(scenario.label.slice(0, 1)));

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
		fake = await startFake(join(repo, '.e2e', 'queue-build', 'test', 'fake-server', 'cli.js'));
		for (const mode of modes) {
			if (mode !== 'queue' && mode !== 'single')
				throw new E2EFailure(`QUEUE_MODES: unknown mode ${mode} (queue or single)`);
			deployment =
				mode === 'queue'
					? await startQueueMode(scratch, tarball, fake)
					: await startOneProcess(join(scratch, 'one'), tarball, fake);
			for (let run = 1; run <= RUNS; run++)
				for (const scenario of scenarios) runs.push(await measure(deployment, fake, scenario, run));
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
	failures.push(...checkSpread(runs, WORKERS));
	const slow = runs.flatMap(missedTargets);
	if (slow.length > 0) {
		process.stdout.write(
			`speed target missed (measured, not failed):\n${slow.map((line) => `  - ${line}`).join('\n')}\n`,
		);
	}
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
		// Failed executions or lost items: 1. Only the 429 threshold missed: 3 (.ci/run reruns once).
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
