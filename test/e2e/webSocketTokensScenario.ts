import { FAKE, type FakeRingCentral, type LoggedRequest } from './lib/fake';
import { withN8nServer } from './lib/n8nServer';
import { check, outputOf, waitFor } from './lib/checks';
import { log } from './lib/process';
import type { CredentialReference } from './lib/repo';
import type { Scenario } from './scenarios';
import { webSocketWorkflow } from './webSocketTriggerScenario';

const JWT_WORKFLOW_ID = 'e2eWsTokensJwt01';
const OAUTH2_WORKFLOW_ID = 'e2eWsTokensOA201';
/** An OAuth2 credential whose tokens the fake issued, so that they expire and refresh. */
const REFRESHABLE_OAUTH2: CredentialReference = {
	id: 'rcE2eOAuth2Rfr01',
	name: 'RingCentral fake (OAuth2, refreshable)',
};
const EXTENSIONS = '/restapi/v1.0/account/~/extension';
const AUTH_OPERATIONS = new Set(['oauthToken', 'authWsToken']);
/** RingCentral's Auth group: 5 requests a minute per app and user. */
const AUTH_LIMIT = 5;
const AUTH_WINDOW_MS = 60_000;

/**
 * Tokens that expire while a published WebSocket workflow's socket stays open, in a real n8n
 * (after `trigger()` has returned). JWT: the token expires, the connection drops and an update
 * happens meanwhile: the reconnect's gateway token is refused once, the JWT renewed, the session
 * recovered and the missed update read with the fresh token and run once. OAuth2: the same, plus
 * an expiry before a record read; n8n's OAuth2 helper refreshes the token each time. The node
 * stays within the Auth group (5 a minute), and no secret appears in n8n's output.
 */
export const webSocketTokensScenario: Scenario = {
	name: 'websocket-tokens',
	workflows: [],
	async run({ n8n, fake }) {
		const oauthTokenData = await issuedTokenPair(fake);
		await n8n.importCredentials(
			[
				{
					...REFRESHABLE_OAUTH2,
					type: 'ringCentralOAuth2Api',
					data: {
						environment: 'custom',
						serverUrl: fake.url,
						clientId: FAKE.clientId,
						clientSecret: FAKE.clientSecret,
						oauthTokenData,
					},
				},
			],
			n8n.paths.userFolder,
		);
		const jwt = webSocketWorkflow(JWT_WORKFLOW_ID, 'jwt', ['created', 'updated']);
		const oauth2 = webSocketWorkflow(
			OAUTH2_WORKFLOW_ID,
			'oAuth2',
			['created', 'updated'],
			REFRESHABLE_OAUTH2,
		);
		await n8n.importWorkflows([jwt.workflow, oauth2.workflow], n8n.paths.userFolder);
		const triggerName = jwt.trigger.name;
		const stamp = Date.now();
		const firstRequest = (await fake.requests()).length;

		await withN8nServer(n8n, async (server) => {
			const eventsOf = async (workflowId: string, count: number) => {
				const executions = await waitFor(
					`${count} finished execution(s) of ${workflowId}`,
					() => server.executions(workflowId),
					(list) =>
						list.length >= count && list.every((e) => !['running', 'new'].includes(e.status)),
				);
				check(
					executions.every((execution) => execution.status === 'success'),
					`${workflowId}: an execution failed`,
					executions.map((execution) => execution.run.resultData.error ?? execution.status),
				);
				return [...executions].reverse().map((execution) =>
					outputOf(execution, triggerName).map((item) => {
						const record = item.extension as { id?: number } | undefined;
						return `${String(item.event)}:${String(item.extensionId)}:${record?.id === Number(item.extensionId) ? 'record' : 'no record'}`;
					}),
				);
			};
			/** Expires every issued token, drops the connection and updates `id` while it is down. */
			const expireAndDrop = async (id: string, connections: number) => {
				await fake.expireTokens();
				await fake.gatewayDrop({ eventType: 'Update', extensionId: id });
				const recovered = await waitFor(
					'the trigger to reconnect after the drop',
					() => fake.gateway(),
					(gateway) => gateway.connections.length === connections && gateway.openConnections === 1,
				);
				check(
					recovered.connections.at(-1)?.recoveryState === 'Successful',
					'the reconnect after the expiry did not recover the session',
					recovered,
				);
			};
			const published = async (workflowId: string) => {
				await server.publish(workflowId);
				await waitFor(
					`${workflowId} to subscribe`,
					() => fake.gateway(),
					(gateway) => gateway.openConnections === 1 && gateway.subscriptions.length === 1,
				);
			};
			const unpublished = async (workflowId: string, deleted: number) => {
				await server.unpublish(workflowId);
				await waitFor(
					`${workflowId} to unsubscribe`,
					() => fake.gateway(),
					(gateway) => gateway.openConnections === 0 && gateway.deleted.length === deleted,
				);
			};
			/**
			 * Publishes; an extension is created (after an expiry when `expireBeforeRead`), then
			 * the token expires and the connection drops while it is updated; each change must
			 * run once with the record; unpublishes.
			 */
			const listenThroughExpiries = async (
				workflowId: string,
				label: string,
				expireBeforeRead: boolean,
				counts: { connections: number; deleted: number },
			) => {
				await published(workflowId);
				if (expireBeforeRead) await fake.expireTokens();
				const id = await createExtension(fake, `${label.toLowerCase()}.${stamp}`);
				await eventsOf(workflowId, 1);
				await expireAndDrop(id, counts.connections);
				const events = await settledEvents(() => eventsOf(workflowId, 2));
				check(
					JSON.stringify(events) ===
						JSON.stringify([[`created:${id}:record`], [`updated:${id}:record`]]),
					`${label}: the created extension and the update missed during the drop did not each run once with the record`,
					events,
				);
				await unpublished(workflowId, counts.deleted);
				log(`  ${label}: ${events.flat().join(' | ')}`);
			};
			const before = await fake.gateway();
			await listenThroughExpiries(JWT_WORKFLOW_ID, 'JWT', false, {
				connections: before.connections.length + 2,
				deleted: before.deleted.length + 1,
			});
			const jwtRequests = (await fake.requests()).slice(firstRequest);
			await listenThroughExpiries(OAUTH2_WORKFLOW_ID, 'OAuth2', true, {
				connections: before.connections.length + 4,
				deleted: before.deleted.length + 2,
			});

			const requests = (await fake.requests()).slice(firstRequest);
			checkRenewals(requests);
			const oauth2Requests = requests.slice(jwtRequests.length);
			for (const [credential, phase] of [
				['JWT', jwtRequests],
				['OAuth2', oauth2Requests],
			] as const) {
				const auth = phase.filter((request) => AUTH_OPERATIONS.has(request.operationId ?? ''));
				const busiest = busiestWindow(auth.filter((request) => request.status !== 401));
				check(
					busiest <= AUTH_LIMIT,
					`${credential}: ${busiest} Auth-group requests were answered within one minute (RingCentral allows ${AUTH_LIMIT})`,
					auth.map((request) => `${request.operationId} ${request.status} at ${request.at}`),
				);
				log(
					`  ${credential}, Auth group: ${auth.map((r) => `${r.operationId} ${r.status}`).join(', ')}; at most ${busiest} answered in any minute`,
				);
			}
			checkNoSecretShown(server.output(), requests);
			log('  no access token, refresh token, JWT or client secret in n8n output');
		});
	},
};

/** A token pair the fake issued (and can expire), as the OAuth2 connection would have saved it. */
async function issuedTokenPair(fake: FakeRingCentral): Promise<Record<string, unknown>> {
	const response = await fetch(`${fake.url}${FAKE.tokenPath}`, {
		method: 'POST',
		headers: {
			authorization: `Basic ${Buffer.from(`${FAKE.clientId}:${FAKE.clientSecret}`).toString('base64')}`,
			'content-type': 'application/x-www-form-urlencoded',
		},
		body: new URLSearchParams({
			grant_type: 'urn:ietf:params:oauth:grant-type:jwt-bearer',
			assertion: FAKE.jwt,
		}),
	});
	check(response.ok, `the fake issued no token pair (${response.status})`);
	return (await response.json()) as Record<string, unknown>;
}

async function createExtension(fake: FakeRingCentral, name: string): Promise<string> {
	const created = await fake.apiPost<{ id: number }>(EXTENSIONS, {
		contact: { firstName: name, email: `${name}@e2e.example.com` },
	});
	return String(created.id);
}

/** Reads the events again after 2 s, so that a duplicate has time to show. */
async function settledEvents<T>(read: () => Promise<T>): Promise<T> {
	await read();
	await new Promise((resolve) => setTimeout(resolve, 2000));
	return await read();
}

/**
 * Every request refused as expired (401) is followed by a renewal, and the next request of the
 * same kind carries a different token: reads (OAuth2) and gateway tokens (both credentials).
 */
function checkRenewals(requests: LoggedRequest[]): void {
	const refused = requests.filter((request) => request.status === 401);
	const count = (operationId: string) =>
		refused.filter((request) => request.operationId === operationId).length;
	check(
		count('authWsToken') >= 2 && count('readExtension') >= 1,
		'expected requests refused as expired: a gateway token for each credential and an OAuth2 read',
		requests.map((request) => `${request.operationId} ${request.status}`),
	);
	for (const stale of refused) {
		const after = requests.slice(requests.indexOf(stale) + 1);
		const retried = after.find((request) => request.operationId === stale.operationId);
		const renewal = after.find((request) => request.operationId === 'oauthToken');
		check(
			renewal?.status === 200 &&
				retried?.status === 200 &&
				after.indexOf(renewal) < after.indexOf(retried),
			`${stale.operationId}: after the 401, no token renewal came before a successful retry`,
			after.map((request) => `${request.operationId} ${request.status}`),
		);
		check(
			bearerOf(retried) !== bearerOf(stale),
			`${stale.operationId}: the retry carried the expired token again`,
		);
	}
}

function bearerOf(request: LoggedRequest): string {
	return String(request.headers?.authorization ?? '').replace(/^Bearer /i, '');
}

/** The most requests answered within any one Auth window. */
function busiestWindow(requests: LoggedRequest[]): number {
	const times = requests.map((request) => request.at ?? 0).sort((a, b) => a - b);
	return Math.max(
		0,
		...times.map(
			(start) => times.filter((at) => at >= start && at < start + AUTH_WINDOW_MS).length,
		),
	);
}

function checkNoSecretShown(output: string, requests: LoggedRequest[]): void {
	const secrets = new Set<string>([FAKE.jwt, FAKE.clientSecret]);
	for (const request of requests) {
		const token = bearerOf(request);
		if (token && !token.startsWith('Basic ')) secrets.add(token);
		const body = (request.body ?? {}) as Record<string, unknown>;
		if (typeof body.refresh_token === 'string') secrets.add(body.refresh_token);
	}
	for (const secret of secrets) {
		check(!output.includes(secret), `n8n's output shows a secret (${secret.slice(0, 6)}...)`);
	}
}
