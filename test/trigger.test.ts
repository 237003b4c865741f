import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';

import { Logger } from '@n8n/backend-common';
import { Container } from '@n8n/di';

import { RingCentralExtensions } from '../nodes/RingCentralExtensions/RingCentralExtensions.node';
import { RingCentralExtensionsTrigger } from '../nodes/RingCentralExtensionsTrigger/RingCentralExtensionsTrigger.node';
import { TriggerHarness } from './harness/webhook';
import { accessTokenCredential, jwtCredential, useFakeRingCentral } from './support/setup';

const fake = useFakeRingCentral({ seedExtensions: 5, task: { completeAfterPolls: 1 } });
const JSON_TYPE = { 'Content-Type': 'application/json' };

let harness: TriggerHarness | undefined;
/** Every notification answered, and every webhook() call finished. */
async function settled(): Promise<void> {
	await fake.server.deliveriesSettled();
	await harness?.idle();
}

afterEach(async () => {
	await settled();
	await harness?.close();
	harness = undefined;
});

async function startTrigger(
	parameters: Record<string, unknown> = {},
	options: { mode?: 'production' | 'test'; jwt?: boolean } = {},
): Promise<TriggerHarness> {
	harness = await TriggerHarness.start({
		parameters: {
			authentication: options.jwt ? 'jwt' : 'accessToken',
			accountId: '~',
			events: ['created', 'updated', 'deleted'],
			includeDetails: true,
			...parameters,
		},
		credential: options.jwt ? jwtCredential(fake.server) : accessTokenCredential(fake.server),
		mode: options.mode,
	});
	return harness;
}

function api(method: string, path: string, body?: unknown) {
	return fetch(`${fake.server.url}/restapi/v1.0/account/~${path}`, {
		method,
		headers: { Authorization: 'Bearer test-access-token', ...JSON_TYPE },
		body: body === undefined ? undefined : JSON.stringify(body),
	}).then(async (response) => (await response.json()) as Record<string, unknown>);
}

function post(url: string, body: unknown, headers: Record<string, string> = {}) {
	return fetch(url, {
		method: 'POST',
		headers: { ...JSON_TYPE, ...headers },
		body: JSON.stringify(body),
	});
}

/** The trigger now signs in with another n8n credential (same token: the fake has one user). */
function useAnotherCredential(trigger: TriggerHarness): void {
	const credential = accessTokenCredential(fake.server);
	trigger.credentialsHelper.add('cred-other', credential.type, credential.data);
	trigger.node.credentials = { [credential.type]: { id: 'cred-other', name: 'Other credential' } };
}

function subscriptionRequests(method: string) {
	return fake.server.requests.filter(
		(request) => request.method === method && request.path.startsWith('/restapi/v1.0/subscription'),
	);
}

describe('RingCentral Extensions Trigger: webhook lifecycle', () => {
	test("publishing subscribes the webhook URL to the account's extension events, after the validation handshake", async () => {
		const trigger = await startTrigger();
		expect(await trigger.run('checkExists')).toBe(false);
		expect(fake.server.requests).toHaveLength(0);
		expect(await trigger.run('create')).toBe(true);

		const [create] = subscriptionRequests('POST');
		const body = create.body as {
			deliveryMode: { verificationToken: string };
		};
		expect(create.headers['content-type']).toMatch(/^application\/json/);
		expect(body).toEqual({
			eventFilters: ['/restapi/v1.0/account/~/extension'],
			deliveryMode: {
				transportType: 'WebHook',
				address: trigger.webhookUrl,
				verificationToken: expect.stringMatching(/^[A-Za-z0-9_-]{43}$/),
			},
			expiresIn: 315360000,
		});
		// The validation request reached webhook() and was answered without an execution.
		expect(trigger.calls).toHaveLength(1);
		expect(trigger.calls[0].headers['validation-token']).toBeDefined();
		expect(trigger.executions).toHaveLength(0);
		const [subscription] = fake.server.state.subscriptions.values();
		expect(trigger.staticData).toEqual({
			subscriptionId: subscription.id,
			verificationToken: body.deliveryMode.verificationToken,
			credential: 'ringCentralAccessTokenApi:cred-ringCentralAccessTokenApi',
			eventFilter: '/restapi/v1.0/account/400000001/extension',
		});
		expect(subscription.verificationToken).toBe(body.deliveryMode.verificationToken);
	});

	test('each activation makes a new secret', async () => {
		const trigger = await startTrigger();
		await trigger.run('create');
		const first = trigger.staticData.verificationToken;
		await trigger.run('delete');
		await trigger.run('create');
		expect(trigger.staticData.verificationToken).not.toBe(first);
	});

	test('checkExists finds a live subscription and reads it once', async () => {
		const trigger = await startTrigger();
		await trigger.activate();
		fake.server.reset();
		expect(await trigger.run('checkExists')).toBe(true);
		expect(fake.server.requests.map((request) => `${request.method} ${request.path}`)).toEqual([
			`GET /restapi/v1.0/subscription/${String(trigger.staticData.subscriptionId)}`,
		]);
	});

	test('a subscription RingCentral expired is re-created on activation', async () => {
		const trigger = await startTrigger();
		await trigger.activate();
		const first = String(trigger.staticData.subscriptionId);
		fake.server.expireSubscription(first);
		expect(await trigger.run('checkExists')).toBe(false);
		expect(trigger.staticData).toEqual({});
		await trigger.activate();
		expect(trigger.staticData.subscriptionId).not.toBe(first);
		expect([...fake.server.state.subscriptions.keys()]).toEqual([
			trigger.staticData.subscriptionId,
		]);
	});

	test('a blacklisted subscription is deleted and replaced', async () => {
		const trigger = await startTrigger();
		await trigger.activate();
		const first = String(trigger.staticData.subscriptionId);
		fake.server.blacklistSubscription(first);
		expect(await trigger.run('checkExists')).toBe(false);
		expect(subscriptionRequests('DELETE').map((request) => request.path)).toEqual([
			`/restapi/v1.0/subscription/${first}`,
		]);
		expect(fake.server.state.subscriptions.size).toBe(0);
	});

	test('a subscription whose secret the trigger no longer has is deleted, not left delivering', async () => {
		const trigger = await startTrigger();
		await trigger.activate();
		const first = String(trigger.staticData.subscriptionId);
		delete trigger.staticData.verificationToken;
		expect(await trigger.run('checkExists')).toBe(false);
		expect(subscriptionRequests('DELETE').map((request) => request.path)).toEqual([
			`/restapi/v1.0/subscription/${first}`,
		]);
		expect(fake.server.state.subscriptions.size).toBe(0);
		expect(trigger.staticData).toEqual({});
	});

	test('a subscription that delivers to another address (WEBHOOK_URL changed) is replaced', async () => {
		const trigger = await startTrigger();
		await trigger.activate();
		const [subscription] = fake.server.state.subscriptions.values();
		subscription.address = 'https://old-n8n.example.com/webhook/x/webhook';
		expect(await trigger.run('checkExists')).toBe(false);
		expect(fake.server.state.subscriptions.size).toBe(0);
	});

	test('unpublishing deletes the subscription; one already gone counts as deleted', async () => {
		const trigger = await startTrigger();
		await trigger.activate();
		const id = String(trigger.staticData.subscriptionId);
		expect(await trigger.run('delete')).toBe(true);
		expect(fake.server.state.subscriptions.size).toBe(0);
		expect(trigger.staticData).toEqual({});

		await trigger.activate();
		fake.server.expireSubscription(String(trigger.staticData.subscriptionId));
		expect(await trigger.run('delete')).toBe(true);
		expect(subscriptionRequests('DELETE').map((request) => request.status)).toEqual([204, 404]);
		expect(id).not.toBe(trigger.staticData.subscriptionId);
	});

	test('an explicit account ID goes into the event filter, and checkExists matches it', async () => {
		const trigger = await startTrigger({ accountId: '400000001' });
		await trigger.activate();
		expect(
			(subscriptionRequests('POST')[0].body as { eventFilters: string[] }).eventFilters,
		).toEqual(['/restapi/v1.0/account/400000001/extension']);
		expect(await trigger.run('checkExists')).toBe(true);
	});

	test('an account ID with spaces around it, or none, is read as the action node reads it ("~")', async () => {
		for (const accountId of [' ~ ', '']) {
			fake.server.reset();
			const trigger = await startTrigger({ accountId });
			await trigger.activate();
			expect(
				(subscriptionRequests('POST')[0].body as { eventFilters: string[] }).eventFilters,
			).toEqual(['/restapi/v1.0/account/~/extension']);
			// A live subscription is kept, not deleted and made again on every activation.
			expect(await trigger.run('checkExists')).toBe(true);
			expect(subscriptionRequests('DELETE')).toEqual([]);
			await trigger.run('delete');
			await trigger.close();
			harness = undefined;
		}
	});

	test('an account ID that cannot be a path segment is an error naming the parameter, before anything is sent', async () => {
		const trigger = await startTrigger({ accountId: '.' });
		await expect(trigger.run('create')).rejects.toThrow(
			'Parameter "accountId": "." is not a valid identifier',
		);
		expect(fake.server.requests).toEqual([]);
	});

	test('"Listen for test event" subscribes the test URL', async () => {
		const trigger = await startTrigger({}, { mode: 'test' });
		await trigger.activate();
		expect(trigger.webhookUrl).toContain('/webhook-test/');
		expect([...fake.server.state.subscriptions.values()][0].address).toBe(trigger.webhookUrl);
	});

	test('the JWT credential signs the subscription requests too', async () => {
		const trigger = await startTrigger({}, { jwt: true });
		await trigger.activate();
		expect(fake.server.requestsFor('oauthToken')).toHaveLength(1);
		expect(fake.server.state.subscriptions.size).toBe(1);
	});

	test("another app's subscription (403 after a credential change) is left, with a warning, and a new one is made", async () => {
		const warn = jest.spyOn(Container.get(Logger), 'warn');
		const trigger = await startTrigger();
		await trigger.activate();
		const first = String(trigger.staticData.subscriptionId);
		useAnotherCredential(trigger);
		const notOurs = {
			kind: 'status' as const,
			status: 403,
			body: {
				errorCode: 'CMN-408',
				message:
					'In order to call this API endpoint, user needs to have [ReadSubscriptions] permission',
				errors: [],
			},
		};
		fake.server.injectFault({ ...notOurs, match: { operationId: 'readSubscription' } });
		expect(await trigger.run('checkExists')).toBe(false);
		expect(trigger.staticData).toEqual({});
		expect(await trigger.run('create')).toBe(true);
		expect(trigger.staticData.subscriptionId).not.toBe(first);
		expect(trigger.staticData.credential).toBe('ringCentralAccessTokenApi:cred-other');
		expect(warn).toHaveBeenCalledTimes(1);
		const [message] = warn.mock.calls[0];
		expect(message).toContain(`subscription ${first} could not be deleted`);
		expect(message).toContain('HTTP 403');
		expect(message).not.toContain('test-access-token');

		// Unpublishing with a credential that may not delete it does not fail either.
		fake.server.injectFault({ ...notOurs, match: { operationId: 'deleteSubscription' } });
		expect(await trigger.run('delete')).toBe(true);
		expect(trigger.staticData).toEqual({});
		expect(warn).toHaveBeenCalledTimes(2);
		warn.mockRestore();
	});

	test("a 404 after a credential change warns that the old subscription may be another user's; without a change it is quietly gone", async () => {
		const warn = jest.spyOn(Container.get(Logger), 'warn');
		const trigger = await startTrigger();
		await trigger.activate();
		fake.server.expireSubscription(String(trigger.staticData.subscriptionId));
		expect(await trigger.run('checkExists')).toBe(false);
		expect(warn).not.toHaveBeenCalled();

		await trigger.activate();
		const second = String(trigger.staticData.subscriptionId);
		useAnotherCredential(trigger);
		fake.server.injectFault({
			kind: 'status',
			status: 404,
			match: { operationId: 'readSubscription' },
			body: {
				errorCode: 'CMN-102',
				message: 'Resource for parameter [subscriptionId] is not found',
				errors: [],
			},
		});
		expect(await trigger.run('checkExists')).toBe(false);
		expect(warn).toHaveBeenCalledTimes(1);
		expect(warn.mock.calls[0][0]).toContain(`subscription ${second} could not be deleted`);
		expect(warn.mock.calls[0][0]).toContain('previous credential');
		warn.mockRestore();
	});

	test('a live subscription read with a new credential of the same user is kept, and the credential noted', async () => {
		const trigger = await startTrigger();
		await trigger.activate();
		useAnotherCredential(trigger);
		expect(await trigger.run('checkExists')).toBe(true);
		expect(trigger.staticData.credential).toBe('ringCentralAccessTokenApi:cred-other');
	});

	test("a refused subscription is an API error naming RingCentral's code", async () => {
		const trigger = await startTrigger();
		fake.server.injectFault({
			kind: 'status',
			status: 403,
			match: { operationId: 'createSubscription' },
			body: {
				errorCode: 'CMN-401',
				message:
					'In order to call this API endpoint, application needs to have [ReadAccounts] permission',
				errors: [],
			},
		});
		await expect(trigger.run('create')).rejects.toThrow(/CMN-401.*HTTP 403.*ReadAccounts/);
		expect(trigger.staticData).toEqual({});
	});
});

describe('RingCentral Extensions Trigger: deliveries', () => {
	test('an extension created through the API starts one execution with its record', async () => {
		const trigger = await startTrigger();
		await trigger.activate();
		const created = await api('POST', '/extension', {
			contact: { firstName: 'Nia', lastName: 'Okafor', email: 'nia@example.com' },
		});
		await settled();

		expect(trigger.executions).toHaveLength(1);
		const [delivery] = fake.server.deliveries;
		expect(delivery.status).toBe(200);
		expect(trigger.executions[0].map((item) => item.json)).toEqual([
			{
				event: 'created',
				extensionId: String(created.id),
				extension: expect.objectContaining({ id: created.id, name: 'Nia Okafor' }),
				timestamp: delivery.payload.timestamp,
				uuid: delivery.uuid,
				subscriptionId: trigger.staticData.subscriptionId,
			},
		]);
		expect(fake.server.requestsFor('readExtension').map((request) => request.path)).toEqual([
			`/restapi/v1.0/account/~/extension/${String(created.id)}`,
		]);
	});

	test('without details, no extension is read', async () => {
		const trigger = await startTrigger({ includeDetails: false });
		await trigger.activate();
		fake.server.emitExtensionEvent('Update', 100002);
		await settled();
		expect(trigger.executions[0].map((item) => item.json)).toEqual([
			expect.not.objectContaining({ extension: expect.anything() }),
		]);
		expect(trigger.executions[0][0].json).toMatchObject({
			event: 'updated',
			extensionId: '100002',
		});
		expect(fake.server.requestsFor('readExtension')).toHaveLength(0);
	});

	test('Include Details from an expression that gives the text "false" reads nothing', async () => {
		const trigger = await startTrigger({ includeDetails: 'false' });
		await trigger.activate();
		fake.server.emitExtensionEvent('Update', 100002);
		await settled();
		expect(trigger.executions[0][0].json).not.toHaveProperty('extension');
		expect(fake.server.requestsFor('readExtension')).toHaveLength(0);
	});

	test('a bulk update that completes gives an updated event per extension', async () => {
		const trigger = await startTrigger();
		await trigger.activate();
		const task = await api('POST', '/extension-bulk-update', {
			records: [
				{ id: '100002', contact: { department: 'Ops' } },
				{ id: '100003', contact: { department: 'Ops' } },
			],
		});
		await api('GET', `/extension-bulk-update/tasks/${String(task.id)}`);
		await settled();
		const items = trigger.executions.flat().map((item) => item.json);
		expect(items.map((json) => [json.event, json.extensionId])).toEqual([
			['updated', '100002'],
			['updated', '100003'],
		]);
		expect(items[0].extension).toMatchObject({ contact: { department: 'Ops' } });
	});

	test('a deleted extension gives its id only, even with details on', async () => {
		const trigger = await startTrigger();
		await trigger.activate();
		fake.server.emitExtensionEvent('Delete', 100004);
		await settled();
		expect(trigger.executions[0][0].json).toEqual(
			expect.objectContaining({ event: 'deleted', extensionId: '100004' }),
		);
		expect(trigger.executions[0][0].json.extension).toBeUndefined();
		expect(fake.server.requestsFor('readExtension')).toHaveLength(0);
	});

	test('an extension that is gone by the time it is read gives its id only', async () => {
		const trigger = await startTrigger();
		await trigger.activate();
		fake.server.emitExtensionEvent('Update', 999999);
		await settled();
		expect(trigger.executions[0][0].json).toMatchObject({
			event: 'updated',
			extensionId: '999999',
		});
		expect(trigger.executions[0][0].json.extension).toBeUndefined();
	});

	test('a delivery without the right Verification-Token is refused with 401 and starts nothing', async () => {
		const trigger = await startTrigger();
		await trigger.activate();
		const event = {
			uuid: 'forged-1',
			event: '/restapi/v1.0/account/400000001/extension',
			timestamp: '2026-01-01T00:00:00.000Z',
			subscriptionId: String(trigger.staticData.subscriptionId),
			body: { extensionId: '100002', eventType: 'Delete' },
		};
		const missing = await post(trigger.webhookUrl, event);
		const wrong = await post(trigger.webhookUrl, event, { 'Verification-Token': 'guess' });
		expect([missing.status, wrong.status]).toEqual([401, 401]);
		expect(await wrong.text()).not.toContain(String(trigger.staticData.verificationToken));
		expect(trigger.executions).toHaveLength(0);

		const genuine = await post(trigger.webhookUrl, event, {
			'Verification-Token': String(trigger.staticData.verificationToken),
		});
		expect(genuine.status).toBe(200);
		expect(trigger.executions).toHaveLength(1);
	});

	test('a delivery repeated with the same uuid starts no second execution', async () => {
		const trigger = await startTrigger();
		await trigger.activate();
		fake.server.emitExtensionEvent('Update', 100002);
		await settled();
		const [first] = fake.server.deliveries;
		expect(fake.server.redeliver(first.uuid)).toBe(true);
		await settled();
		expect(trigger.calls.filter((call) => !call.headers['validation-token'])).toHaveLength(2);
		expect(fake.server.deliveries.map((delivery) => delivery.status)).toEqual([200, 200]);
		expect(trigger.executions).toHaveLength(1);

		fake.server.emitExtensionEvent('Update', 100002);
		await settled();
		expect(trigger.executions).toHaveLength(2);
	});

	test("the docs' body shape: one item per listed extension, only for the selected events", async () => {
		const trigger = await startTrigger({ events: ['created', 'deleted'], includeDetails: false });
		await trigger.activate();
		const answer = await post(
			trigger.webhookUrl,
			{
				uuid: 'docs-shape-1',
				event: '/restapi/v1.0/account/400000001/extension',
				timestamp: '2026-01-01T00:00:00.000Z',
				subscriptionId: String(trigger.staticData.subscriptionId),
				body: {
					extensions: [
						{ extensionId: '100002', eventType: 'Create' },
						{ extensionId: '100003', eventType: 'Update', hints: ['ExtensionInfo'] },
						{ extensionId: 100004, eventType: 'Delete' },
					],
				},
			},
			{ 'Verification-Token': String(trigger.staticData.verificationToken) },
		);
		expect(answer.status).toBe(200);
		expect(trigger.executions[0].map((item) => [item.json.event, item.json.extensionId])).toEqual([
			['created', '100002'],
			['deleted', '100004'],
		]);
	});

	test('a delivery without a uuid gives items without the key, not uuid: undefined', async () => {
		const trigger = await startTrigger({ events: ['created'], includeDetails: false });
		await trigger.activate();
		const answer = await post(
			trigger.webhookUrl,
			{
				event: '/restapi/v1.0/account/400000001/extension',
				timestamp: '2026-01-01T00:00:00.000Z',
				subscriptionId: String(trigger.staticData.subscriptionId),
				body: { extensionId: '100002', eventType: 'Create' },
			},
			{ 'Verification-Token': String(trigger.staticData.verificationToken) },
		);
		expect(answer.status).toBe(200);
		expect(Object.keys(trigger.executions[0][0].json)).toEqual([
			'event',
			'extensionId',
			'timestamp',
			'subscriptionId',
		]);
	});

	test("the fake's docs shape end to end, and events that were not selected start nothing", async () => {
		fake.server.setEventBodyShape('docs');
		const trigger = await startTrigger({ events: ['deleted'] });
		await trigger.activate();
		fake.server.emitExtensionEvent('Update', 100002);
		fake.server.emitExtensionEvent('Delete', 100003);
		await settled();
		expect(fake.server.deliveries.map((delivery) => delivery.status)).toEqual([200, 200]);
		expect(trigger.executions.map((items) => items.map((item) => item.json.extensionId))).toEqual([
			['100003'],
		]);
	});

	test('the validation answer echoes the token with an empty body, whenever it comes', async () => {
		const trigger = await startTrigger();
		const answer = await fetch(trigger.webhookUrl, {
			method: 'POST',
			headers: { 'Validation-Token': 'abc123' },
		});
		expect(answer.status).toBe(200);
		expect(answer.headers.get('validation-token')).toBe('abc123');
		expect(await answer.text()).toBe('');
		expect(trigger.executions).toHaveLength(0);
	});

	test('RingCentral gets its answer before the record is read', async () => {
		const trigger = await startTrigger();
		await trigger.activate();
		fake.server.injectFault({ kind: 'delay', ms: 3000, match: { operationId: 'readExtension' } });
		fake.server.emitExtensionEvent('Update', 100002);
		while (fake.server.deliveries[0]?.status !== 200) {
			await new Promise((resolve) => setTimeout(resolve, 20));
		}
		expect(fake.server.requestsFor('readExtension').map((request) => request.status)).toEqual([0]);
		expect(trigger.executions).toHaveLength(0);
		await settled();
		expect(trigger.executions[0][0].json.extension).toMatchObject({ id: 100002 });
	});

	test('a record that cannot be read becomes an item that says why; the other changes of the delivery are kept', async () => {
		fake.server.setEventBodyShape('docs');
		const trigger = await startTrigger();
		await trigger.activate();
		fake.server.injectFault({
			kind: 'status',
			status: 403,
			match: { operationId: 'readExtension' },
			body: {
				errorCode: 'CMN-408',
				message:
					'In order to call this API endpoint, user needs to have [ReadExtensions] permission',
				errors: [],
			},
		});
		const token = { 'Verification-Token': String(trigger.staticData.verificationToken) };
		await post(
			trigger.webhookUrl,
			{
				uuid: 'one-unreadable',
				subscriptionId: trigger.staticData.subscriptionId,
				event: '/restapi/v1.0/account/400000001/extension',
				body: {
					extensions: [
						{ extensionId: '100002', eventType: 'Update' },
						{ extensionId: '100003', eventType: 'Update' },
					],
				},
			},
			token,
		);
		await settled();
		expect(fake.server.deliveries).toEqual([]);
		const [items] = trigger.executions;
		expect(items.map((item) => item.json.extensionId)).toEqual(['100002', '100003']);
		expect(items[0].json.error).toMatch(/could not be read: .*CMN-408.*HTTP 403/);
		expect(items[0].json.extension).toBeUndefined();
		expect(items[1].json.extension).toMatchObject({ id: 100003 });
	});

	test('a body with no extension change in it starts nothing', async () => {
		const trigger = await startTrigger();
		await trigger.activate();
		const token = { 'Verification-Token': String(trigger.staticData.verificationToken) };
		const answers = await Promise.all([
			post(trigger.webhookUrl, { uuid: 'empty-1', body: {} }, token),
			post(
				trigger.webhookUrl,
				{ uuid: 'empty-2', body: { extensionId: '1', eventType: 'Rename' } },
				token,
			),
			post(trigger.webhookUrl, { uuid: 'empty-3', body: { extensions: 'none' } }, token),
		]);
		expect(answers.map((answer) => answer.status)).toEqual([200, 200, 200]);
		expect(trigger.executions).toHaveLength(0);
	});

	test('after unpublishing, changes reach the workflow no more', async () => {
		const trigger = await startTrigger();
		await trigger.activate();
		await trigger.run('delete');
		await api('POST', '/extension', { contact: { firstName: 'Late', email: 'late@example.com' } });
		await settled();
		expect(fake.server.deliveries).toHaveLength(0);
		expect(trigger.executions).toHaveLength(0);
	});
});

describe('RingCentral Extensions Trigger: as the editor sees it', () => {
	const root = join(__dirname, '..');
	const trigger = new RingCentralExtensionsTrigger();
	const action = new RingCentralExtensions();
	const codex = JSON.parse(
		readFileSync(
			join(root, 'nodes/RingCentralExtensionsTrigger/RingCentralExtensionsTrigger.node.json'),
			'utf8',
		),
	) as { node: string; categories: string[]; resources: Record<string, Array<{ url: string }>> };

	test('signs in exactly as the action node does: same authentication options and credentials', () => {
		const authenticationOf = (node: { description: { properties: Array<{ name: string }> } }) =>
			node.description.properties.find((property) => property.name === 'authentication');
		expect(authenticationOf(trigger)).toEqual(authenticationOf(action));
		expect(trigger.description.credentials).toEqual(action.description.credentials);
	});

	test('is a trigger: no inputs, group trigger, not an AI tool', () => {
		expect(trigger.description.inputs).toEqual([]);
		expect(trigger.description.group).toEqual(['trigger']);
		expect(trigger.description.usableAsTool).toBeUndefined();
	});

	test('its codex names its type, and its Docs link opens docs/trigger.md', () => {
		expect(codex.node).toBe('n8n-nodes-ringcentral-extensions.ringCentralExtensionsTrigger');
		expect(readFileSync(join(root, 'docs', 'trigger.md'), 'utf8')).toMatch(/^# Trigger$/m);
		expect(codex.resources.primaryDocumentation[0].url).toMatch(/\/blob\/main\/docs\/trigger\.md$/);
	});

	test('its icons are files beside it', () => {
		const icon = trigger.description.icon as { light: string; dark: string };
		for (const file of [icon.light, icon.dark]) {
			expect(
				existsSync(join(root, 'nodes/RingCentralExtensionsTrigger', file.replace(/^file:/, ''))),
			).toBe(true);
		}
	});
});
