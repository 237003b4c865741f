// Issue #11: nothing leaks, nothing is lost, nothing is mistaken for success. Each test drives the
// node through n8n's engine against the fake RingCentral server (or a bare server on 127.0.0.1).
import { createServer, type IncomingMessage, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';

import type { IDataObject, INodeParameters } from 'n8n-workflow';

import type { FakeRingCentral, JwtCredentials } from './fake-server';
import { FIRST_EXTENSION_ID } from './fake-server/seed';
import { runNode } from './harness';
import { testCredential } from './harness/credentialTest';
import { connectedOAuth2 } from './harness/oAuth2Connect';
import { bulkUpdate, disableRecords } from './support/fixtures';
import { accessTokenCredential, jwtCredential, useFakeRingCentral } from './support/setup';
import { conformToSchema } from '../nodes/shared/helpers/jsonSchema';
import { requestSchemas } from '../nodes/shared/helpers/schemas.generated';

const LIST = 'listExtensions';
const CREATE = 'createExtension';
const BULK = 'extensionBulkUpdate';
const GET_TASK = 'getExtensionBulkUpdateTask';

const listFive: INodeParameters = {
	resource: 'extension',
	operation: 'getAll',
	returnAll: false,
	limit: 5,
};
const createAda: INodeParameters = {
	resource: 'extension',
	operation: 'create',
	firstName: 'Ada',
	email: 'ada@example.com',
};

interface Catcher {
	url: string;
	received: Array<{ method: string; url: string; headers: IncomingMessage['headers'] }>;
	close(): Promise<void>;
}

/** Another origin (another port on 127.0.0.1) that records whatever reaches it. */
async function startCatcher(): Promise<Catcher> {
	const received: Catcher['received'] = [];
	const server: Server = createServer((request, response) => {
		received.push({
			method: request.method ?? '',
			url: request.url ?? '',
			headers: request.headers,
		});
		request.resume();
		response.writeHead(200, { 'Content-Type': 'application/json' });
		response.end(JSON.stringify({ id: 1, records: [], access_token: 'stolen' }));
	});
	await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
	const { port } = server.address() as AddressInfo;
	return {
		url: `http://127.0.0.1:${port}`,
		received,
		close: () =>
			new Promise((resolve) => {
				server.close(() => resolve());
				server.closeAllConnections();
			}),
	};
}

function useCatcher(): { readonly catcher: Catcher } {
	const holder = {} as { catcher: Catcher };
	beforeEach(async () => {
		holder.catcher = await startCatcher();
	});
	afterEach(async () => {
		await holder.catcher.close();
	});
	return holder;
}

describe('1. redirects', () => {
	const fake = useFakeRingCentral({ seedExtensions: 5 });
	const other = useCatcher();

	test.each([307, 302, 301, 308])(
		'a create answered %i to another origin is an error naming it; nothing goes there',
		async (status) => {
			fake.server.injectFault({
				match: { operationId: CREATE },
				kind: 'redirect',
				status,
				location: `http://user:pw@${other.catcher.url.slice('http://'.length)}/steal?token=s3cret#x`,
			});
			const { error, items } = await runNode({
				credential: accessTokenCredential(fake.server),
				parameters: { ...createAda, additionalFields: { password: 'Passw0rd!x' } },
			});
			expect(items).toHaveLength(0);
			expect(error?.message).toBe(
				`RingCentral's server (POST /restapi/v1.0/account/~/extension) answered HTTP ${status}, redirecting to ${other.catcher.url}/steal, which is not the configured server ${fake.server.url}. The redirect was not followed, so that no credential or data leaves that server`,
			);
			expect(`${error?.message} ${error?.description}`).not.toMatch(/s3cret|user:pw|Passw0rd/);
			expect(other.catcher.received).toHaveLength(0);
			expect(fake.server.requestsFor(CREATE)).toHaveLength(1);
		},
	);

	test('a GET redirected to another origin is an error too (the token stays home)', async () => {
		fake.server.injectFault({
			match: { operationId: LIST },
			kind: 'redirect',
			location: `${other.catcher.url}/restapi/v1.0/account/~/extension`,
		});
		const { error } = await runNode({
			credential: accessTokenCredential(fake.server),
			parameters: listFive,
		});
		expect(error?.message).toContain(
			`redirecting to ${other.catcher.url}/restapi/v1.0/account/~/extension`,
		);
		expect(other.catcher.received).toHaveLength(0);
	});

	test('a redirect on the configured server is followed with method and body kept', async () => {
		fake.server.injectFault({
			match: { operationId: CREATE },
			kind: 'redirect',
			status: 302,
			location: '/restapi/v1.0/account/~/extension',
		});
		const { error, items } = await runNode({
			credential: accessTokenCredential(fake.server),
			parameters: createAda,
		});
		expect(error).toBeUndefined();
		const creates = fake.server.requestsFor(CREATE);
		expect(creates.map(({ method, status }) => `${method} ${status}`)).toEqual([
			'POST 302',
			'POST 200',
		]);
		expect(creates[1].body).toEqual(creates[0].body);
		expect(creates[1].headers.authorization).toBe('Bearer test-access-token');
		expect(items[0].json.contact).toMatchObject({ email: 'ada@example.com' });
	});

	test('a create answered 303 See Other is never sent again, even on the same server; the error says it may have been carried out', async () => {
		fake.server.injectFault({
			match: { operationId: CREATE },
			kind: 'redirect',
			status: 303,
			location: '/restapi/v1.0/account/~/extension/12345',
		});
		const { error, items } = await runNode({
			credential: accessTokenCredential(fake.server),
			parameters: createAda,
		});
		expect(items).toHaveLength(0);
		expect(error?.message).toBe(
			`RingCentral's server (POST /restapi/v1.0/account/~/extension) answered HTTP 303 See Other, pointing to ${fake.server.url}/restapi/v1.0/account/~/extension/12345: the request was not sent again. RingCentral may have carried it out (e.g. created the extension or started the bulk update)`,
		);
		expect(fake.server.requests.map(({ method }) => method)).toEqual(['POST']);
	});

	test('a GET answered 303 See Other on the same server is followed', async () => {
		fake.server.injectFault({
			match: { operationId: LIST },
			kind: 'redirect',
			status: 303,
			location: '/restapi/v1.0/account/~/extension?page=1&perPage=5',
		});
		const { error, items } = await runNode({
			credential: accessTokenCredential(fake.server),
			parameters: listFive,
		});
		expect(error).toBeUndefined();
		expect(items).toHaveLength(5);
		expect(fake.server.requestsFor(LIST).map(({ status }) => status)).toEqual([303, 200]);
	});

	test('a GET redirected on the same server goes to the target as given (its own query)', async () => {
		fake.server.injectFault({
			match: { operationId: LIST },
			kind: 'redirect',
			location: `${fake.server.url}/restapi/v1.0/account/~/extension?page=1&perPage=2`,
		});
		const { error, items } = await runNode({
			credential: accessTokenCredential(fake.server),
			parameters: listFive,
		});
		expect(error).toBeUndefined();
		expect(items).toHaveLength(2);
	});

	test('at most 3 redirects are followed, even on the same server', async () => {
		fake.server.injectFault({
			match: { operationId: LIST },
			kind: 'redirect',
			location: '/restapi/v1.0/account/~/extension',
			times: 10,
		});
		const { error } = await runNode({
			credential: accessTokenCredential(fake.server),
			parameters: listFive,
		});
		expect(error?.message).toMatch(/kept redirecting \(more than 3 times/);
		expect(fake.server.requestsFor(LIST)).toHaveLength(4);
	});

	test('the JWT token exchange is never redirected elsewhere: the client secret and JWT stay home', async () => {
		fake.server.injectFault({
			match: { operationId: 'oauthToken' },
			kind: 'redirect',
			location: `${other.catcher.url}/restapi/oauth/token`,
		});
		const { error } = await runNode({
			credential: jwtCredential(fake.server),
			parameters: listFive,
		});
		expect(error?.message).toContain(
			`RingCentral's token endpoint answered HTTP 307, redirecting to ${other.catcher.url}/restapi/oauth/token, which is not the configured server`,
		);
		expect(other.catcher.received).toHaveLength(0);
		expect(fake.server.requestsFor(LIST)).toHaveLength(0);
	});

	test('the JWT token exchange follows a redirect on the same server', async () => {
		fake.server.injectFault({
			match: { operationId: 'oauthToken' },
			kind: 'redirect',
			location: '/restapi/oauth/token',
		});
		const { error, items } = await runNode({
			credential: jwtCredential(fake.server),
			parameters: listFive,
		});
		expect(error).toBeUndefined();
		expect(items).toHaveLength(5);
		expect(fake.server.requestsFor('oauthToken').map(({ status }) => status)).toEqual([307, 200]);
	});
});

describe('1. redirects: the credential Test button', () => {
	const fake = useFakeRingCentral({ seedExtensions: 2 });
	const other = useCatcher();

	test('does not follow a redirect to another origin with the token', async () => {
		fake.server.injectFault({
			match: { operationId: 'readCurrentExtension' },
			kind: 'redirect',
			location: `${other.catcher.url}/restapi/v1.0/account/~/extension/~`,
		});
		const result = await testCredential('ringCentralAccessTokenApi', {
			environment: 'custom',
			serverUrl: fake.server.url,
			accessToken: 'test-access-token',
		});
		expect(result.status).toBe('Error');
		expect(other.catcher.received).toHaveLength(0);
	});
});

describe('1. redirects with OAuth2', () => {
	const APP: JwtCredentials = {
		clientId: 'oauth-client-id',
		clientSecret: 'oauth-client-secret',
		assertion: 'unused-jwt',
	};
	const fake = useFakeRingCentral({ seedExtensions: 4, jwt: APP });
	const other = useCatcher();

	const connected = (server: FakeRingCentral) => connectedOAuth2(server.url, APP);

	test('an API request signed with the OAuth2 token is not redirected to another origin', async () => {
		const { credentialsHelper, credential } = await connected(fake.server);
		fake.server.injectFault({
			match: { operationId: LIST },
			kind: 'redirect',
			location: `${other.catcher.url}/restapi/v1.0/account/~/extension`,
		});
		const { error } = await runNode({ credential, credentialsHelper, parameters: listFive });
		expect(error?.message).toContain(`redirecting to ${other.catcher.url}/`);
		expect(other.catcher.received).toHaveLength(0);
	});
});

describe('2. cut-off answers and unknown write outcomes', () => {
	const fake = useFakeRingCentral({ seedExtensions: 10, task: { completeAfterPolls: 1 } });

	test('a create answered 200 but cut off mid-body says it may exist, and is not resent', async () => {
		fake.server.injectFault({ match: { operationId: CREATE }, kind: 'truncateAfterProcessing' });
		const before = fake.server.state.extensions.length;
		const { error } = await runNode({
			credential: accessTokenCredential(fake.server),
			parameters: createAda,
		});
		expect(error?.message).toBe(
			`Could not complete the request to ${fake.server.url}: the answer was cut off before it was complete. RingCentral may have carried it out (e.g. created the extension or started the bulk update)`,
		);
		expect(error?.description).toMatch(/not repeated/);
		expect(fake.server.requestsFor(CREATE)).toHaveLength(1);
		expect(fake.server.state.extensions).toHaveLength(before + 1);
	});

	test('a bulk update whose answer is cut off is not resent and names the risk', async () => {
		fake.server.injectFault({ match: { operationId: BULK }, kind: 'truncateAfterProcessing' });
		const { error } = await runNode({
			credential: accessTokenCredential(fake.server),
			items: disableRecords(2),
			parameters: bulkUpdate(),
		});
		expect(error?.message).toMatch(/cut off .* may have carried it out/);
		expect(fake.server.requestsFor(BULK)).toHaveLength(1);
		expect(fake.server.requestsFor(GET_TASK)).toHaveLength(0);
	});

	test('a write answered 200 with something unreadable (HTML) also says it may have been carried out', async () => {
		fake.server.injectFault({
			match: { operationId: CREATE },
			kind: 'raw',
			status: 200,
			body: '<html><body>Gateway says hello</body></html>',
		});
		const { error } = await runNode({
			credential: accessTokenCredential(fake.server),
			parameters: createAda,
		});
		expect(error?.message).toBe(
			'The answer to POST /restapi/v1.0/account/~/extension (HTTP 200) is not what RingCentral sends: expected a JSON object, got text, not JSON. RingCentral may have carried it out (e.g. created the extension or started the bulk update)',
		);
		expect(error?.description).toContain('The answer began: <html><body>Gateway says hello');
		expect(fake.server.requestsFor(CREATE)).toHaveLength(1);
	});

	test('a GET cut off the same way is retried like a dropped connection', async () => {
		fake.server.injectFault({ match: { operationId: LIST }, kind: 'truncateAfterProcessing' });
		const { error, items } = await runNode({
			credential: accessTokenCredential(fake.server),
			parameters: listFive,
		});
		expect(error).toBeUndefined();
		expect(items).toHaveLength(5);
		expect(fake.server.requestsFor(LIST)).toHaveLength(2);
	});
});

describe('3. filters set by expressions that resolve to nothing or the wrong type', () => {
	const fake = useFakeRingCentral({ seedExtensions: 10 });

	test.each([
		['email', '={{ "" }}', 'an empty text'],
		['email', '={{ undefined }}', 'nothing (undefined)'],
		['email', '={{ null }}', 'null'],
		['email', '={{ 42 }}', 'the number 42'],
		['email', '={{ {} }}', 'an object'],
		['extensionNumber', '={{ "" }}', 'an empty text'],
		['extensionNumber', '={{ null }}', 'null'],
		['extensionNumber', '={{ {} }}', 'an object'],
		['status', '={{ [] }}', 'an empty list'],
		['status', '={{ "" }}', 'an empty text'],
		['status', '={{ null }}', 'null'],
		['type', '={{ undefined }}', 'nothing (undefined)'],
		['type', '={{ 7 }}', 'the number 7'],
	])('filters.%s = %s is bad input, not "no filter"', async (name, expression, described) => {
		const { error } = await runNode({
			credential: accessTokenCredential(fake.server),
			parameters: { ...listFive, filters: { [name]: expression } },
		});
		expect(error?.message).toMatch(
			new RegExp(
				`^Item 0, parameter "filters\\.${name}": is set but resolved to ${described.replace(/[()]/g, '\\$&')}; expected `,
			),
		);
		expect(fake.server.requests).toHaveLength(0);
	});

	test.each([
		['returnAll', '={{ "yes" }}', 'must be true or false, not the text "yes"'],
		['returnAll', '={{ "" }}', 'must be true or false, not an empty text'],
		['returnAll', '={{ 0 }}', 'must be true or false, not the number 0'],
		['limit', '={{ "5" }}', 'must be a whole number of at least 1, not the text "5"'],
		['limit', '={{ null }}', 'must be a whole number of at least 1, not null'],
	])('%s = %s is bad input', async (name, expression, problem) => {
		const { error } = await runNode({
			credential: accessTokenCredential(fake.server),
			parameters: { ...listFive, [name]: expression },
		});
		expect(error?.message).toBe(`Item 0, parameter "${name}": ${problem}`);
		expect(fake.server.requests).toHaveLength(0);
	});

	test('the error names the item whose expression came out empty', async () => {
		const { error } = await runNode({
			credential: accessTokenCredential(fake.server),
			items: [{ email: 'user1@example.com' }, { email: '' }],
			parameters: { ...listFive, filters: { email: '={{ $json.email }}' } },
		});
		expect(error?.message).toMatch(
			/^Item 1, parameter "filters\.email": is set but resolved to an empty text/,
		);
	});

	test('unset filters, and an extension number given as a number, still list', async () => {
		const unfiltered = await runNode({
			credential: accessTokenCredential(fake.server),
			parameters: { ...listFive, filters: {} },
		});
		expect(unfiltered.items).toHaveLength(5);
		const byNumber = await runNode({
			credential: accessTokenCredential(fake.server),
			parameters: { ...listFive, filters: { extensionNumber: '={{ 101 }}' } },
		});
		expect(byNumber.error).toBeUndefined();
		expect(fake.server.requestsFor(LIST).at(-1)?.query.extensionNumber).toEqual(['101']);
	});

	test('a template type filter that resolves to nothing is bad input too', async () => {
		const { error } = await runNode({
			credential: accessTokenCredential(fake.server),
			parameters: { resource: 'userTemplate', operation: 'getAll', filters: { type: '={{ "" }}' } },
		});
		expect(error?.message).toMatch(
			/^Item 0, parameter "filters\.type": is set but resolved to an empty text/,
		);
		expect(fake.server.requests).toHaveLength(0);
	});
});

describe('4. answers that are not RingCentral’s are errors, never output', () => {
	const fake = useFakeRingCentral({ seedExtensions: 10 });

	test.each([
		[
			'HTML',
			'<!doctype html><html><title>Sign in</title></html>',
			'expected a JSON object, got text, not JSON',
		],
		['an object without records', '{"page":1}', 'the object has no "records" array'],
		['records as text', '{"records":"abc"}', 'the object has no "records" array'],
		['records of numbers', '{"records":[1,2]}', 'records[0] is a JSON number, not an object'],
		['a JSON array', '[{"id":1}]', 'expected a JSON object, got a JSON array'],
	])('a list answered 200 with %s', async (_name, body, problem) => {
		fake.server.injectFault({
			match: { operationId: LIST },
			kind: 'raw',
			status: 200,
			body,
			contentType: body.startsWith('<') ? 'text/html' : 'application/json',
		});
		const { error, items } = await runNode({
			credential: accessTokenCredential(fake.server),
			parameters: listFive,
		});
		expect(items).toHaveLength(0);
		expect(error?.message).toBe(
			`The answer to GET /restapi/v1.0/account/~/extension (HTTP 200) is not what RingCentral sends: ${problem}`,
		);
	});

	test('a create answered with an object without id is an error (and may have been carried out)', async () => {
		fake.server.injectFault({
			match: { operationId: CREATE },
			kind: 'raw',
			status: 200,
			body: '{"ok":true}',
			contentType: 'application/json',
		});
		const { error } = await runNode({
			credential: accessTokenCredential(fake.server),
			parameters: createAda,
		});
		expect(error?.message).toMatch(
			/not what RingCentral sends: the object has no "id"\. RingCentral may have carried it out/,
		);
	});

	test('a template read answered with a task-less shape, or a task with an unknown status, is an error', async () => {
		fake.server.injectFault({
			match: { operationId: 'readUserTemplate' },
			kind: 'raw',
			status: 200,
			body: '"just text"',
			contentType: 'application/json',
		});
		const template = await runNode({
			credential: accessTokenCredential(fake.server),
			parameters: {
				resource: 'userTemplate',
				operation: 'get',
				templateId: { __rl: true, mode: 'id', value: '300001' },
			},
		});
		expect(template.error?.message).toMatch(
			/\(HTTP 200\) is not what RingCentral sends: expected a JSON object/,
		);

		fake.server.injectFault({
			match: { operationId: GET_TASK },
			kind: 'raw',
			status: 200,
			body: '{"id":"t-1","status":"Sleeping"}',
			contentType: 'application/json',
		});
		const task = await runNode({
			credential: accessTokenCredential(fake.server),
			parameters: { resource: 'bulkUpdateTask', operation: 'get', taskId: 't-1' },
		});
		expect(task.error?.message).toContain(
			`the task's status "Sleeping" is none of Accepted, InProgress, Completed, Failed`,
		);
	});

	test('what came back is shown: at most 200 characters, with the credential’s secrets masked', async () => {
		const body = `<html>token test-access-token; Authorization: Bearer abc.def ${'x'.repeat(400)}</html>`;
		fake.server.injectFault({ match: { operationId: LIST }, kind: 'raw', status: 200, body });
		const { error } = await runNode({
			credential: accessTokenCredential(fake.server),
			parameters: listFive,
		});
		const shown = String(error?.description).split('\n')[0];
		expect(shown).toMatch(
			/^The answer began: <html>token \*\*\*; Authorization: Bearer \*\*\* x+…$/,
		);
		expect(shown.length).toBeLessThanOrEqual('The answer began: '.length + 201);
		expect(JSON.stringify(error)).not.toContain('test-access-token');
	});
});

describe('5. bulk update keeps the thread', () => {
	const fake = useFakeRingCentral({ seedExtensions: 1300, task: { completeAfterPolls: 1 } });

	test('with three tasks where one ends Failed, the error names all three and their states', async () => {
		fake.server.failNextTask([{ errorCode: 'CMN-500', message: 'Storage unavailable' }]);
		const { error } = await runNode({
			credential: accessTokenCredential(fake.server),
			items: disableRecords(1200),
			parameters: bulkUpdate(),
		});
		const [failed, second, third] = [...fake.server.state.tasks.keys()];
		expect(error?.message).toBe(
			`Bulk-update task ${failed} failed: CMN-500 Storage unavailable. Tasks of this run: ${failed} (Failed: 0 succeeded, 0 failed), ${second} (Completed: 500 succeeded, 0 failed), ${third} (Completed: 200 succeeded, 0 failed)`,
		);
	});

	test('two records for one extension in one request are refused before anything is sent', async () => {
		const { error } = await runNode({
			credential: accessTokenCredential(fake.server),
			items: [
				{ id: FIRST_EXTENSION_ID, status: 'Disabled' },
				{ id: FIRST_EXTENSION_ID + 1, status: 'Disabled' },
				{ id: String(FIRST_EXTENSION_ID), status: 'Enabled' },
			],
			parameters: bulkUpdate(),
		});
		expect(error?.message).toBe(
			`Item 2, parameter "source (input item)": extension ${FIRST_EXTENSION_ID} has another record in item 0 of the same request; send one record per extension (merge the changes into it)`,
		);
		expect(fake.server.requests).toHaveLength(0);
	});

	test('under Continue On Fail, the items with the doubled extension are error items and the rest is sent', async () => {
		const { items, error } = await runNode({
			credential: accessTokenCredential(fake.server),
			continueOnFail: true,
			items: [
				{ id: FIRST_EXTENSION_ID, status: 'Disabled' },
				{ id: FIRST_EXTENSION_ID + 1, status: 'Disabled' },
				{ id: String(FIRST_EXTENSION_ID), status: 'Enabled' },
			],
			parameters: bulkUpdate(),
		});
		expect(error).toBeUndefined();
		const bulk = fake.server.requestsFor(BULK);
		expect(bulk).toHaveLength(1);
		expect((bulk[0].body as { records: IDataObject[] }).records).toEqual([
			{ id: String(FIRST_EXTENSION_ID + 1), status: 'Disabled' },
		]);
		const byItem = new Map(
			items.map(({ json, pairedItem }) => [(pairedItem as { item: number }).item, json]),
		);
		expect(String(byItem.get(0)?.error)).toContain(
			`Item 0, parameter "source (input item)": extension ${FIRST_EXTENSION_ID} has another record in item 2`,
		);
		expect(String(byItem.get(2)?.error)).toContain(`has another record in item 0`);
		expect(byItem.get(1)?.error).toBeUndefined();
	});

	test('by id with Preview Only, doubled records are refused before any look-up', async () => {
		const { error } = await runNode({
			credential: accessTokenCredential(fake.server),
			items: [
				{ id: FIRST_EXTENSION_ID, status: 'Disabled' },
				{ id: FIRST_EXTENSION_ID, status: 'Enabled' },
			],
			parameters: bulkUpdate({ dryRun: true }),
		});
		expect(error?.message).toMatch(
			/^Item 1, parameter "source \(input item\)": extension \d+ has another record in item 0/,
		);
		expect(fake.server.requests).toHaveLength(0);
	});

	test('the same within one JSON records array', async () => {
		const { error } = await runNode({
			credential: accessTokenCredential(fake.server),
			parameters: bulkUpdate({
				source: 'json',
				records: JSON.stringify([
					{ id: '100001', status: 'Disabled' },
					{ id: '100001', status: 'Enabled' },
				]),
			}),
		});
		expect(error?.message).toMatch(
			/^Item 0, parameter "records\[1\]": extension 100001 has another record in records\[0\] of the same request/,
		);
		expect(fake.server.requests).toHaveLength(0);
	});

	test('a bulk-update answer without id is an error naming what came back; /tasks/undefined is never polled', async () => {
		fake.server.injectFault({
			match: { operationId: BULK },
			kind: 'raw',
			status: 200,
			body: '{"status":"Accepted"}',
			contentType: 'application/json',
		});
		const { error } = await runNode({
			credential: accessTokenCredential(fake.server),
			items: disableRecords(2),
			parameters: bulkUpdate(),
		});
		expect(error?.message).toBe(
			'The answer to POST /restapi/v1.0/account/~/extension-bulk-update (HTTP 200) is not what RingCentral sends: the task has no "id". RingCentral may have carried it out (e.g. created the extension or started the bulk update)',
		);
		expect(error?.description).toContain('The answer began: {"status":"Accepted"}');
		expect(fake.server.requests.filter(({ path }) => path.includes('/tasks/'))).toHaveLength(0);
	});

	test('a poll answer without id is an error naming the task', async () => {
		fake.server.injectFault({
			match: { operationId: GET_TASK },
			kind: 'raw',
			status: 200,
			body: '{"status":"Completed"}',
			contentType: 'application/json',
		});
		const { error } = await runNode({
			credential: accessTokenCredential(fake.server),
			items: disableRecords(2),
			parameters: bulkUpdate(),
		});
		const [taskId] = [...fake.server.state.tasks.keys()];
		expect(error?.message).toMatch(
			new RegExp(`^Could not read bulk-update task ${taskId}: .*the task has no "id"`),
		);
	});

	test('a cancelled wait names the tasks already started', async () => {
		const { error, run } = await runNode({
			credential: accessTokenCredential(fake.server),
			items: disableRecords(2),
			parameters: bulkUpdate({ pollInterval: 60 }),
			cancelAfterMs: 500,
		});
		const [taskId] = [...fake.server.state.tasks.keys()];
		const nodeError = run.data.resultData.runData.RingCentral?.[0]?.error ?? error;
		expect(`${nodeError?.message}\n${nodeError?.description}`).toContain(
			`already started before this error: ${taskId} (Accepted)`,
		);
	});
});

describe('6. keys named like Object.prototype members never pass the schema check', () => {
	const fake = useFakeRingCentral({ seedExtensions: 10 });

	test.each([
		['toString', { toString: 'x' }],
		['constructor', { constructor: 'x' }],
		['valueOf', { valueOf: 1 }],
		[
			'contact.hasOwnProperty',
			{ contact: { firstName: 'Ada', email: 'a@example.com', hasOwnProperty: 'x' } },
		],
	])('a create body with %s is refused before sending', async (path, extra) => {
		const body = {
			contact: { firstName: 'Ada', email: 'ada@example.com' },
			type: 'User',
			...extra,
		};
		const { error } = await runNode({
			credential: accessTokenCredential(fake.server),
			parameters: { ...createAda, specifyBody: 'json', jsonBody: JSON.stringify(body) },
		});
		expect(error?.message).toContain(`${path} is not a property RingCentral accepts here`);
		expect(fake.server.requests).toHaveLength(0);
	});

	test('__proto__ (an own key of parsed JSON) satisfies no required field', async () => {
		const jsonBody =
			'{"contact": {"__proto__": {"firstName": "Ada", "email": "ada@example.com"}}, "type": "User"}';
		const { error } = await runNode({
			credential: accessTokenCredential(fake.server),
			parameters: { ...createAda, specifyBody: 'json', jsonBody },
		});
		expect(error?.message).toContain(
			'contact.__proto__ is not a property RingCentral accepts here',
		);
		expect(error?.message).toContain('contact.firstName is required');
		expect(error?.message).toContain('contact.email is required');
		expect(fake.server.requests).toHaveLength(0);
	});

	test('a bulk-update record whose id is only inherited through __proto__ has no id', async () => {
		const { error } = await runNode({
			credential: accessTokenCredential(fake.server),
			parameters: bulkUpdate({
				source: 'json',
				records: '[{"__proto__": {"id": "100001"}, "status": "Disabled"}]',
			}),
		});
		expect(error?.message).toBe('Item 0, parameter "records[0]": the record has no extension "id"');
		expect(fake.server.requests).toHaveLength(0);
	});

	test('the validator keeps no prototype key, and its output has a plain prototype', () => {
		const parsed = JSON.parse(
			'{"id": "1", "toString": "x", "__proto__": {"status": "Enabled"}, "contact": {"valueOf": 2}}',
		) as unknown;
		const { value, issues } = conformToSchema(parsed, requestSchemas.extensionBulkUpdateInfo, {
			unknownProperties: 'strip',
		});
		expect(issues).toEqual([]);
		expect(JSON.stringify(value)).toBe('{"id":"1","contact":{}}');
		expect(Object.getPrototypeOf(value)).toBe(Object.prototype);
		expect((value as IDataObject).status).toBeUndefined();
	});
});

describe('7. smaller holes', () => {
	const fake = useFakeRingCentral({ seedExtensions: 10 });

	test.each([
		['firstName', '={{ { a: 1 } }}', 'must be text, not an object'],
		['firstName', '={{ ["Ada", "Lovelace"] }}', 'must be text, not a list'],
		['lastName', '={{ true }}', 'must be text, not the boolean true'],
	])('%s resolving to %s is an input error', async (name, expression, problem) => {
		const { error } = await runNode({
			credential: accessTokenCredential(fake.server),
			parameters: { ...createAda, [name]: expression },
		});
		expect(error?.message).toBe(`Item 0, parameter "${name}": ${problem}`);
		expect(fake.server.requests).toHaveLength(0);
	});

	test('an additional field resolving to an object is an input error', async () => {
		const { error } = await runNode({
			credential: accessTokenCredential(fake.server),
			parameters: { ...createAda, additionalFields: { company: '={{ {} }}' } },
		});
		expect(error?.message).toBe(
			'Item 0, parameter "additionalFields.company": must be text, not an object',
		);
	});

	test('a 503 asking to wait 11 days is not waited for: an error at once', async () => {
		fake.server.injectFault({
			match: { operationId: LIST },
			kind: 'status',
			status: 503,
			headers: { 'Retry-After': '1000000' },
		});
		const { error } = await runNode({
			credential: accessTokenCredential(fake.server),
			parameters: listFive,
		});
		expect(error?.message).toBe('RingCentral error CMN-503 (HTTP 503): Service Unavailable');
		expect(error?.description).toContain('RingCentral asked to wait 1000000 s before trying again');
		expect(fake.server.requestsFor(LIST)).toHaveLength(1);
	});

	test.each([
		['ringCentralAccessTokenApi', (server: FakeRingCentral) => accessTokenCredential(server)],
		['ringCentralJwtApi', (server: FakeRingCentral) => jwtCredential(server)],
	])(
		'a password in a custom server URL is refused, and never repeated (%s)',
		async (_type, make) => {
			const credential = make(fake.server);
			credential.data.serverUrl = fake.server.url.replace('http://', 'http://admin:hunter2pw@');
			const { error } = await runNode({ credential, parameters: listFive });
			expect(error?.message).toContain(
				`The credential's server URL ${fake.server.url} contains a user name or password`,
			);
			expect(JSON.stringify(error)).not.toContain('hunter2pw');
			expect(fake.server.requests).toHaveLength(0);
		},
	);
});

describe('8. polling keeps a whole interval after a late poll', () => {
	const fake = useFakeRingCentral({ seedExtensions: 10, task: { completeAfterPolls: 3 } });

	test('no status request comes sooner than pollInterval after the previous one ended', async () => {
		fake.server.injectFault({ match: { operationId: GET_TASK }, kind: 'delay', ms: 1300 });
		const { error } = await runNode({
			credential: accessTokenCredential(fake.server),
			items: disableRecords(2),
			parameters: bulkUpdate({ pollInterval: 1 }),
		});
		expect(error).toBeUndefined();
		const gets = fake.server.requestsFor(GET_TASK);
		expect(gets).toHaveLength(3);
		// The first poll took 1.3 s to answer; the next starts a whole second after that answer.
		expect(gets[1].at - gets[0].at).toBeGreaterThanOrEqual(2300);
		expect(gets[2].at - gets[1].at).toBeGreaterThanOrEqual(1000);
	});
});
