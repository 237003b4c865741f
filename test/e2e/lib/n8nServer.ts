import { createRequire } from 'node:module';
import { createServer } from 'node:net';

import type { N8n } from './n8n';
import { E2EFailure, log, startBackground, tail, type Background } from './process';

/** The owner n8n creates from the environment (N8N_INSTANCE_OWNER_*), so there is no setup screen. */
export const OWNER = {
	email: 'e2e-owner@example.com',
	password: 'E2e-Owner-1234',
	firstName: 'E2E',
	lastName: 'Owner',
};

export async function freePort(): Promise<number> {
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

/**
 * `n8n start` on a free loopback port, with WEBHOOK_URL pointing at it (so production webhook
 * URLs are reachable from the fake RingCentral), signed in as the owner for the editor's REST API.
 */
export class N8nServer {
	private cookie = '';

	private constructor(
		readonly url: string,
		private readonly background: Background,
		private readonly requireFromN8n: NodeJS.Require,
	) {}

	static async start(
		n8n: N8n,
		options: {
			echo?: boolean;
			/** Added to n8n's environment (queue mode: EXECUTIONS_MODE, DB_*, QUEUE_BULL_*). */
			env?: Record<string, string>;
			/** Echo prefix label (default "n8n start"). */
			label?: string;
		} = {},
	): Promise<N8nServer> {
		const port = await freePort();
		const url = `http://127.0.0.1:${port}`;
		const requireFromN8n = createRequire(n8n.paths.bin);
		const bcrypt = requireFromN8n('bcryptjs') as {
			hashSync(password: string, rounds: number): string;
		};
		const env = {
			...n8n.env,
			N8N_PORT: String(port),
			N8N_LISTEN_ADDRESS: '127.0.0.1',
			N8N_HOST: '127.0.0.1',
			N8N_PROTOCOL: 'http',
			N8N_EDITOR_BASE_URL: url,
			WEBHOOK_URL: `${url}/`,
			N8N_SECURE_COOKIE: 'false',
			N8N_INSTANCE_OWNER_MANAGED_BY_ENV: 'true',
			N8N_INSTANCE_OWNER_EMAIL: OWNER.email,
			N8N_INSTANCE_OWNER_FIRST_NAME: OWNER.firstName,
			N8N_INSTANCE_OWNER_LAST_NAME: OWNER.lastName,
			N8N_INSTANCE_OWNER_PASSWORD_HASH: bcrypt.hashSync(OWNER.password, 10),
			...options.env,
		};
		log(`starting n8n on ${url} (WEBHOOK_URL ${url}/)`);
		const { background } = await startBackground(
			n8n.paths.node,
			[n8n.paths.bin, 'start'],
			(line) => (/Editor is now accessible/i.test(line) ? true : undefined),
			{
				env,
				cwd: n8n.paths.userFolder,
				timeoutMs: 240_000,
				echoPrefix: options.echo ? `    [${options.label ?? 'n8n start'}] ` : undefined,
			},
		);
		const server = new N8nServer(url, background, requireFromN8n);
		await server.waitUntilReady(60_000);
		await server.login();
		return server;
	}

	output(): string {
		return this.background.output();
	}

	async stop(): Promise<void> {
		await this.background.stop();
	}

	/** A call to the editor's REST API (`/rest/...`) as the owner; fails on any non-2xx. */
	async rest<T = unknown>(method: string, path: string, body?: unknown): Promise<T> {
		const response = await fetch(`${this.url}/rest${path}`, {
			method,
			headers: {
				cookie: this.cookie,
				...(body !== undefined && { 'content-type': 'application/json' }),
			},
			body: body === undefined ? undefined : JSON.stringify(body),
		});
		const text = await response.text();
		if (!response.ok) {
			throw new E2EFailure(`n8n REST ${method} /rest${path} answered ${response.status}`, text);
		}
		const parsed = (text ? JSON.parse(text) : {}) as { data?: T };
		return (parsed.data ?? parsed) as T;
	}

	/** The editor's Publish: activates the workflow's current version (runs the trigger's create). */
	async publish(workflowId: string): Promise<void> {
		const workflow = await this.rest<{ versionId: string }>('GET', `/workflows/${workflowId}`);
		await this.rest('POST', `/workflows/${workflowId}/activate`, { versionId: workflow.versionId });
	}

	/** The editor's Unpublish (runs the trigger's delete, unlike `n8n unpublish:workflow`). */
	async unpublish(workflowId: string): Promise<void> {
		await this.rest('POST', `/workflows/${workflowId}/deactivate`, {});
	}

	/** Finished executions of a workflow, newest first, with their run data decoded. */
	async executions(workflowId: string): Promise<ExecutionDetails[]> {
		const details: ExecutionDetails[] = [];
		for (const { id } of await this.executionSummaries(workflowId)) {
			details.push(await this.execution(id));
		}
		return details;
	}

	/** The executions list of a workflow (queued and running ones too), newest first, without run data. */
	async executionSummaries(workflowId: string, limit = 50): Promise<ExecutionSummary[]> {
		const filter = encodeURIComponent(JSON.stringify({ workflowId }));
		const list = await this.rest<{ results: ExecutionSummary[] }>(
			'GET',
			`/executions?filter=${filter}&limit=${limit}`,
		);
		return list.results;
	}

	/** One execution with its run data decoded. */
	async execution(id: string): Promise<ExecutionDetails> {
		const flatted = this.requireFromN8n('flatted') as { parse(text: string): unknown };
		const execution = await this.rest<{ id: string; status: string; data: string }>(
			'GET',
			`/executions/${id}`,
		);
		return {
			id: execution.id,
			status: execution.status,
			run: flatted.parse(execution.data) as ExecutionDetails['run'],
		};
	}

	private async login(): Promise<void> {
		const response = await fetch(`${this.url}/rest/login`, {
			method: 'POST',
			headers: { 'content-type': 'application/json' },
			body: JSON.stringify({ emailOrLdapLoginId: OWNER.email, password: OWNER.password }),
		});
		if (!response.ok) {
			throw new E2EFailure(
				`signing in to n8n as ${OWNER.email} failed (${response.status})`,
				await response.text(),
			);
		}
		this.cookie = (response.headers.get('set-cookie') ?? '').split(';')[0];
	}

	private async waitUntilReady(timeoutMs: number): Promise<void> {
		const deadline = Date.now() + timeoutMs;
		while (Date.now() < deadline) {
			if (this.background.child.exitCode !== null)
				throw new E2EFailure('n8n start exited', tail(this.output(), 60));
			try {
				if ((await fetch(`${this.url}/healthz/readiness`)).ok) return;
			} catch {
				// not listening yet
			}
			await new Promise((done) => setTimeout(done, 500));
		}
		throw new E2EFailure(`n8n was not ready within ${timeoutMs / 1000} s`, tail(this.output(), 60));
	}
}

export interface ExecutionSummary {
	id: string;
	status: string;
	startedAt?: string | null;
	stoppedAt?: string | null;
	createdAt?: string;
}

/**
 * `n8n worker` (queue mode), ready once it says so; N8N_RUNNERS_BROKER_PORT and
 * QUEUE_HEALTH_CHECK_PORT must be its own (pass them in env).
 */
export async function startWorker(
	n8n: N8n,
	options: { concurrency: number; env?: Record<string, string>; label: string; echo?: boolean },
): Promise<Background> {
	log(`starting ${options.label} (n8n worker --concurrency=${options.concurrency})`);
	const { background } = await startBackground(
		n8n.paths.node,
		[n8n.paths.bin, 'worker', `--concurrency=${options.concurrency}`],
		(line) => (/n8n worker is now ready/i.test(line) ? true : undefined),
		{
			env: { ...n8n.env, ...options.env },
			cwd: n8n.paths.userFolder,
			timeoutMs: 240_000,
			echoPrefix: options.echo ? `    [${options.label}] ` : undefined,
		},
	);
	return background;
}

export interface ExecutionDetails {
	id: string;
	status: string;
	run: {
		resultData: {
			runData: Record<
				string,
				Array<{ data?: { main?: Array<Array<{ json: Record<string, unknown> }> | null> } }>
			>;
			error?: unknown;
		};
	};
}

/**
 * Runs `body` with `n8n start` up and stops n8n afterwards; a failed check also shows n8n's
 * last `lines` log lines.
 */
export async function withN8nServer(
	n8n: N8n,
	body: (server: N8nServer) => Promise<void>,
	lines = 60,
): Promise<void> {
	const server = await N8nServer.start(n8n, { echo: process.env.E2E_VERBOSE === '1' });
	try {
		await body(server);
	} catch (error) {
		if (!(error instanceof E2EFailure)) throw error;
		throw new E2EFailure(
			error.message,
			`${error.details ?? ''}\n--- n8n start, last lines:\n${tail(server.output(), lines)}`,
		);
	} finally {
		await server.stop();
	}
}
