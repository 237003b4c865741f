/**
 * Side by side in a real n8n (scripts/bench/side-by-side.sh): this node beside n8n's HTTP Request
 * node, unpaced with Retry On Fail and paced by hand, on the same list and bulk-update jobs,
 * against the fake RingCentral under RingCentral's model scaled down (sliding 4 s window, a 4 s
 * penalty that any request during it renews). Reads NODE24_BIN and N8N_BIN like the e2e runner.
 * Prints a Markdown table; each workflow runs SIDE_RUNS times (default 1).
 */
import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

import { FAKE, FakeRingCentral, type LoggedRequest } from '../../test/e2e/lib/fake';
import { N8n, NODE_TYPE } from '../../test/e2e/lib/n8n';
import { freePort } from '../../test/e2e/lib/n8nServer';
import { installPackage, pack } from '../../test/e2e/lib/package';
import { killAllChildren, log } from '../../test/e2e/lib/process';
import { findRepo } from '../../test/e2e/lib/repo';

const WINDOW_S = 4;
const LIMITS = { Medium: 3, Heavy: 2 };
const EXTENSIONS = 8000;
const RECORDS = 3000;
const CREDENTIAL = { id: 'rcSideAccessTkn1', name: 'RingCentral fake (access token)' };

interface Job {
	id: string;
	job: 'list' | 'bulk';
	how: string;
	nodes: unknown[];
	connections: Record<string, unknown>;
}

function workflow(job: Job): unknown {
	return {
		id: job.id,
		name: `Side by side: ${job.job}, ${job.how}`,
		active: false,
		nodes: job.nodes,
		connections: job.connections,
		settings: { executionOrder: 'v1' },
		pinData: {},
	};
}

/** One node of a workflow: the `n`th (its id), at `x` on the canvas. */
function node(
	n: number,
	name: string,
	type: string,
	x: number,
	fields: Record<string, unknown>,
): Record<string, unknown> {
	return {
		id: `a0000000-0000-4000-8000-00000000000${n}`,
		name,
		type,
		position: [x, 0],
		...fields,
	};
}

const trigger = node(1, 'Manual Trigger', 'n8n-nodes-base.manualTrigger', 0, {
	typeVersion: 1,
	parameters: {},
});

function chain(...names: string[]): Record<string, unknown> {
	return Object.fromEntries(
		names
			.slice(0, -1)
			.map((name, index) => [
				name,
				{ main: [[{ node: names[index + 1], type: 'main', index: 0 }]] },
			]),
	);
}

function ringCentralNode(parameters: Record<string, unknown>): unknown {
	return node(2, 'RingCentral Extensions', NODE_TYPE, 220, {
		typeVersion: 1,
		parameters: { authentication: 'accessToken', ...parameters },
		credentials: { ringCentralAccessTokenApi: CREDENTIAL },
	});
}

function httpNode(
	fakeUrl: string,
	parameters: Record<string, unknown>,
	settings: Record<string, unknown> = {},
): unknown {
	return node(3, 'HTTP Request', 'n8n-nodes-base.httpRequest', 440, {
		typeVersion: 4.2,
		parameters: {
			sendHeaders: true,
			headerParameters: {
				parameters: [{ name: 'Authorization', value: `Bearer ${FAKE.accessToken}` }],
			},
			...parameters,
			url: `${fakeUrl}${parameters.url as string}`,
		},
		...settings,
	});
}

function codeNode(js: string): unknown {
	return node(4, 'Records', 'n8n-nodes-base.code', 220, {
		typeVersion: 2,
		parameters: { jsCode: js },
	});
}

const RETRY_ON_FAIL = { retryOnFail: true, maxTries: 5, waitBetweenTries: 5000 };

function listPagination(intervalMs: number): unknown {
	return {
		pagination: {
			pagination: {
				paginationMode: 'updateAParameterInEachRequest',
				parameters: { parameters: [{ type: 'qs', name: 'page', value: '={{ $pageCount + 1 }}' }] },
				paginationCompleteWhen: 'other',
				completeExpression: '={{ !$response.body.navigation.nextPage }}',
				requestInterval: intervalMs,
			},
		},
	};
}

function jobs(fakeUrl: string): Job[] {
	const list = {
		method: 'GET',
		url: '/restapi/v1.0/account/~/extension',
		sendQuery: true,
		queryParameters: { parameters: [{ name: 'perPage', value: '1000' }] },
	};
	const post = {
		method: 'POST',
		url: '/restapi/v1.0/account/~/extension-bulk-update',
		sendBody: true,
		specifyBody: 'json',
		jsonBody: '={{ JSON.stringify($json) }}',
	};
	const records = (perItem: boolean) =>
		codeNode(
			`const records = Array.from({ length: ${RECORDS} }, (_, i) => ({ id: String(100001 + i), status: 'Disabled' }));\n` +
				(perItem
					? 'return records.map((json) => ({ json }));'
					: 'const out = [];\nfor (let i = 0; i < records.length; i += 500) out.push({ json: { records: records.slice(i, i + 500) } });\nreturn out;'),
		);
	const spacingMs = (group: keyof typeof LIMITS) =>
		Math.ceil((WINDOW_S * 1000) / LIMITS[group]) + 50;
	return [
		{
			id: 'sideListOurs0001',
			job: 'list',
			how: 'this node',
			nodes: [
				trigger,
				ringCentralNode({ resource: 'extension', operation: 'getAll', returnAll: true }),
			],
			connections: chain('Manual Trigger', 'RingCentral Extensions'),
		},
		{
			id: 'sideListHttpRaw1',
			job: 'list',
			how: 'HTTP Request, unpaced, Retry On Fail (5 tries, 5 s apart)',
			nodes: [trigger, httpNode(fakeUrl, { ...list, options: listPagination(0) }, RETRY_ON_FAIL)],
			connections: chain('Manual Trigger', 'HTTP Request'),
		},
		{
			id: 'sideListHttpPace',
			job: 'list',
			how: `HTTP Request, paced by hand (${spacingMs('Medium')} ms between pages)`,
			nodes: [
				trigger,
				httpNode(fakeUrl, { ...list, options: listPagination(spacingMs('Medium')) }),
			],
			connections: chain('Manual Trigger', 'HTTP Request'),
		},
		{
			id: 'sideBulkOurs0001',
			job: 'bulk',
			how: 'this node',
			nodes: [
				trigger,
				records(true),
				{
					...(ringCentralNode({
						resource: 'extension',
						operation: 'bulkUpdate',
						waitForCompletion: false,
					}) as object),
					position: [440, 0],
				},
			],
			connections: chain('Manual Trigger', 'Records', 'RingCentral Extensions'),
		},
		{
			id: 'sideBulkHttpRaw1',
			job: 'bulk',
			how: 'HTTP Request, unpaced, Retry On Fail (5 tries, 5 s apart)',
			nodes: [trigger, records(false), httpNode(fakeUrl, post, RETRY_ON_FAIL)],
			connections: chain('Manual Trigger', 'Records', 'HTTP Request'),
		},
		{
			id: 'sideBulkHttpPace',
			job: 'bulk',
			how: `HTTP Request, paced by hand (batches of 1, ${spacingMs('Heavy')} ms apart)`,
			nodes: [
				trigger,
				records(false),
				httpNode(fakeUrl, {
					...post,
					options: { batching: { batch: { batchSize: 1, batchInterval: spacingMs('Heavy') } } },
				}),
			],
			connections: chain('Manual Trigger', 'Records', 'HTTP Request'),
		},
	];
}

interface Row {
	job: string;
	how: string;
	ok: boolean;
	admitted: number;
	refused: number;
	/** Requests the job needs: pages, or POSTs of 500 records. */
	expected: number;
	wallMs: number;
	minimumMs: number;
	executeMs: number;
}

/** From the first API request to the last one the fake admitted; the minimum the window allows. */
function measure(job: Job, requests: LoggedRequest[]): Omit<Row, 'ok' | 'executeMs'> {
	const api = requests.filter(({ path }) => path.startsWith('/restapi/v1.0/'));
	const admitted = api.filter(({ status }) => status < 400);
	const group: keyof typeof LIMITS = job.job === 'list' ? 'Medium' : 'Heavy';
	const expected = job.job === 'list' ? Math.ceil(EXTENSIONS / 1000) : Math.ceil(RECORDS / 500);
	const times = api.map(({ at }) => at ?? 0);
	const lastAdmitted = Math.max(...admitted.map(({ at }) => at ?? 0));
	return {
		job:
			job.job === 'list'
				? `list ${EXTENSIONS} (Medium ${LIMITS.Medium} per ${WINDOW_S} s)`
				: `bulk-update ${RECORDS}, no wait (Heavy ${LIMITS.Heavy} per ${WINDOW_S} s)`,
		how: job.how,
		admitted: admitted.length,
		refused: api.filter(({ status }) => status === 429).length,
		wallMs: admitted.length ? lastAdmitted - Math.min(...times) : 0,
		// The job's own request count: a sender that stopped early or sent twice is not credited.
		minimumMs: Math.floor((expected - 1) / LIMITS[group]) * WINDOW_S * 1000,
		expected,
	};
}

async function main(): Promise<void> {
	const repo = findRepo();
	const node = process.env.NODE24_BIN ?? '';
	const bin = process.env.N8N_BIN ?? '';
	if (!existsSync(node) || !existsSync(bin)) throw new Error('run scripts/bench/side-by-side.sh');
	const runs = Number(process.env.SIDE_RUNS ?? 1);
	const scratch = mkdtempSync(join(tmpdir(), 'rc-side-by-side-'));
	let fake: FakeRingCentral | undefined;
	try {
		const tarball = await pack(repo, scratch);
		const n8n = new N8n(
			{ node, bin, userFolder: join(scratch, 'user') },
			{ N8N_RUNNERS_BROKER_PORT: String(await freePort()) },
		);
		await installPackage(n8n, tarball);
		fake = await FakeRingCentral.start({
			cliPath: join(repo, '.e2e', 'side-build', 'test', 'fake-server', 'cli.js'),
			args: [
				`--seed-extensions=${EXTENSIONS}`,
				`--rate-limits=Medium:${LIMITS.Medium},Heavy:${LIMITS.Heavy}`,
				`--rate-limit-window-seconds=${WINDOW_S}`,
				`--rate-limit-penalty-seconds=${WINDOW_S}`,
			],
		});
		const activeFake = fake;
		await n8n.importCredentials(
			[
				{
					...CREDENTIAL,
					type: 'ringCentralAccessTokenApi',
					data: { environment: 'custom', serverUrl: activeFake.url, accessToken: FAKE.accessToken },
				},
			],
			scratch,
		);
		const all = jobs(activeFake.url);
		await n8n.importWorkflows(all.map(workflow), scratch);
		const rows: Row[] = [];
		for (let run = 0; run < runs; run++) {
			for (const job of all) {
				await activeFake.reset({ state: true });
				// A fresh window: nothing of the previous run still counts.
				await new Promise((resolve) => setTimeout(resolve, (WINDOW_S + 1) * 1000));
				const execution = await n8n.execute(job.id, 600_000);
				const row = {
					...measure(job, await activeFake.requests()),
					ok: execution.ok,
					executeMs: execution.ms,
				};
				log(`${job.id}: ${JSON.stringify(row)}`);
				rows.push(row);
			}
		}
		const lines = [
			'| Job | Sender | Execution | Requests admitted (job needs) | 429s | First request → last admitted | Minimum | Ratio |',
			'|---|---|---|---|---|---|---|---|',
			...rows.map(
				(row) =>
					`| ${row.job} | ${row.how} | ${row.ok ? 'succeeded' : 'failed'} | ${row.admitted} (${row.expected}) | ${row.refused} | ${(row.wallMs / 1000).toFixed(1)} s | ${(row.minimumMs / 1000).toFixed(1)} s | ${(row.wallMs / row.minimumMs).toFixed(2)} |`,
			),
		];
		process.stdout.write(`${lines.join('\n')}\n`);
	} finally {
		await fake?.stop().catch(() => undefined);
		killAllChildren();
		rmSync(scratch, { recursive: true, force: true });
	}
}

main().catch((error: unknown) => {
	process.stderr.write(`${(error as Error).stack ?? String(error)}\n`);
	process.exit(1);
});
