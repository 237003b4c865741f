// Issue 21: the webhook trigger believes only deliveries for its own subscription and account,
// and one entry it cannot read no longer costs the other entries of the delivery.
import { TriggerHarness } from './harness/webhook';
import { accessTokenCredential, useFakeRingCentral } from './support/setup';

const fake = useFakeRingCentral({ seedExtensions: 5 });
const OUR_FILTER = '/restapi/v1.0/account/400000001/extension';

let harness: TriggerHarness | undefined;

afterEach(async () => {
	await fake.server.deliveriesSettled();
	await harness?.idle();
	await harness?.close();
	harness = undefined;
});

async function activeTrigger(parameters: Record<string, unknown> = {}): Promise<TriggerHarness> {
	harness = await TriggerHarness.start({
		parameters: {
			authentication: 'accessToken',
			accountId: '~',
			events: ['created', 'updated', 'deleted'],
			includeDetails: true,
			...parameters,
		},
		credential: accessTokenCredential(fake.server),
	});
	await harness.activate();
	return harness;
}

/** A delivery with the right secret: from RingCentral, or from whoever learned it. */
async function deliver(trigger: TriggerHarness, payload: unknown): Promise<Response> {
	const response = await fetch(trigger.webhookUrl, {
		method: 'POST',
		headers: {
			'Content-Type': 'application/json',
			'Verification-Token': String(trigger.staticData.verificationToken),
		},
		body: JSON.stringify(payload),
	});
	await trigger.idle();
	return response;
}

function change(trigger: TriggerHarness, uuid: string, extensions: unknown[], overrides = {}) {
	return {
		uuid,
		event: OUR_FILTER,
		timestamp: '2026-01-01T00:00:00.000Z',
		subscriptionId: String(trigger.staticData.subscriptionId),
		body: { extensions },
		...overrides,
	};
}

describe('RingCentral Extensions Trigger: only its own subscription and account', () => {
	test("a delivery naming another subscription's id starts nothing", async () => {
		const trigger = await activeTrigger();
		const answer = await deliver(
			trigger,
			change(trigger, 'foreign-sub', [{ extensionId: '100002', eventType: 'Delete' }], {
				subscriptionId: 'another-subscription',
			}),
		);
		expect(answer.status).toBe(200);
		expect(trigger.executions).toHaveLength(0);
	});

	test("a delivery for another account's event filter starts nothing", async () => {
		const trigger = await activeTrigger();
		await deliver(
			trigger,
			change(trigger, 'foreign-account', [{ extensionId: '100002', eventType: 'Delete' }], {
				event: '/restapi/v1.0/account/999999999/extension',
			}),
		);
		expect(trigger.executions).toHaveLength(0);
	});

	test('a JSON body of null is answered 200 and starts nothing', async () => {
		const trigger = await activeTrigger();
		const answer = await deliver(trigger, null);
		expect(answer.status).toBe(200);
		expect(trigger.executions).toHaveLength(0);
	});
});

describe('RingCentral Extensions Trigger: entries it cannot read', () => {
	test('an id that is not an extension id ("..", "~") becomes an item saying so; the valid changes are kept and nothing else is read', async () => {
		const trigger = await activeTrigger();
		await deliver(
			trigger,
			change(trigger, 'odd-ids', [
				{ extensionId: '..', eventType: 'Update' },
				{ extensionId: '~', eventType: 'Update' },
				{ extensionId: '100002', eventType: 'Update' },
			]),
		);
		const [items] = trigger.executions;
		expect(items.map((item) => [item.json.extensionId, item.json.error !== undefined])).toEqual([
			['..', true],
			['~', true],
			['100002', false],
		]);
		expect(items[1].json.extension).toBeUndefined();
		expect(fake.server.requestsFor('readExtension').map((request) => request.path)).toEqual([
			'/restapi/v1.0/account/~/extension/100002',
		]);
	});

	test('a record whose read fails past the retries (5xx) becomes an item with the error', async () => {
		const trigger = await activeTrigger();
		fake.server.injectFault({
			kind: 'status',
			status: 503,
			times: 4,
			match: { operationId: 'readExtension' },
		});
		await deliver(
			trigger,
			change(trigger, 'five-hundred', [{ extensionId: '100002', eventType: 'Update' }]),
		);
		const [[item]] = trigger.executions;
		expect(item.json).toMatchObject({ event: 'updated', extensionId: '100002' });
		expect(item.json.error).toMatch(/HTTP 503/);
	});

	test('the same extension listed 50 times is read once and gives one item', async () => {
		const trigger = await activeTrigger();
		const entries = Array.from({ length: 50 }, () => ({
			extensionId: '100002',
			eventType: 'Update',
		}));
		await deliver(trigger, change(trigger, 'fifty', entries));
		expect(trigger.executions[0]).toHaveLength(1);
		expect(fake.server.requestsFor('readExtension')).toHaveLength(1);
	});
});

describe('RingCentral Extensions Trigger: a subscription whose create answer was lost', () => {
	test('is found and removed on the next activation, so only one is left', async () => {
		harness = await TriggerHarness.start({
			parameters: {
				authentication: 'accessToken',
				accountId: '~',
				events: ['created'],
				includeDetails: true,
			},
			credential: accessTokenCredential(fake.server),
		});
		fake.server.injectFault({
			kind: 'dropAfterProcessing',
			match: { operationId: 'createSubscription' },
		});
		await expect(harness.activate()).rejects.toThrow();
		expect(fake.server.state.subscriptions.size).toBe(1);
		const [lost] = fake.server.state.subscriptions.keys();

		await harness.activate();
		expect(fake.server.state.subscriptions.size).toBe(1);
		expect(fake.server.state.subscriptions.has(lost)).toBe(false);
		expect(harness.staticData.subscriptionId).toBe([...fake.server.state.subscriptions.keys()][0]);
	});
});
