/**
 * Queue-mode test: the packed package in n8n main + 2 workers (Redis, Postgres), 10 webhook
 * executions at once against the fake RingCentral under scaled-down limits; then the same load
 * in one n8n process. Started by scripts/queue/run.sh (which provisions n8n, Redis and Postgres
 * and compiles this file); reads NODE24_BIN, N8N_BIN, QUEUE_PG_BIN (Postgres bin dir).
 *   QUEUE_KEEP=1     keep the temp dir (user folders, logs)
 *   QUEUE_VERBOSE=1  echo every process's output
 *   QUEUE_RESULTS=f  also write the figures as JSON to f
 */
import { randomUUID } from 'node:crypto';
import { chmodSync, existsSync, mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

import { FakeRingCentral, FAKE, type LoggedRequest } from './lib/fake';
import { N8n, NODE_TYPE, PACKAGE_NAME } from './lib/n8n';
import {
	E2EFailure,
	killAllChildren,
	log,
	run,
	startBackground,
	tail,
	type Background,
} from './lib/process';
import { findRepo } from './lib/repo';

const VERBOSE = process.env.QUEUE_VERBOSE === '1';
const KEEP = process.env.QUEUE_KEEP === '1';
const EXECUTIONS = 10;
const EXTENSIONS = 3000;
const BULK_RECORDS = 1000;
const WINDOW_S = 6;
const LIMITS = { Light: 50, Medium: 6, Heavy: 2, Auth: 5 };
const CREDENTIAL = { id: 'queueJwtCred0001', name: 'RingCentral JWT (fake, queue)' };

interface Load {
	name: string;
	workflowId: string;
	path: string;
	group: 'Medium' | 'Heavy';
	operationId: string;
	/** What one execution's webhook answer must hold; returns a problem or undefined. */
	check(answer: unknown): string | undefined;
}

const LOADS: Load[] = [
	{
		name: 'Get Many, Return All over 3,000 extensions (Medium 6 per 6 s)',
		workflowId: 'queueListAll0001',
		path: 'queue-list-all',
		group: 'Medium',
		operationId: 'listExtensions',
		check(answer) {
			const items = answer as Array<{ id?: number }>;
			if (!Array.isArray(items))
				return `answer is not a list: ${JSON.stringify(answer).slice(0, 200)}`;
			const ids = new Set(items.map((item) => item.id));
			if (items.length !== EXTENSIONS || ids.size !== EXTENSIONS) {
				return `${items.length} items (${ids.size} distinct ids), expected ${EXTENSIONS}`;
			}
			return undefined;
		},
	},
	{
		name: 'Bulk Update of 1,000 records, waiting for completion (Heavy 2 per 6 s)',
		workflowId: 'queueBulkUpd0001',
		path: 'queue-bulk-update',
		group: 'Heavy',
		operationId: 'extensionBulkUpdate',
		check(answer) {
			const tasks = answer as Array<{
				status?: string;
				result?: { affectedItems?: { result?: Array<{ status?: string; extensionId?: string }> } };
			}>;
			if (!Array.isArray(tasks))
				return `answer is not a list: ${JSON.stringify(answer).slice(0, 200)}`;
			const results = tasks.flatMap((task) => task.result?.affectedItems?.result ?? []);
			const succeeded = new Set(
				results.filter((entry) => entry.status === 'Success').map((entry) => entry.extensionId),
			);
			if (tasks.some((task) => task.status !== 'Completed') || succeeded.size !== BULK_RECORDS) {
				return `tasks ${tasks.map((task) => task.status).join(', ')}; ${succeeded.size} of ${BULK_RECORDS} records updated`;
			}
			return undefined;
		},
	},
];

interface Figures {
	mode: 'queue' | 'single';
	load: string;
	succeeded: number;
	failures: string[];
	requests: number;
	refused: number;
	startupRefused: number;
	penaltyS: number;
	wallS: number;
	minimumS: number;
	tokenRequests: number;
}

async function freePort(): Promise<number> {
	return await new Promise((resolve, reject) => {
		const server = createServer();
		server.once('error', reject);
		server.listen(0, '127.0.0.1', () => {
			const address = server.address();
			server.close(() => resolve(typeof address === 'object' && address ? address.port : 0));
		});
	});
}

function required(name: string): string {
	const value = process.env[name];
	if (!value || !existsSync(value))
		throw new E2EFailure(`${name} is not set or missing (${value})`);
	return value;
}

function webhookWorkflow(load: Load, fakeUrl: string): unknown {
	void fakeUrl;
	const ringCentral =
		load.group === 'Medium'
			? { resource: 'extension', operation: 'getAll', returnAll: true }
			: {
					resource: 'extension',
					operation: 'bulkUpdate',
					source: 'json',
					records: `={{ Array.from({ length: ${BULK_RECORDS} }, (_, index) => ({ id: String(100001 + index), contact: { department: 'Queue ' + $execution.id } })) }}`,
					waitForCompletion: true,
					pollInterval: 1,
				};
	return {
		id: load.workflowId,
		name: `queue: ${load.name}`,
		active: false,
		settings: { executionOrder: 'v1' },
		connections: { Webhook: { main: [[{ node: 'RingCentral', type: 'main', index: 0 }]] } },
		nodes: [
			{
				id: randomUUID(),
				name: 'Webhook',
				type: 'n8n-nodes-base.webhook',
				typeVersion: 2,
				position: [0, 0],
				webhookId: randomUUID(),
				parameters: {
					httpMethod: 'POST',
					path: load.path,
					responseMode: 'lastNode',
					responseData: 'allEntries',
					options: {},
				},
			},
			{
				id: randomUUID(),
				name: 'RingCentral',
				type: NODE_TYPE,
				typeVersion: 1,
				position: [300, 0],
				parameters: { authentication: 'jwt', ...ringCentral },
				credentials: { ringCentralJwtApi: CREDENTIAL },
			},
		],
	};
}

/** A webhook that answers at once: once it does, n8n has activated the published workflows. */
const PROBE = { id: 'queueProbe000001', path: 'queue-probe' };

function probeWorkflow(): unknown {
	return {
		id: PROBE.id,
		name: 'queue: activation probe',
		active: false,
		settings: { executionOrder: 'v1' },
		connections: {},
		nodes: [
			{
				id: randomUUID(),
				name: 'Webhook',
				type: 'n8n-nodes-base.webhook',
				typeVersion: 2,
				position: [0, 0],
				webhookId: randomUUID(),
				parameters: {
					httpMethod: 'POST',
					path: PROBE.path,
					responseMode: 'onReceived',
					options: {},
				},
			},
		],
	};
}

class Stack {
	private readonly stops: Array<() => Promise<void>> = [];
	push(stop: () => Promise<void>): void {
		this.stops.push(stop);
	}
	async stopAll(): Promise<void> {
		while (this.stops.length) {
			const stop = this.stops.pop() as () => Promise<void>;
			await stop().catch((error: unknown) => log(`stopping: ${(error as Error).message}`));
		}
	}
}

async function sh(
	command: string,
	args: string[],
	what: string,
	timeoutMs = 600_000,
): Promise<string> {
	const result = await run(command, args, {
		timeoutMs,
		echoPrefix: VERBOSE ? '    [sh] ' : undefined,
	});
	if (result.code !== 0)
		throw new E2EFailure(`${what} failed (exit ${result.code})`, tail(result.all, 40));
	return result.stdout;
}

async function startRedis(stack: Stack): Promise<number> {
	const port = await freePort();
	const { background } = await startBackground(
		'redis-server',
		['--port', String(port), '--bind', '127.0.0.1', '--save', '', '--appendonly', 'no'],
		(line) => (/Ready to accept connections/.test(line) ? true : undefined),
		{ timeoutMs: 30_000, echoPrefix: VERBOSE ? '    [redis] ' : undefined },
	);
	stack.push(() => background.stop());
	log(`redis on 127.0.0.1:${port}`);
	return port;
}

async function startPostgres(stack: Stack, scratch: string): Promise<number> {
	const bin = required('QUEUE_PG_BIN');
	const dataDir = join(scratch, 'pg');
	mkdirSync(dataDir);
	await sh('chown', ['postgres:postgres', dataDir], 'giving the Postgres folder to user postgres');
	await sh(
		'runuser',
		[
			'-u',
			'postgres',
			'--',
			join(bin, 'initdb'),
			'-D',
			dataDir,
			'-U',
			'postgres',
			'--auth=trust',
			'-E',
			'UTF8',
		],
		'initdb',
	);
	const port = await freePort();
	const { background } = await startBackground(
		'runuser',
		[
			'-u',
			'postgres',
			'--',
			join(bin, 'postgres'),
			'-D',
			dataDir,
			'-p',
			String(port),
			'-k',
			dataDir,
			'-c',
			'listen_addresses=127.0.0.1',
		],
		(line) => (/ready to accept connections/.test(line) ? true : undefined),
		{ timeoutMs: 60_000, echoPrefix: VERBOSE ? '    [pg] ' : undefined },
	);
	stack.push(async () => {
		await run(
			'runuser',
			['-u', 'postgres', '--', join(bin, 'pg_ctl'), '-D', dataDir, 'stop', '-m', 'fast'],
			{
				timeoutMs: 30_000,
			},
		).catch(() => undefined);
		await background.stop();
	});
	await sh(
		join(bin, 'createdb'),
		['-h', '127.0.0.1', '-p', String(port), '-U', 'postgres', 'n8n'],
		'createdb',
	);
	log(`postgres on 127.0.0.1:${port}`);
	return port;
}

async function installPackage(userFolder: string, tarball: string): Promise<void> {
	const nodes = join(userFolder, '.n8n', 'nodes');
	mkdirSync(nodes, { recursive: true });
	writeFileSync(
		join(nodes, 'package.json'),
		JSON.stringify({ name: 'installed-nodes', private: true }),
	);
	await sh(
		'npm',
		[
			'install',
			tarball,
			'--prefix',
			nodes,
			'--ignore-scripts',
			'--omit=peer',
			'--omit=dev',
			'--no-audit',
			'--no-fund',
			'--no-package-lock',
			'--prefer-offline',
		],
		`installing the package into ${nodes}`,
	);
	if (!existsSync(join(nodes, 'node_modules', PACKAGE_NAME, 'package.json'))) {
		throw new E2EFailure(`the package did not land in ${nodes}`);
	}
}

async function startN8n(
	n8n: N8n,
	args: string[],
	ready: RegExp,
	label: string,
	stack: Stack,
): Promise<Background> {
	const { background } = await startBackground(
		n8n.paths.node,
		[n8n.paths.bin, ...args],
		(line) => (ready.test(line) ? true : undefined),
		{
			env: n8n.env,
			cwd: n8n.paths.userFolder,
			timeoutMs: 240_000,
			echoPrefix: VERBOSE ? `    [${label}] ` : undefined,
		},
	);
	stack.push(() => background.stop());
	log(`${label} ready`);
	return background;
}

async function waitForWebhook(port: number): Promise<void> {
	const until = Date.now() + 180_000;
	while (Date.now() < until) {
		const response = await fetch(`http://127.0.0.1:${port}/webhook/${PROBE.path}`, {
			method: 'POST',
		}).catch(() => undefined);
		if (response?.ok) return;
		await new Promise((resolve) => setTimeout(resolve, 1000));
	}
	throw new E2EFailure('the published workflows were not activated within 3 minutes');
}

/** The earliest the last request could go out under a sliding window of `limit` per window. */
function minimumSeconds(requests: number, limit: number): number {
	return Math.max(0, Math.ceil(requests / limit) - 1) * WINDOW_S;
}

async function fire(
	mode: Figures['mode'],
	load: Load,
	port: number,
	fake: FakeRingCentral,
): Promise<Figures> {
	await fake.reset();
	// Make sure no window of a previous run is still running in the fake's counters: reset cleared them.
	const started = Date.now();
	const answers = await Promise.all(
		Array.from({ length: EXECUTIONS }, async (_, index) => {
			try {
				const response = await fetch(`http://127.0.0.1:${port}/webhook/${load.path}`, {
					method: 'POST',
					headers: { 'content-type': 'application/json' },
					body: JSON.stringify({ run: index }),
					signal: AbortSignal.timeout(600_000),
				});
				const text = await response.text();
				if (!response.ok) return `HTTP ${response.status}: ${text.slice(0, 300)}`;
				return load.check(JSON.parse(text));
			} catch (error) {
				return `no answer: ${(error as Error).message}`;
			}
		}),
	);
	const wallS = (Date.now() - started) / 1000;
	const requests = (await fake.requests()) as Array<LoggedRequest & { at?: number }>;
	const stats = (await (await fetch(`${fake.url}/__admin/rate-limits`)).json()) as Record<
		string,
		{ refused: number; penaltyMs: number }
	>;
	const ofGroup = requests.filter((request) => request.operationId === load.operationId);
	const counted = ofGroup.filter((request) => request.status !== 429);
	const firstAt = Math.min(...ofGroup.map((request) => request.at ?? Infinity));
	const startupRefused = ofGroup.filter(
		(request) => request.status === 429 && (request.at ?? 0) < firstAt + WINDOW_S * 1000,
	).length;
	const failures = answers.filter((answer): answer is string => answer !== undefined);
	return {
		mode,
		load: load.name,
		succeeded: EXECUTIONS - failures.length,
		failures,
		requests: counted.length,
		refused: requests.filter((request) => request.status === 429).length,
		startupRefused,
		penaltyS: Object.values(stats).reduce((sum, entry) => sum + entry.penaltyMs, 0) / 1000,
		wallS,
		minimumS: minimumSeconds(counted.length, LIMITS[load.group]),
		tokenRequests: requests.filter((request) => request.operationId === 'oauthToken').length,
	};
}

function verdict(figures: Figures): string[] {
	const problems: string[] = [];
	if (figures.succeeded !== EXECUTIONS) {
		problems.push(
			`${figures.succeeded}/${EXECUTIONS} executions succeeded: ${figures.failures.slice(0, 3).join(' | ')}`,
		);
	}
	if (figures.mode === 'queue') {
		if (figures.refused > 4)
			problems.push(`${figures.refused} 429s (at most 4 allowed in queue mode)`);
		if (figures.wallS > 1.5 * figures.minimumS) {
			problems.push(`wall ${figures.wallS.toFixed(1)} s > 1.5 x minimum ${figures.minimumS} s`);
		}
	} else {
		if (figures.refused > 1)
			problems.push(`${figures.refused} 429s (at most 1 allowed in one process)`);
		if (figures.startupRefused > 0)
			problems.push(`${figures.startupRefused} 429s in the first window (a start-up burst)`);
	}
	return problems;
}

function report(all: Figures[]): void {
	const lines = [
		'| mode | load | succeeded | requests | 429s | under penalty | wall | minimum | wall / min | token requests |',
		'|---|---|---|---|---|---|---|---|---|---|',
		...all.map(
			(f) =>
				`| ${f.mode === 'queue' ? 'queue (main + 2 workers × 5)' : 'one process'} | ${f.load} | ${f.succeeded}/${EXECUTIONS} | ${f.requests} | ${f.refused} | ${f.penaltyS.toFixed(1)} s | ${f.wallS.toFixed(1)} s | ${f.minimumS} s | ${(f.wallS / f.minimumS).toFixed(2)} | ${f.tokenRequests} |`,
		),
	];
	process.stdout.write(`\n${lines.join('\n')}\n\n`);
	if (process.env.QUEUE_RESULTS)
		writeFileSync(process.env.QUEUE_RESULTS, JSON.stringify(all, null, 2));
}

async function main(): Promise<number> {
	const repo = findRepo();
	const node = required('NODE24_BIN');
	const bin = required('N8N_BIN');
	const scratch = mkdtempSync(join(tmpdir(), 'rc-queue-'));
	chmodSync(scratch, 0o755);
	const stack = new Stack();
	const stopAll = async () => {
		await stack.stopAll();
		killAllChildren();
	};
	const onSignal = () => {
		void stopAll().then(() => process.exit(130));
	};
	process.once('SIGINT', onSignal);
	process.once('SIGTERM', onSignal);
	const all: Figures[] = [];
	try {
		const packed = await sh(
			'npm',
			['pack', '--json', '--ignore-scripts', '--pack-destination', scratch],
			'npm pack',
		);
		const tarball = join(
			scratch,
			(JSON.parse(packed.slice(packed.indexOf('['))) as Array<{ filename: string }>)[0].filename,
		);

		const fake = await FakeRingCentral.start({
			cliPath: join(repo, '.e2e/build/test/fake-server/cli.js'),
			args: [
				`--seed-extensions=${EXTENSIONS}`,
				'--task-complete-after-ms=500',
				`--rate-limits=${Object.entries(LIMITS)
					.map(([group, limit]) => `${group}:${limit}`)
					.join(',')}`,
				`--rate-limit-window-seconds=${WINDOW_S}`,
				`--rate-limit-penalty-seconds=${WINDOW_S}`,
			],
			echo: VERBOSE,
		});
		stack.push(() => fake.stop());

		const redisPort = await startRedis(stack);
		const pgPort = await startPostgres(stack, scratch);
		const shared = {
			DB_TYPE: 'postgresdb',
			DB_POSTGRESDB_HOST: '127.0.0.1',
			DB_POSTGRESDB_PORT: String(pgPort),
			DB_POSTGRESDB_DATABASE: 'n8n',
			DB_POSTGRESDB_USER: 'postgres',
			DB_POSTGRESDB_PASSWORD: '',
			QUEUE_BULL_REDIS_HOST: '127.0.0.1',
			QUEUE_BULL_REDIS_PORT: String(redisPort),
			N8N_LOG_LEVEL: 'info',
			N8N_PAYLOAD_SIZE_MAX: '64',
		};
		const processes = await Promise.all(
			['main', 'worker1', 'worker2'].map(async (label) => {
				const userFolder = join(scratch, label);
				mkdirSync(userFolder);
				await installPackage(userFolder, tarball);
				return {
					label,
					userFolder,
					port: await freePort(),
					broker: await freePort(),
					health: await freePort(),
				};
			}),
		);
		const queueN8n = processes.map(
			(p) =>
				new N8n(
					{ node, bin, userFolder: p.userFolder },
					{
						...shared,
						EXECUTIONS_MODE: 'queue',
						N8N_PORT: String(p.port),
						N8N_RUNNERS_BROKER_PORT: String(p.broker),
						QUEUE_HEALTH_CHECK_PORT: String(p.health),
					},
				),
		);
		const [main] = queueN8n;
		const credentials = [
			{
				id: CREDENTIAL.id,
				name: CREDENTIAL.name,
				type: 'ringCentralJwtApi',
				data: {
					environment: 'custom',
					serverUrl: fake.url,
					clientId: FAKE.clientId,
					clientSecret: FAKE.clientSecret,
					jwt: FAKE.jwt,
					accessToken: '',
				},
			},
		];
		await main.importCredentials(credentials, scratch);
		await main.importWorkflows(
			[...LOADS.map((load) => webhookWorkflow(load, fake.url)), probeWorkflow()],
			scratch,
		);
		for (const id of [...LOADS.map((load) => load.workflowId), PROBE.id]) {
			await main.must([`publish:workflow`, `--id=${id}`], `publishing ${id}`);
		}

		// Queue mode: main + 2 workers.
		const queueStack = new Stack();
		await startN8n(main, ['start'], /Editor is now accessible via/, 'main', queueStack);
		await Promise.all(
			queueN8n
				.slice(1)
				.map((worker, index) =>
					startN8n(
						worker,
						['worker', '--concurrency=5'],
						/n8n worker is now ready/,
						`worker${index + 1}`,
						queueStack,
					),
				),
		);
		await waitForWebhook(processes[0].port);
		for (const load of LOADS) {
			log(`queue mode: ${load.name}: ${EXECUTIONS} webhooks at once`);
			const figures = await fire('queue', load, processes[0].port, fake);
			log(`  ${JSON.stringify({ ...figures, failures: figures.failures.slice(0, 2) })}`);
			all.push(figures);
		}
		await queueStack.stopAll();

		// One process: the same database and workflows, regular mode.
		const single = new N8n(
			{ node, bin, userFolder: processes[0].userFolder },
			{
				...shared,
				EXECUTIONS_MODE: 'regular',
				N8N_PORT: String(processes[0].port),
				N8N_RUNNERS_BROKER_PORT: String(processes[0].broker),
			},
		);
		const singleStack = new Stack();
		await startN8n(single, ['start'], /Editor is now accessible via/, 'single', singleStack);
		await waitForWebhook(processes[0].port);
		for (const load of LOADS) {
			log(`one process: ${load.name}: ${EXECUTIONS} webhooks at once`);
			const figures = await fire('single', load, processes[0].port, fake);
			log(`  ${JSON.stringify({ ...figures, failures: figures.failures.slice(0, 2) })}`);
			all.push(figures);
		}
		await singleStack.stopAll();
	} finally {
		await stopAll();
		if (!KEEP) rmSync(scratch, { recursive: true, force: true });
		else log(`kept ${scratch}`);
	}
	report(all);
	const problems = all.flatMap((figures) =>
		verdict(figures).map((problem) => `${figures.mode}: ${figures.load}: ${problem}`),
	);
	for (const problem of problems) log(`FAIL ${problem}`);
	if (problems.length === 0) log(`PASS: ${all.length} runs within the thresholds`);
	return problems.length === 0 && all.length === 2 * LOADS.length ? 0 : 1;
}

main().then(
	(code) => process.exit(code),
	(error: unknown) => {
		const failure = error as E2EFailure;
		log(`FAIL ${failure.message}`);
		if (failure.details) process.stderr.write(`${failure.details}\n`);
		killAllChildren();
		process.exit(1);
	},
);
