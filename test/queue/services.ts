/** Starting what the queue test runs against: the fake RingCentral, and n8n in queue mode or in one process. */
import { existsSync } from 'node:fs';
import { join } from 'node:path';

import { FAKE, FakeRingCentral } from '../e2e/lib/fake';
import { N8n } from '../e2e/lib/n8n';
import { freePort, N8nServer, startWorker } from '../e2e/lib/n8nServer';
import { installPackage } from '../e2e/lib/package';
import { E2EFailure, log, type Background } from '../e2e/lib/process';
import { credentialsFor } from '../e2e/scenarios';
import { LIMITS, type Mode } from './figures';
import { EXTENSIONS, SCENARIOS, TASK_SECONDS } from './scenarios';

export const VERBOSE = process.env.QUEUE_VERBOSE === '1';
export const WORKERS = 2;
const CONCURRENCY = 5;

export function required(name: string): string {
	const value = process.env[name];
	if (!value) throw new E2EFailure(`${name} is not set; run scripts/queue/run.sh, which sets it`);
	return value;
}

function existing(name: string): string {
	const value = required(name);
	if (!existsSync(value)) throw new E2EFailure(`${name}=${value} does not exist`);
	return value;
}

export interface Deployment {
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
export async function startQueueMode(
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
export async function startOneProcess(
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

/** The fake RingCentral under the scaled-down limits, checked to announce them. */
export async function startFake(cliPath: string): Promise<FakeRingCentral> {
	const fake = await FakeRingCentral.start({
		cliPath,
		args: [
			`--seed-extensions=${EXTENSIONS}`,
			`--rate-limits=Medium:${LIMITS.Medium},Heavy:${LIMITS.Heavy}`,
			`--rate-limit-window-seconds=${LIMITS.windowSeconds}`,
			`--rate-limit-penalty-seconds=${LIMITS.penaltySeconds}`,
			`--task-complete-after-ms=${TASK_SECONDS * 1000}`,
		],
		echo: VERBOSE,
	});
	try {
		await checkFakeLimits(fake);
	} catch (error) {
		await fake.stop();
		throw error;
	}
	return fake;
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
