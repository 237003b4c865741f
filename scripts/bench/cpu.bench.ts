import { spawn, type ChildProcess } from 'node:child_process';
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { createInterface } from 'node:readline';

import type { IDataObject, INodeParameters } from 'n8n-workflow';

import { log, measureRun, median } from './measure';

export interface CpuRow {
	operation: string;
	items: number;
	requests: number;
	cpuMsPer10k: number;
	wallMs: number;
	error?: string;
}

interface ExternalFake {
	url: string;
	process: ChildProcess;
}

/**
 * The fake server runs in its own process here, so that `process.cpuUsage()` counts only
 * the node, n8n's engine and the HTTP client, not the server answering them.
 */
async function startExternalFake(flags: string[]): Promise<ExternalFake> {
	const cli = join(__dirname, '..', '..', 'test', 'fake-server', 'cli.js');
	if (!existsSync(cli))
		throw new Error(`${cli} is missing: compile with scripts/bench/tsconfig.json first`);
	// eslint-disable-next-line @n8n/community-nodes/no-dangerous-functions -- dev script: this Node running the fake server
	const child = spawn(process.execPath, [cli, ...flags], { stdio: ['ignore', 'pipe', 'inherit'] });
	const firstLine = await new Promise<string>((resolve, reject) => {
		const lines = createInterface({ input: child.stdout! });
		lines.once('line', resolve);
		child.once('exit', (code) => reject(new Error(`The fake server exited (${code})`)));
	});
	return { url: (JSON.parse(firstLine) as { url: string }).url, process: child };
}

async function requestCount(url: string): Promise<number> {
	const response = await fetch(`${url}/__admin/requests`);
	return ((await response.json()) as unknown[]).length;
}

async function reset(url: string): Promise<void> {
	await fetch(`${url}/__admin/reset`, { method: 'POST', body: JSON.stringify({ state: true }) });
}

interface CpuCase {
	operation: string;
	parameters: INodeParameters;
	items: IDataObject[];
	/** Items the output or input counts, for the per-10,000 figure. */
	itemCount: number;
}

const ITEMS = 10_000;
const CREATES = 1_000;

const cases: CpuCase[] = [
	{
		operation: 'extension · getAll (Return All), per output item',
		parameters: { resource: 'extension', operation: 'getAll', returnAll: true },
		items: [{}],
		itemCount: ITEMS,
	},
	{
		operation: 'extension · bulkUpdate, waiting (poll 1 s), per input item',
		parameters: { resource: 'extension', operation: 'bulkUpdate', pollInterval: 1 },
		items: Array.from({ length: ITEMS }, (_, index) => ({
			id: 100001 + index,
			status: 'Disabled',
			name: `User ${index}`,
		})),
		itemCount: ITEMS,
	},
	{
		operation: `extension · create, per input item (${CREATES.toLocaleString('en-US')} items, scaled)`,
		parameters: {
			resource: 'extension',
			operation: 'create',
			firstName: '={{ $json.first }}',
			email: '={{ $json.email }}',
		},
		items: Array.from({ length: CREATES }, (_, index) => ({
			first: `New${index}`,
			email: `new${index}@example.com`,
		})),
		itemCount: CREATES,
	},
];

/** CPU time of this process per 10,000 items, the median of three runs of each operation. */
export async function runCpuBenchmarks(): Promise<CpuRow[]> {
	const fake = await startExternalFake([
		`--seed-extensions=${ITEMS}`,
		'--task-complete-after-polls=1',
		// Announced in headers, as RingCentral does, and never reached: the node's CPU is measured, not its pacing.
		'--rate-limits=Light:10000,Medium:10000,Heavy:10000,Auth:10000',
		'--rate-limit-window-seconds=1',
		'--rate-limit-penalty-seconds=1',
	]);
	try {
		const rows: CpuRow[] = [];
		for (const cpuCase of cases) {
			log(`cpu: ${cpuCase.operation}`);
			const runs = [];
			for (let attempt = 0; attempt < 3; attempt++) {
				await reset(fake.url);
				runs.push(await measureRun(fake.url, cpuCase.parameters, cpuCase.items));
			}
			const cpuMs = median(runs.map((run) => run.cpuMs));
			rows.push({
				operation: cpuCase.operation,
				items: cpuCase.itemCount,
				requests: await requestCount(fake.url),
				cpuMsPer10k: (cpuMs * 10_000) / cpuCase.itemCount,
				wallMs: median(runs.map((run) => run.wallMs)),
				error: runs.find((run) => run.error)?.error,
			});
			log(`  ${cpuMs.toFixed(0)} ms CPU`);
		}
		return rows;
	} finally {
		fake.process.kill('SIGTERM');
	}
}
