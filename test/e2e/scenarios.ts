import { FAKE, type FakeRingCentral, type LoggedRequest } from './lib/fake';
import { type Execution, type N8n, type NodeItem } from './lib/n8n';
import { E2EFailure, log } from './lib/process';
import { leaversScenario } from './leaversScenario';
import { triggerScenario } from './triggerScenario';
import { webSocketTriggerScenario } from './webSocketTriggerScenario';

export const ACCESS_TOKEN_CREDENTIAL = {
	id: 'rcE2eAccessTkn01',
	name: 'RingCentral fake (access token)',
};
export const JWT_CREDENTIAL = { id: 'rcE2eJwtCred0001', name: 'RingCentral fake (JWT)' };
/** Already connected: its token data holds the fake's static access token. */
export const OAUTH2_CREDENTIAL = { id: 'rcE2eOAuth2Crd01', name: 'RingCentral fake (OAuth2)' };

/** Credentials as `n8n import:credentials` takes them: plaintext `data` is encrypted on import. */
export function credentialsFor(fakeUrl: string): unknown[] {
	return [
		{
			...ACCESS_TOKEN_CREDENTIAL,
			type: 'ringCentralAccessTokenApi',
			data: { environment: 'custom', serverUrl: fakeUrl, accessToken: FAKE.accessToken },
		},
		{
			...JWT_CREDENTIAL,
			type: 'ringCentralJwtApi',
			data: {
				environment: 'custom',
				serverUrl: fakeUrl,
				clientId: FAKE.clientId,
				clientSecret: FAKE.clientSecret,
				jwt: FAKE.jwt,
			},
		},
		{
			...OAUTH2_CREDENTIAL,
			type: 'ringCentralOAuth2Api',
			data: {
				environment: 'custom',
				serverUrl: fakeUrl,
				clientId: FAKE.clientId,
				clientSecret: FAKE.clientSecret,
				oauthTokenData: {
					access_token: FAKE.accessToken,
					refresh_token: 'e2e-refresh-token',
					token_type: 'bearer',
					expires_in: 3600,
				},
			},
		},
	];
}

export interface ExampleWorkflow {
	file: string;
	id: string;
	name: string;
	/** Names of the RingCentral Extensions nodes in it. */
	ringCentralNodes: string[];
}

export interface ScenarioContext {
	n8n: N8n;
	fake: FakeRingCentral;
	/** examples/*.json, imported with their RingCentral nodes pointed at the e2e credentials. */
	examples: ExampleWorkflow[];
	/** Executes a workflow (n8n execute) and returns the outcome plus the API requests it caused. */
	execute(workflowId: string): Promise<{ execution: Execution; requests: LoggedRequest[] }>;
}

export interface Scenario {
	name: string;
	/** Workflow files (test/e2e/workflows/<id>.json) it needs imported. */
	workflows: string[];
	run(ctx: ScenarioContext): Promise<void>;
}

// ---------------------------------------------------------------- assertions

export function check(condition: unknown, message: string, details?: unknown): asserts condition {
	if (!condition) {
		throw new E2EFailure(
			message,
			details === undefined
				? undefined
				: typeof details === 'string'
					? details
					: JSON.stringify(details, null, 2),
		);
	}
}

function succeeded(execution: Execution, what: string): void {
	if (execution.ok) return;
	const error = execution.error();
	const summary = error
		? [error.message, error.description, error.httpCode ? `HTTP ${String(error.httpCode)}` : '']
				.filter(Boolean)
				.join(' | ')
		: `exit code ${execution.exitCode}, no run data in n8n's output`;
	throw new E2EFailure(
		`${what}: the execution failed: ${summary}`,
		lastLines(execution.output, 60),
	);
}

function lastLines(text: string, count: number): string {
	return text.trimEnd().split('\n').slice(-count).join('\n');
}

function api(requests: LoggedRequest[], operationId: string): LoggedRequest[] {
	return requests.filter((request) => request.operationId === operationId);
}

function describeRequests(requests: LoggedRequest[]): string {
	return requests
		.map(
			(r) =>
				`${r.method} ${r.path}${r.rawQuery ? `?${r.rawQuery}` : ''} -> ${r.status} (${r.operationId ?? '?'})`,
		)
		.join('\n');
}

function json(item: NodeItem | undefined): Record<string, unknown> {
	return item?.json ?? {};
}

function isTokenRequest(request: LoggedRequest): boolean {
	return request.method === 'POST' && request.path === FAKE.tokenPath;
}

function apiCalls(requests: LoggedRequest[]): LoggedRequest[] {
	return requests.filter((request) => !isTokenRequest(request));
}

// ---------------------------------------------------------------- scenarios

export const SCENARIOS: Scenario[] = [
	{
		name: 'list-all',
		workflows: ['e2eListAllExt001'],
		async run({ execute, fake }) {
			const expected = await fake.listAll<{ id: number }>('/restapi/v1.0/account/~/extension');
			const { execution, requests } = await execute('e2eListAllExt001');
			succeeded(execution, 'list all extensions');
			const items = execution.items('List all extensions');
			check(
				items.length === expected.length,
				`list all extensions: n8n returned ${items.length} items, the fake holds ${expected.length} extensions`,
			);
			const ids = new Set(items.map((item) => json(item).id));
			check(
				ids.size === items.length,
				`list all extensions: ${items.length - ids.size} duplicate extension(s) in the output`,
			);
			check(
				expected.every((record) => ids.has(record.id)),
				'list all extensions: some extension ids are missing from the output',
			);
			const lists = api(requests, 'listExtensions');
			check(
				lists.length >= 1,
				'list all extensions: no listExtensions request reached the fake',
				describeRequests(requests),
			);
			check(
				lists.every((request) => request.status === 200),
				'list all extensions: a page request failed',
				describeRequests(lists),
			);
			if (expected.length > 1000) {
				check(
					lists.length >= Math.ceil(expected.length / 1000),
					`list all extensions: ${expected.length} extensions need several pages (at most 1000 a page), the node sent ${lists.length} request(s)`,
					describeRequests(lists),
				);
			}
			log(`  ${items.length} extensions in ${lists.length} page request(s)`);
		},
	},
	{
		name: 'create',
		workflows: ['e2eCreateExt0001'],
		async run({ execute }) {
			const { execution, requests } = await execute('e2eCreateExt0001');
			succeeded(execution, 'create extensions from items');
			const items = execution.items('Create extension');
			check(
				items.length === 2,
				`create: expected 2 created extensions, got ${items.length}`,
				items,
			);
			const creates = api(requests, 'createExtension');
			check(
				creates.length === 2,
				`create: expected 2 createExtension requests, saw ${creates.length}`,
				describeRequests(requests),
			);
			const bodies = creates.map(
				(request) => request.body as { contact?: Record<string, unknown>; type?: string },
			);
			const expectations = [
				{ firstName: 'Ada', lastName: 'Lovelace', department: 'Engineering', jobTitle: 'E2E Ada' },
				{ firstName: 'Grace', lastName: 'Hopper', department: 'Navy', jobTitle: 'E2E Grace' },
			];
			expectations.forEach((expected, index) => {
				const contact = bodies[index]?.contact ?? {};
				for (const [key, value] of Object.entries(expected)) {
					check(
						contact[key] === value,
						`create: request ${index + 1} sent contact.${key}=${String(contact[key])}, expected ${value}`,
						bodies[index],
					);
				}
				check(
					typeof contact.email === 'string' && contact.email.endsWith('@e2e.example.com'),
					`create: request ${index + 1} has no e-mail from the Code node`,
					bodies[index],
				);
				const created = json(items[index]);
				check(
					created.id !== undefined,
					`create: output item ${index + 1} has no extension id`,
					created,
				);
				check(
					(created.contact as Record<string, unknown> | undefined)?.email === contact.email,
					`create: output item ${index + 1} is not the extension created from input item ${index + 1}`,
					created,
				);
			});
			log(`  created extensions ${items.map((item) => String(json(item).id)).join(', ')}`);
		},
	},
	{
		name: 'bulk-update',
		workflows: ['e2eBulkUpdate001'],
		async run({ execute }) {
			const { execution, requests } = await execute('e2eBulkUpdate001');
			succeeded(execution, 'bulk update with waiting');
			const listed = execution.items('First three extensions');
			check(listed.length === 3, `bulk update: expected 3 listed extensions, got ${listed.length}`);
			const tasks = execution.items('Bulk update');
			check(tasks.length === 1, `bulk update: expected 1 task item, got ${tasks.length}`, tasks);
			const task = json(tasks[0]);
			check(
				task.status === 'Completed',
				`bulk update: the task ended ${String(task.status)}, expected Completed`,
				task,
			);
			const posts = api(requests, 'extensionBulkUpdate');
			check(
				posts.length === 1,
				`bulk update: expected 1 bulk-update POST, saw ${posts.length}`,
				describeRequests(requests),
			);
			const body = posts[0].body as { records?: Array<Record<string, unknown>> };
			const records = body.records ?? [];
			check(
				records.length === 3,
				`bulk update: the POST carried ${records.length} records, expected 3`,
				body,
			);
			check(
				records.every((record) => typeof record.id === 'string'),
				'bulk update: record ids must be sent as strings',
				body,
			);
			check(
				records.every(
					(record) =>
						(record.contact as Record<string, unknown> | undefined)?.department ===
						'E2E Department',
				),
				'bulk update: the edited department did not reach the API',
				body,
			);
			const expectedIds = listed.map((item) => String(json(item).id)).sort();
			const sentIds = records.map((record) => String(record.id)).sort();
			check(
				JSON.stringify(expectedIds) === JSON.stringify(sentIds),
				`bulk update: sent ids ${sentIds.join(',')} but listed ${expectedIds.join(',')}`,
			);
			const polls = api(requests, 'getExtensionBulkUpdateTask');
			check(
				polls.length >= 1,
				'bulk update: the node did not poll the task',
				describeRequests(requests),
			);
			log(`  task ${String(task.id)} Completed after ${polls.length} poll(s)`);
		},
	},
	{
		name: 'template',
		workflows: ['e2eReadTemplate1'],
		async run({ execute }) {
			const { execution, requests } = await execute('e2eReadTemplate1');
			succeeded(execution, 'read a template');
			const first = json(execution.items('First template')[0]);
			check(
				first.id !== undefined,
				'template: the template list was empty (is the fake seeded with templates?)',
			);
			const got = execution.items('Get template');
			check(got.length === 1, `template: expected 1 template, got ${got.length}`, got);
			check(
				String(json(got[0]).id) === String(first.id),
				'template: got a different template than asked for',
				got,
			);
			const reads = api(requests, 'readUserTemplate');
			check(
				reads.length === 1 &&
					reads[0].path.endsWith(`/templates/${encodeURIComponent(String(first.id))}`),
				'template: expected one GET of that template',
				describeRequests(requests),
			);
			log(`  template ${String(first.id)} (${String(json(got[0]).name ?? '')})`);
		},
	},
	{
		name: 'jwt',
		workflows: ['e2eJwtListExt001', 'e2eJwtMidRun001'],
		async run({ execute, fake }) {
			// Run 1: the credential has no token yet: one token request, then the API call.
			const first = await execute('e2eJwtListExt001');
			succeeded(first.execution, 'JWT run 1');
			check(
				first.execution.items('List extensions (JWT)').length === 5,
				'JWT run 1: expected 5 extensions',
			);
			const tokenCalls1 = first.requests.filter(isTokenRequest);
			check(
				tokenCalls1.length === 1,
				`JWT run 1: expected 1 token request, saw ${tokenCalls1.length}`,
				describeRequests(first.requests),
			);
			check(
				tokenCalls1[0].status === 200,
				'JWT run 1: the token request failed',
				describeRequests(first.requests),
			);
			const tokenBody = String(
				typeof tokenCalls1[0].body === 'string'
					? tokenCalls1[0].body
					: JSON.stringify(tokenCalls1[0].body),
			);
			check(
				tokenBody.includes('jwt-bearer'),
				'JWT run 1: the token request did not use the JWT bearer grant',
				tokenBody,
			);

			// The token n8n saved expires (as if an hour had passed): run 2 must get a 401, renew, retry.
			await fake.expireTokens();
			const second = await execute('e2eJwtListExt001');
			succeeded(second.execution, 'JWT run 2 (after the token expired)');
			check(
				second.execution.items('List extensions (JWT)').length === 5,
				'JWT run 2: expected 5 extensions',
			);
			const calls2 = second.requests;
			const tokenCalls2 = calls2.filter(isTokenRequest);
			const rejected = apiCalls(calls2).filter((request) => request.status === 401);
			check(
				rejected.length >= 1,
				'JWT run 2: expected the stale token to be rejected with 401 first',
				describeRequests(calls2),
			);
			check(
				tokenCalls2.length === 1,
				`JWT run 2: expected 1 token renewal, saw ${tokenCalls2.length}`,
				describeRequests(calls2),
			);
			const last = calls2[calls2.length - 1];
			check(
				last.status === 200 && !isTokenRequest(last),
				'JWT run 2: the request after the renewal did not succeed',
				describeRequests(calls2),
			);

			// Run 3: n8n saved the renewed token, so no token request at all.
			const third = await execute('e2eJwtListExt001');
			succeeded(third.execution, 'JWT run 3');
			const tokenCalls3 = third.requests.filter(isTokenRequest);
			check(
				tokenCalls3.length === 0,
				`JWT run 3: n8n should reuse the renewed token it saved, but asked for ${tokenCalls3.length} new one(s)`,
				describeRequests(third.requests),
			);

			// Run 4: the token expires in the middle of one execution (an HTTP Request node calls the
			// fake's /__admin/expire-tokens between two RingCentral nodes).
			const midRun = await execute('e2eJwtMidRun001');
			succeeded(midRun.execution, 'JWT mid-run expiry');
			check(
				midRun.execution.items('Before expiry').length === 2,
				'JWT mid-run: the first node should list 2 extensions',
			);
			check(
				midRun.execution.items('After expiry').length === 3,
				'JWT mid-run: the node after the expiry should list 3 extensions',
			);
			const midCalls = midRun.requests;
			const midTokens = midCalls.filter(isTokenRequest);
			check(
				midTokens.length === 1,
				`JWT mid-run: expected exactly 1 token renewal, saw ${midTokens.length}`,
				describeRequests(midCalls),
			);
			const midApi = apiCalls(midCalls);
			check(
				midApi.length === 3 &&
					midApi[0].status === 200 &&
					midApi[1].status === 401 &&
					midApi[2].status === 200,
				'JWT mid-run: expected list 200, list 401 (expired), list 200 after the renewal',
				describeRequests(midCalls),
			);
			log(
				'  token fetched, expired, renewed after a 401, then reused; and renewed in the middle of an execution',
			);
		},
	},
	{
		name: 'api-error',
		workflows: ['e2eApiError00001'],
		async run({ execute }) {
			const { execution, requests } = await execute('e2eApiError00001');
			check(
				!execution.ok,
				'API error: the execution succeeded, but template 999999999 does not exist',
				execution.items('Get missing template'),
			);
			check(
				execution.exitCode !== 0,
				`API error: n8n execute exited ${execution.exitCode} for a failed execution`,
			);
			const error = execution.error();
			check(
				error !== undefined,
				'API error: n8n printed no execution error',
				lastLines(execution.output, 40),
			);
			const errorText = JSON.stringify(error);
			check(
				errorText.includes('CMN-102'),
				"API error: the error does not show RingCentral's errorCode CMN-102",
				error,
			);
			check(/404/.test(errorText), 'API error: the error does not show HTTP 404', error);
			check(
				execution.output.includes('CMN-102'),
				"API error: n8n's output does not mention CMN-102",
				lastLines(execution.output, 40),
			);
			for (const secret of [FAKE.accessToken, FAKE.clientSecret]) {
				check(
					!execution.output.includes(secret),
					`API error: n8n's output leaks a secret (${secret.slice(0, 6)}...)`,
				);
			}
			const reads = api(requests, 'readUserTemplate');
			check(
				reads.length === 1 && reads[0].status === 404,
				'API error: expected one GET answered 404',
				describeRequests(requests),
			);
			log(`  failed as expected: ${String(error.message)}`);
		},
	},
	{
		name: 'examples',
		workflows: [],
		async run({ execute, examples }) {
			if (examples.length === 0) {
				log('  no examples/*.json: nothing to run');
				return;
			}
			for (const example of examples) {
				const { execution, requests } = await execute(example.id);
				succeeded(execution, `example ${example.file}`);
				const counts = example.ringCentralNodes.map(
					(node) => `${node}: ${execution.items(node).length}`,
				);
				const failed = requests.filter((request) => request.status >= 400);
				check(
					failed.length === 0,
					`example ${example.file}: API requests failed`,
					describeRequests(failed),
				);
				check(
					requests.length > 0,
					`example ${example.file}: no request reached the fake RingCentral`,
				);
				log(`  ${example.file}: ${counts.join(', ')} (${requests.length} API request(s))`);
				if (example.file.startsWith('onboard')) {
					// The nightly sync opens in preview: the sample hires would be created, every other
					// user in scope disabled, and nothing is written (leavers.e2e.ts runs it for real).
					const node = example.ringCentralNodes[0];
					const actions = execution.items(node).map((item) => String(item.json.action));
					const writes = apiCalls(requests).filter((request) => request.method !== 'GET');
					check(
						writes.length === 0 &&
							actions.slice(0, 4).every((action) => action === 'created') &&
							actions.length > 4 &&
							actions.slice(4).every((action) => action === 'disabled'),
						`example ${example.file}: expected a preview of 4 creates and the leavers' disables, without a write`,
						{ actions: actions.slice(0, 8), writes: describeRequests(writes) },
					);
					log(`  ${example.file}: preview of ${actions.length - 4} disables, no write`);
				}
			}
		},
	},
	leaversScenario,
	triggerScenario,
	webSocketTriggerScenario,
];
