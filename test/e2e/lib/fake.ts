import { existsSync } from 'node:fs';

import { E2EFailure, log, startBackground, type Background } from './process';

/** One entry of the fake server's request log (GET /__admin/requests). */
export interface LoggedRequest {
	method: string;
	path: string;
	rawQuery: string;
	query: Record<string, string[]>;
	body: unknown;
	status: number;
	operationId?: string;
	headers?: Record<string, string | string[] | undefined>;
	at?: number;
	answeredAt?: number;
	client?: number;
}

export interface FakeOptions {
	/** Compiled CLI (node .e2e/build/test/fake-server/cli.js). */
	cliPath: string;
	/** Extra CLI flags (port, seeding, token lifetime ...). */
	args?: string[];
	echo?: boolean;
}

export const FAKE = {
	accessToken: 'test-access-token',
	clientId: 'test-client-id',
	clientSecret: 'test-client-secret',
	jwt: 'test-jwt',
	tokenPath: '/restapi/oauth/token',
};

/** The fake RingCentral server in its own process, driven through its admin API. */
export class FakeRingCentral {
	private constructor(
		readonly url: string,
		private readonly background: Background,
	) {}

	static async start(options: FakeOptions): Promise<FakeRingCentral> {
		if (!existsSync(options.cliPath)) {
			throw new E2EFailure(
				`the fake RingCentral server's CLI is missing: ${options.cliPath} (is test/fake-server/cli.ts there, and did the compile step run?)`,
			);
		}
		const { background, value } = await startBackground(
			process.execPath,
			[options.cliPath, ...(options.args ?? [])],
			(line) => {
				const trimmed = line.trim();
				if (!trimmed.startsWith('{')) return undefined;
				const parsed = JSON.parse(trimmed) as { url?: unknown };
				return typeof parsed.url === 'string' ? parsed.url : undefined;
			},
			{ timeoutMs: 30_000, echoPrefix: options.echo ? '    [fake] ' : undefined },
		);
		log(`fake RingCentral listening on ${value}`);
		return new FakeRingCentral(value.replace(/\/+$/, ''), background);
	}

	output(): string {
		return this.background.output();
	}

	async stop(): Promise<void> {
		await this.background.stop();
	}

	private async admin<T>(method: 'GET' | 'POST', path: string, body?: unknown): Promise<T> {
		let response: Response;
		try {
			response = await fetch(`${this.url}${path}`, {
				method,
				headers: body === undefined ? undefined : { 'content-type': 'application/json' },
				body: body === undefined ? undefined : JSON.stringify(body),
			});
		} catch (error) {
			throw new E2EFailure(
				`the fake RingCentral server did not answer ${method} ${path}: ${(error as Error).message}`,
				this.output(),
			);
		}
		const text = await response.text();
		if (!response.ok)
			throw new E2EFailure(
				`fake RingCentral ${method} ${path} answered ${response.status}: ${text}`,
			);
		return (text ? JSON.parse(text) : undefined) as T;
	}

	async requests(): Promise<LoggedRequest[]> {
		const answer = await this.admin<LoggedRequest[] | { requests: LoggedRequest[] }>(
			'GET',
			'/__admin/requests',
		);
		return Array.isArray(answer) ? answer : answer.requests;
	}

	async violations(): Promise<unknown[]> {
		const answer = await this.admin<unknown[] | { violations: unknown[] }>(
			'GET',
			'/__admin/violations',
		);
		return Array.isArray(answer) ? answer : answer.violations;
	}

	/** Empties the request log and rate-limit counters; `{ state: true }` also reseeds. */
	async reset(options?: { state?: boolean }): Promise<void> {
		await this.admin('POST', '/__admin/reset', options);
	}

	async expireTokens(): Promise<void> {
		await this.admin('POST', '/__admin/expire-tokens');
	}

	async faults(faults: unknown): Promise<void> {
		await this.admin('POST', '/__admin/faults', faults);
	}

	/** WebHook subscriptions the fake holds (see test/fake-server/README.md). */
	async subscriptions(): Promise<Array<{ id: string; address: string; status: string }>> {
		return await this.admin('GET', '/__admin/subscriptions');
	}

	/** Notifications it posted, after waiting until every one has been answered. */
	async deliveries(): Promise<
		Array<{ subscriptionId: string; uuid: string; status: number; payload: { body: unknown } }>
	> {
		await this.admin('POST', '/__admin/deliveries-settled');
		return await this.admin('GET', '/__admin/deliveries');
	}

	async redeliver(uuid: string): Promise<void> {
		await this.admin('POST', '/__admin/redeliver', { uuid });
	}

	/** The WebSocket gateway: live subscriptions, connections, deletions, replays, heartbeats. */
	async gateway(): Promise<GatewaySummary> {
		return await this.admin('GET', '/__admin/gateway');
	}

	/** Cuts every WebSocket connection; `emit` happens while they are down (a missed event). */
	async gatewayDrop(emit?: { eventType: 'Create' | 'Update' | 'Delete'; extensionId: string }) {
		await this.admin('POST', '/__admin/gateway/drop', emit ? { emit } : {});
	}

	/** RingCentral's idle (WSG-902) or daily (WSG-903) close, now. */
	async gatewayTimeout(code: 'WSG-902' | 'WSG-903'): Promise<void> {
		await this.admin('POST', '/__admin/gateway/timeout', { code });
	}

	/** POST to the API with the static token, as another app changing the account would. */
	async apiPost<T>(path: string, body: unknown, method = 'POST'): Promise<T> {
		const response = await fetch(`${this.url}${path}`, {
			method,
			headers: {
				authorization: `Bearer ${FAKE.accessToken}`,
				'content-type': 'application/json',
			},
			body: JSON.stringify(body),
		});
		const text = await response.text();
		if (!response.ok)
			throw new E2EFailure(
				`fake RingCentral ${method} ${path} answered ${response.status}: ${text}`,
			);
		return (text ? JSON.parse(text) : {}) as T;
	}

	/** A plain API call with the static token (to learn the expected answer independently of n8n). */
	async api<T>(pathAndQuery: string): Promise<T> {
		const response = await fetch(`${this.url}${pathAndQuery}`, {
			headers: { authorization: `Bearer ${FAKE.accessToken}`, accept: 'application/json' },
		});
		const text = await response.text();
		if (!response.ok)
			throw new E2EFailure(
				`fake RingCentral GET ${pathAndQuery} answered ${response.status}: ${text}`,
			);
		return JSON.parse(text) as T;
	}

	/** Every record of a paged list, following navigation.nextPage like a careful client would. */
	async listAll<T>(path: string): Promise<T[]> {
		const records: T[] = [];
		let next: string | undefined = `${path}${path.includes('?') ? '&' : '?'}perPage=1000`;
		for (let page = 0; next && page < 100; page++) {
			const body: { records?: T[]; navigation?: { nextPage?: { uri?: string } } } =
				await this.api(next);
			records.push(...(body.records ?? []));
			const uri = body.navigation?.nextPage?.uri;
			if (!uri || !body.records?.length) break;
			const parsed = new URL(uri, this.url);
			next = `${parsed.pathname}${parsed.search}`;
		}
		return records;
	}
}

export interface GatewaySummary {
	subscriptions: Array<{ id: string; eventFilters: string[] }>;
	openConnections: number;
	connections: Array<{ session: string; recoveryState?: 'Successful' | 'Failed'; at: number }>;
	deleted: string[];
	replayed: number;
	heartbeats: number;
	subscribeRequests: number;
}
