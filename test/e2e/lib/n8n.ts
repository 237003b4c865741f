import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';

import { E2EFailure, log, run, tail, type RunResult } from './process';

export const PACKAGE_NAME = 'n8n-nodes-ringcentral-extensions';
export const NODE_TYPE = `${PACKAGE_NAME}.ringCentralExtensions`;
export const TRIGGER_NODE_TYPE = `${PACKAGE_NAME}.ringCentralExtensionsTrigger`;

export interface N8nPaths {
	/** Node 24 binary (n8n 2.x needs Node >= 24). */
	node: string;
	/** n8n's bin/n8n script. */
	bin: string;
	/** N8N_USER_FOLDER: n8n keeps its data in <this>/.n8n. */
	userFolder: string;
}

/**
 * Environment for a headless, quiet, offline n8n 2.41 with its own user folder.
 * Every value here was checked against n8n 2.41's @n8n/config (see test/e2e/README.md).
 */
export function n8nEnvironment(
	paths: N8nPaths,
	extra: Record<string, string> = {},
): NodeJS.ProcessEnv {
	const base: NodeJS.ProcessEnv = {};
	// Keep PATH/HOME/locale from the caller; drop anything n8n-ish that could leak in.
	for (const [key, value] of Object.entries(process.env)) {
		if (/^(N8N_|DB_|EXECUTIONS_|NODES_|QUEUE_|GENERIC_|WEBHOOK_URL|NODE_OPTIONS$|npm_)/.test(key))
			continue;
		base[key] = value;
	}
	const nodeDir = join(paths.node, '..');
	return {
		...base,
		// n8n's task runner (Code node) is started with process.execPath, but put Node 24 first anyway.
		PATH: `${nodeDir}:${process.env.PATH ?? ''}`,
		NODE_ENV: 'production',
		N8N_USER_FOLDER: paths.userFolder,
		N8N_ENCRYPTION_KEY: 'n8n-nodes-ringcentral-extensions-e2e-key',
		DB_TYPE: 'sqlite',
		GENERIC_TIMEZONE: 'UTC',
		TZ: 'UTC',
		// Offline and quiet: no telemetry, version checks, templates, banners, license server calls.
		N8N_DIAGNOSTICS_ENABLED: 'false',
		N8N_VERSION_NOTIFICATIONS_ENABLED: 'false',
		N8N_PERSONALIZATION_ENABLED: 'false',
		N8N_TEMPLATES_ENABLED: 'false',
		N8N_HIRING_BANNER_ENABLED: 'false',
		N8N_DYNAMIC_BANNERS_ENABLED: 'false',
		N8N_AI_ENABLED: 'false',
		// Community packages: load what is in <user folder>/.n8n/nodes/node_modules, never reinstall from npm.
		N8N_COMMUNITY_PACKAGES_ENABLED: 'true',
		N8N_REINSTALL_MISSING_PACKAGES: 'false',
		N8N_UNVERIFIED_PACKAGES_ENABLED: 'true',
		N8N_COMMUNITY_PACKAGES_PREVENT_LOADING: 'false',
		// The default settings-file check warns on every command; we own the folder.
		N8N_ENFORCE_SETTINGS_FILE_PERMISSIONS: 'true',
		// Code node: JS task runner as a child process of n8n ("internal" mode), on a free port
		// so that a playground n8n on 5679 does not collide with the e2e run.
		// (2.41 warns that internal mode is deprecated; external needs the separate launcher binary.)
		N8N_RUNNERS_MODE: 'internal',
		N8N_RUNNERS_TASK_TIMEOUT: '300',
		// Its only job is fetching a server list from api.n8n.io (unreachable offline: stack traces).
		N8N_DISABLED_MODULES: 'mcp-registry',
		// `n8n execute` prints the run data through the logger at level "info".
		N8N_LOG_LEVEL: 'info',
		N8N_LOG_OUTPUT: 'console',
		N8N_LOG_FORMAT: 'text',
		// n8n 2.41's default ("vm", isolated-vm); E2E_EXPRESSION_ENGINE=legacy to compare.
		N8N_EXPRESSION_ENGINE: process.env.E2E_EXPRESSION_ENGINE ?? 'vm',
		// The fake listens on 127.0.0.1; SSRF protection is off by default in 2.41, say so explicitly.
		N8N_SSRF_PROTECTION_ENABLED: 'false',
		N8N_BLOCK_ENV_ACCESS_IN_NODE: 'true',
		N8N_GIT_NODE_DISABLE_BARE_REPOS: 'true',
		...extra,
	};
}

export class N8n {
	readonly env: NodeJS.ProcessEnv;

	constructor(
		readonly paths: N8nPaths,
		extraEnv: Record<string, string> = {},
	) {
		mkdirSync(join(paths.userFolder, '.n8n'), { recursive: true });
		this.env = n8nEnvironment(paths, extraEnv);
	}

	get dataFolder(): string {
		return join(this.paths.userFolder, '.n8n');
	}

	get nodesFolder(): string {
		return join(this.dataFolder, 'nodes');
	}

	/** Runs an n8n CLI command with Node 24. */
	async cli(args: string[], timeoutMs = 180_000): Promise<RunResult> {
		return run(this.paths.node, [this.paths.bin, ...args], {
			env: this.env,
			timeoutMs,
			cwd: this.paths.userFolder,
		});
	}

	/** Runs a command that must succeed. */
	async must(args: string[], what: string, timeoutMs?: number): Promise<RunResult> {
		const result = await this.cli(args, timeoutMs);
		if (result.code !== 0) {
			throw new E2EFailure(
				`n8n ${args[0]} failed (${what}), exit code ${result.code}`,
				tail(result.all, 80),
			);
		}
		return result;
	}

	async importCredentials(credentials: unknown[], scratch: string): Promise<void> {
		const file = join(scratch, 'credentials.json');
		writeFileSync(file, JSON.stringify(credentials, null, 2));
		const result = await this.must(
			['import:credentials', `--input=${file}`],
			'importing credentials',
		);
		log(`imported ${credentials.length} credential(s) in ${result.ms} ms`);
	}

	async importWorkflows(workflows: unknown[], scratch: string): Promise<void> {
		const file = join(scratch, 'workflows.json');
		writeFileSync(file, JSON.stringify(workflows, null, 2));
		const result = await this.must(['import:workflow', `--input=${file}`], 'importing workflows');
		log(`imported ${workflows.length} workflow(s) in ${result.ms} ms`);
	}

	/** `n8n execute --id=<id> --rawOutput`, with the outcome parsed. */
	async execute(workflowId: string, timeoutMs = 240_000): Promise<Execution> {
		const result = await this.cli(['execute', `--id=${workflowId}`, '--rawOutput'], timeoutMs);
		return parseExecution(workflowId, result);
	}
}

export interface NodeItem {
	json: Record<string, unknown>;
	pairedItem?: unknown;
}

/** What `n8n execute` reported. */
export interface Execution {
	workflowId: string;
	ok: boolean;
	/** n8n's exit code; see crashedAtExit. */
	exitCode: number | null;
	/**
	 * n8n 2.41 sometimes dies with SIGSEGV while it exits, after the execution finished, was
	 * saved and was printed: a race in its isolated-vm expression pool teardown (reproduced
	 * with a trivial workflow, with prebuilt and source-built isolated-vm, Node 24.13 and 24.21;
	 * gone with N8N_EXPRESSION_ENGINE=legacy). When the complete result was printed first, the
	 * result counts and exitCode is what n8n would have returned (0 or 1); this flag says so.
	 */
	crashedAtExit: boolean;
	/** IRun from n8n (the JSON it prints); undefined when none could be found in its output. */
	run?: RunData;
	/** Everything n8n printed. */
	output: string;
	ms: number;
	/** Items a node produced on its first output (first run of that node). */
	items(nodeName: string): NodeItem[];
	/** The execution-level error, as n8n serialised it (message, description, httpCode, ...). */
	error(): Record<string, unknown> | undefined;
}

interface RunData {
	status?: string;
	finished?: boolean;
	data: {
		resultData: {
			runData: Record<
				string,
				Array<{ data?: { main?: Array<NodeItem[] | null> }; error?: Record<string, unknown> }>
			>;
			error?: Record<string, unknown>;
			lastNodeExecuted?: string;
		};
	};
}

/**
 * n8n 2.41 `execute` prints the IRun as pretty JSON (JSON.stringify(data, null, 2)) through its
 * logger: on success as the last thing it logs; on failure after "Execution error:" and
 * "====", followed by the error message and stack. Log lines may surround it, so find the
 * outermost `{` ... `}` block that parses and looks like an IRun.
 */
export function parseExecution(workflowId: string, result: RunResult): Execution {
	const output = result.stdout + (result.stderr ? `\n${result.stderr}` : '');
	const lines = result.stdout.split('\n');
	let runData: RunData | undefined;
	for (let end = lines.length - 1; end >= 0 && !runData; end--) {
		if (lines[end].trimEnd() !== '}') continue;
		for (let start = 0; start < end; start++) {
			if (lines[start].trimEnd() !== '{') continue;
			try {
				const candidate = JSON.parse(lines.slice(start, end + 1).join('\n')) as RunData;
				if (candidate?.data?.resultData) {
					runData = candidate;
					break;
				}
			} catch {
				// not this block
			}
		}
	}
	const runError = runData?.data.resultData.error;
	const crashedAtExit =
		(result.signal === 'SIGSEGV' || result.code === 139) &&
		runData !== undefined &&
		runData.finished !== undefined;
	const exitCode = crashedAtExit ? (runError ? 1 : 0) : result.code;
	const ok = exitCode === 0 && runData !== undefined && !runError;
	return {
		workflowId,
		ok,
		exitCode,
		crashedAtExit,
		run: runData,
		output,
		ms: result.ms,
		items(nodeName: string): NodeItem[] {
			const runs = runData?.data.resultData.runData[nodeName];
			if (!runs?.length) return [];
			return runs[0].data?.main?.[0] ?? [];
		},
		error: () => runError,
	};
}

/** Recognises n8n's ways of saying it does not know a node type. */
export function unknownNodeType(output: string): string | undefined {
	const patterns = [
		/Unrecognized node type: [\w.@/-]+/,
		/Unrecognized credential type: [\w.@/-]+/,
		/node type "?[\w.@/-]+"? is not known/i,
		/Unknown node type[^\n]*/,
	];
	for (const pattern of patterns) {
		const match = pattern.exec(output);
		if (match) return match[0];
	}
	return undefined;
}

/** The lines in n8n's log that explain why a community package was not loaded. */
export function packageLoadErrors(output: string, packageName = PACKAGE_NAME): string[] {
	const reasons = output
		.split('\n')
		.map((line) => line.trim().replace(/^Error: /, ''))
		.filter(
			(line) =>
				line.includes(packageName) &&
				!line.includes('Unrecognized node type') &&
				!line.startsWith('at ') &&
				/(fail|error|skipping|could not|cannot|not found|invalid)/i.test(line),
		);
	return [...new Set(reasons)].slice(0, 5);
}
