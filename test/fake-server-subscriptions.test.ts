import { createServer, type IncomingHttpHeaders, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';

import {
	startFakeRingCentral,
	type DeliveryRecord,
	type FakeRingCentral,
	type SubscriptionRecord,
} from './fake-server';
import { sharedValidator } from './fake-server/validator';

const BEARER = { Authorization: 'Bearer test-access-token' };
const JSON_TYPE = { 'Content-Type': 'application/json' };
const EXTENSION_FILTER = '/restapi/v1.0/account/~/extension';

interface Received {
	headers: IncomingHttpHeaders;
	body: string;
}

/** An address RingCentral can post to; it echoes the Validation-Token unless told otherwise. */
class Receiver {
	readonly received: Received[] = [];
	echo = true;
	private server!: Server;
	url = '';

	async start(): Promise<void> {
		this.server = createServer((request, response) => {
			const chunks: Buffer[] = [];
			request.on('data', (chunk: Buffer) => chunks.push(chunk));
			request.on('end', () => {
				this.received.push({ headers: request.headers, body: Buffer.concat(chunks).toString() });
				const token = request.headers['validation-token'];
				response.writeHead(200, this.echo && token ? { 'Validation-Token': String(token) } : {});
				response.end();
			});
		});
		await new Promise<void>((resolve) => this.server.listen(0, '127.0.0.1', resolve));
		this.url = `http://127.0.0.1:${(this.server.address() as AddressInfo).port}/hook`;
	}

	// eslint-disable-next-line @typescript-eslint/no-explicit-any -- notifications are read field by field
	deliveries(): Array<{ headers: IncomingHttpHeaders; payload: any }> {
		return this.received
			.filter((entry) => entry.headers['validation-token'] === undefined)
			.map((entry) => ({ headers: entry.headers, payload: JSON.parse(entry.body) }));
	}

	close(): Promise<void> {
		return new Promise((resolve) => this.server.close(() => resolve()));
	}
}

async function call(fake: FakeRingCentral, method: string, path: string, body?: unknown) {
	const response = await fetch(`${fake.url}${path}`, {
		method,
		headers: { ...BEARER, ...(body !== undefined && JSON_TYPE) },
		body: body === undefined ? undefined : JSON.stringify(body),
	});
	const text = await response.text();
	// eslint-disable-next-line @typescript-eslint/no-explicit-any
	return { status: response.status, body: (text ? JSON.parse(text) : undefined) as any };
}

function subscribe(fake: FakeRingCentral, address: string, verificationToken = 'secret-1') {
	return call(fake, 'POST', '/restapi/v1.0/subscription', {
		eventFilters: [EXTENSION_FILTER],
		deliveryMode: { transportType: 'WebHook', address, verificationToken },
		expiresIn: 315360000,
	});
}

describe('fake RingCentral: webhook subscriptions', () => {
	let fake: FakeRingCentral;
	let receiver: Receiver;

	beforeEach(async () => {
		fake = await startFakeRingCentral({ seedExtensions: 3, task: { completeAfterPolls: 1 } });
		receiver = new Receiver();
		await receiver.start();
	});

	afterEach(async () => {
		await fake.deliveriesSettled();
		const violations = fake.violations;
		await fake.close();
		await receiver.close();
		expect(violations).toEqual([]);
	});

	test('create sends the validation request first and answers a SubscriptionInfo without the secret', async () => {
		const answer = await subscribe(fake, receiver.url);
		expect(answer.status).toBe(200);
		expect(receiver.received).toHaveLength(1);
		expect(receiver.received[0].headers['validation-token']).toMatch(/^[0-9a-f]{32}$/);
		expect(answer.body).toMatchObject({
			status: 'Active',
			eventFilters: ['/restapi/v1.0/account/400000001/extension'],
			deliveryMode: { transportType: 'WebHook', address: receiver.url, encryption: false },
		});
		expect(answer.body.id.length).toBeLessThanOrEqual(20);
		expect(answer.body.expiresIn).toBe(315360000);
		expect(JSON.stringify(answer.body)).not.toContain('secret-1');
		expect(
			sharedValidator().validateResponse('createSubscription', answer.status, answer.body),
		).toEqual([]);
	});

	test('an address that does not echo the Validation-Token gets no subscription', async () => {
		receiver.echo = false;
		const answer = await subscribe(fake, receiver.url);
		expect(answer.status).toBe(400);
		expect(answer.body.errorCode).toBe('SUB-523');
		expect(answer.body.message).toContain('did not echo the Validation-Token');
		expect(fake.state.subscriptions.size).toBe(0);
	});

	test('read, list, update, renew, delete; an expired subscription is gone', async () => {
		const { id } = (await subscribe(fake, receiver.url)).body;
		expect((await call(fake, 'GET', `/restapi/v1.0/subscription/${id}`)).body.id).toBe(id);
		expect((await call(fake, 'GET', '/restapi/v1.0/subscription')).body.records).toHaveLength(1);
		const updated = await call(fake, 'PUT', `/restapi/v1.0/subscription/${id}`, {
			eventFilters: [EXTENSION_FILTER],
			expiresIn: 600,
		});
		expect(updated.body.expiresIn).toBe(600);
		const renewed = await call(fake, 'POST', `/restapi/v1.0/subscription/${id}/renew`);
		expect(renewed.status).toBe(200);
		fake.expireSubscription(id);
		expect((await call(fake, 'GET', `/restapi/v1.0/subscription/${id}`)).status).toBe(404);

		const second = (await subscribe(fake, receiver.url)).body.id;
		expect((await call(fake, 'DELETE', `/restapi/v1.0/subscription/${second}`)).status).toBe(204);
		expect((await call(fake, 'DELETE', `/restapi/v1.0/subscription/${second}`)).status).toBe(404);
	});

	test('creating an extension and a completed bulk update notify the subscriber, with its Verification-Token', async () => {
		const { id: subscriptionId } = (await subscribe(fake, receiver.url)).body;
		const created = await call(fake, 'POST', '/restapi/v1.0/account/~/extension', {
			contact: { firstName: 'Nia', email: 'nia@example.com' },
		});
		const task = await call(fake, 'POST', '/restapi/v1.0/account/~/extension-bulk-update', {
			records: [{ id: '100002', contact: { department: 'Ops' } }],
		});
		await call(fake, 'GET', `/restapi/v1.0/account/~/extension-bulk-update/tasks/${task.body.id}`);
		await fake.deliveriesSettled();

		const deliveries = receiver.deliveries();
		expect(deliveries.map((delivery) => delivery.payload.body)).toEqual([
			{ extensionId: String(created.body.id), eventType: 'Create', ownerId: '100001' },
			{ extensionId: '100002', eventType: 'Update', ownerId: '100001' },
		]);
		for (const delivery of deliveries) {
			expect(delivery.headers['verification-token']).toBe('secret-1');
			expect(delivery.payload).toMatchObject({
				event: '/restapi/v1.0/account/400000001/extension',
				subscriptionId,
			});
			expect(delivery.payload.uuid).toMatch(/^[0-9a-f-]{36}$/);
		}
		expect(fake.deliveries.map((delivery) => delivery.status)).toEqual([200, 200]);
	});

	test('updating and deleting one extension notify the subscriber', async () => {
		await subscribe(fake, receiver.url);
		const put = await call(fake, 'PUT', '/restapi/v1.0/account/~/extension/100002', {
			contact: { department: 'Ops' },
		});
		expect(put.status).toBe(200);
		const removed = await call(fake, 'DELETE', '/restapi/v1.0/account/~/extension/100003');
		expect(removed.status).toBe(204);
		await fake.deliveriesSettled();
		expect(receiver.deliveries().map((delivery) => delivery.payload.body)).toEqual([
			{ extensionId: '100002', eventType: 'Update', ownerId: '100001' },
			{ extensionId: '100003', eventType: 'Delete', ownerId: '100001' },
		]);
	});

	test("the docs' body shape, a redelivery with the same uuid, and no delivery after delete", async () => {
		fake.setEventBodyShape('docs');
		const { id } = (await subscribe(fake, receiver.url)).body;
		fake.emitExtensionEvent('Update', 100003);
		await fake.deliveriesSettled();
		const [first] = fake.deliveries;
		expect(first.payload.body).toEqual({
			extensions: [{ extensionId: '100003', eventType: 'Update', hints: ['ExtensionInfo'] }],
		});
		expect(fake.redeliver(first.uuid)).toBe(true);
		await fake.deliveriesSettled();
		expect(receiver.deliveries().map((delivery) => delivery.payload.uuid)).toEqual([
			first.uuid,
			first.uuid,
		]);

		await call(fake, 'DELETE', `/restapi/v1.0/subscription/${id}`);
		fake.emitExtensionEvent('Delete', 100003);
		await fake.deliveriesSettled();
		expect(receiver.deliveries()).toHaveLength(2);
	});

	test('admin endpoints list subscriptions and deliveries and emit events', async () => {
		await subscribe(fake, receiver.url);
		const admin = (method: string, path: string, body?: unknown) =>
			fetch(`${fake.url}/__admin/${path}`, {
				method,
				body: body === undefined ? undefined : JSON.stringify(body),
			}).then((response) => response.json());
		await admin('POST', 'emit-event', { eventType: 'Delete', extensionId: '100002' });
		await admin('POST', 'deliveries-settled');
		const deliveries = (await admin('GET', 'deliveries')) as DeliveryRecord[];
		expect(deliveries).toHaveLength(1);
		expect(deliveries[0].payload.body).toMatchObject({ eventType: 'Delete' });
		const [subscription] = (await admin('GET', 'subscriptions')) as SubscriptionRecord[];
		expect(subscription.address).toBe(receiver.url);
	});
});
