// The workflows in examples/ run here, whole, through n8n-core's WorkflowExecute against the fake
// RingCentral server. n8n's own nodes in them (Manual Trigger, Edit Fields, Merge, ...) are played by
// the stand-ins in test/harness/standIns; the e2e suite runs the same files in a real n8n.
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';

import {
	NodeHelpers,
	type IBinaryData,
	type IDataObject,
	type INode,
	type INodeProperties,
	type INodeTypeDescription,
} from 'n8n-workflow';

import type { ExtensionRecord, FakeRingCentral, RecordedRequest } from './fake-server';
import {
	RING_CENTRAL_NODE_TYPE,
	RING_CENTRAL_TRIGGER_TYPE,
	runWorkflow,
	TriggerHarness,
	WEBSOCKET_TRIGGER_NODE_TYPE,
	WebSocketTriggerHarness,
	workflowNodeTypes,
	type WorkflowJson,
} from './harness';
import { accessTokenCredential, jwtCredential, useFakeRingCentral } from './support/setup';

const EXAMPLES_DIR = join(__dirname, '..', 'examples');
const EXTENSIONS_PATH = '/restapi/v1.0/account/~/extension';
const BULK_UPDATE_PATH = '/restapi/v1.0/account/~/extension-bulk-update';

function loadExample(file: string): WorkflowJson {
	return JSON.parse(readFileSync(join(EXAMPLES_DIR, file), 'utf8')) as WorkflowJson;
}

const exampleFiles = readdirSync(EXAMPLES_DIR).filter((file) => file.endsWith('.json'));

function nodeNamed(workflow: WorkflowJson, name: string): INode {
	const node = workflow.nodes.find((candidate) => candidate.name === name);
	if (!node) throw new Error(`No node "${name}" in ${workflow.name}`);
	return node;
}

function descriptionOf(node: INode): INodeTypeDescription {
	return workflowNodeTypes.getByNameAndVersion(node.type, node.typeVersion).description;
}

function requestsTo(server: FakeRingCentral, method: string, path: string): RecordedRequest[] {
	return server.requests.filter((request) => request.method === method && request.path === path);
}

function jsonOf(items: Array<{ json: IDataObject }>): IDataObject[] {
	return items.map((item) => item.json);
}

// The action node's operations that change the account; the examples may hold only those with a preview.
const WRITING_OPERATIONS = ['create', 'createOrUpdate', 'update', 'delete', 'bulkUpdate'];

describe('every example', () => {
	test('there are examples for onboarding, offboarding, the nightly export and the trigger', () => {
		expect(exampleFiles.sort()).toEqual([
			'extension-created-trigger.json',
			'extension-created-websocket-trigger.json',
			'nightly-extension-export.json',
			'offboard-leavers.json',
			'onboard-new-hires.json',
		]);
	});

	describe.each(exampleFiles)('%s', (file) => {
		const workflow = loadExample(file);
		const names = workflow.nodes.map((node) => node.name);

		test('is an n8n workflow export: named, v1 execution order, unique node names and ids', () => {
			expect(workflow.name).toMatch(/^RingCentral: /);
			expect(workflow.settings).toEqual(expect.objectContaining({ executionOrder: 'v1' }));
			expect(new Set(names).size).toBe(names.length);
			const ids = workflow.nodes.map((node) => node.id);
			expect(new Set(ids).size).toBe(ids.length);
			for (const id of ids)
				expect(id).toMatch(/^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/);
		});

		test('every connection joins two nodes of the workflow', () => {
			for (const [source, outputs] of Object.entries(workflow.connections)) {
				expect(names).toContain(source);
				for (const target of Object.values(outputs).flat(2)) expect(names).toContain(target!.node);
			}
		});

		test('uses only our node and known n8n core nodes, at versions they have, and no Code node', () => {
			for (const node of workflow.nodes) {
				const type = workflowNodeTypes.getByNameAndVersion(node.type, node.typeVersion);
				expect({ node: node.name, known: type !== undefined }).toEqual({
					node: node.name,
					known: true,
				});
				expect([type.description.version].flat()).toContain(node.typeVersion);
			}
		});

		test('has a Manual Trigger, so it can be run from the editor and by `n8n execute`, or else starts from the RingCentral trigger', () => {
			const starts = workflow.nodes.filter((node) =>
				[
					'n8n-nodes-base.manualTrigger',
					RING_CENTRAL_TRIGGER_TYPE,
					WEBSOCKET_TRIGGER_NODE_TYPE,
				].includes(node.type),
			);
			expect(starts).toHaveLength(1);
		});

		test('RingCentral nodes: version 1, the credential their authentication picks, and only parameters the node shows for their operation', () => {
			const ringCentralNodes = workflow.nodes.filter((node) =>
				[RING_CENTRAL_NODE_TYPE, RING_CENTRAL_TRIGGER_TYPE, WEBSOCKET_TRIGGER_NODE_TYPE].includes(
					node.type,
				),
			);
			expect(ringCentralNodes.length).toBeGreaterThan(0);
			for (const node of ringCentralNodes) {
				expect(node.typeVersion).toBe(1);
				expect(node.credentials).toEqual(
					node.parameters.authentication === 'jwt'
						? { ringCentralJwtApi: { id: expect.any(String), name: 'RingCentral JWT' } }
						: {
								ringCentralAccessTokenApi: { id: expect.any(String), name: 'RingCentral account' },
							},
				);
				const description = descriptionOf(node);
				const shown = NodeHelpers.getNodeParameters(
					description.properties,
					node.parameters,
					true,
					false,
					node,
					description,
				)!;
				for (const [name, value] of Object.entries(node.parameters)) {
					expect({ node: node.name, parameter: name, shown: name in shown }).toEqual({
						node: node.name,
						parameter: name,
						shown: true,
					});
					const property = description.properties.find(
						(candidate) =>
							candidate.name === name && candidate.type === 'collection' && name in shown,
					);
					const optionNames = ((property?.options ?? []) as INodeProperties[]).map(
						(option) => option.name,
					);
					if (property)
						for (const key of Object.keys(value as IDataObject)) expect(optionNames).toContain(key);
				}
			}
		});

		test('a node that writes opens with Preview Only on, and the sticky note says how to switch it off', () => {
			const writing = workflow.nodes.filter(
				(node) =>
					node.type === RING_CENTRAL_NODE_TYPE &&
					WRITING_OPERATIONS.includes(String(node.parameters.operation)),
			);
			const [note] = workflow.nodes.filter((node) => node.type === 'n8n-nodes-base.stickyNote');
			for (const node of writing) {
				expect({ node: node.name, dryRun: node.parameters.dryRun }).toEqual({
					node: node.name,
					dryRun: true,
				});
				expect(String(note.parameters.content)).toContain(
					`open **${node.name}**, switch *Preview Only (Dry Run)* off`,
				);
			}
		});

		test('sticky notes name (in bold) only nodes that exist', () => {
			const notes = workflow.nodes.filter((node) => node.type === 'n8n-nodes-base.stickyNote');
			expect(notes).toHaveLength(1);
			const bold = [...String(notes[0].parameters.content).matchAll(/\*\*([^*]+)\*\*/g)].map(
				(match) => match[1],
			);
			expect(bold.length).toBeGreaterThan(0);
			for (const name of bold) expect(names).toContain(name);
		});
	});
});

const WRITE_OPERATIONS = ['createExtension', 'updateExtension', 'extensionBulkUpdate'];

function writesTo(server: FakeRingCentral): RecordedRequest[] {
	return server.requests.filter((request) => WRITE_OPERATIONS.includes(request.operationId ?? ''));
}

/** The example with parameters of one node changed, as a user would before a run. */
function withParameters(workflow: WorkflowJson, nodeName: string, parameters: IDataObject) {
	return {
		...workflow,
		nodes: workflow.nodes.map((node) =>
			node.name === nodeName
				? { ...node, parameters: { ...node.parameters, ...parameters } }
				: node,
		),
	} as WorkflowJson;
}

describe('onboard-new-hires.json: the nightly sync', () => {
	const workflow = loadExample('onboard-new-hires.json');
	const NODE = 'Create or update users';
	const HIRES = [
		'ana.silva@example.com',
		'ben.okafor@example.com',
		'chloe.martin@example.com',
		'dev.patel@example.com',
	];
	const run = (server: FakeRingCentral, changes: IDataObject = {}) =>
		runWorkflow({
			workflow: withParameters(workflow, NODE, changes),
			credentials: [jwtCredential(server)],
		});

	/** The users in the default scope (Enabled or Not Activated) but the signed-in admin. */
	const othersInScope = (server: FakeRingCentral) =>
		server.state.extensions.filter(
			({ id, type, status }) =>
				id !== 100001 && type === 'User' && ['Enabled', 'NotActivated'].includes(status),
		);

	test('scheduled and on demand, HR rows → one Create or Update that disables leavers, JWT, Preview Only on', () => {
		const working = workflow.nodes.filter((node) => node.type !== 'n8n-nodes-base.stickyNote');
		expect(working.map((node) => node.name)).toEqual([
			'Every night at 02:00',
			'Run now',
			'HR list (sample rows)',
			'One item per row',
			NODE,
		]);
		expect(nodeNamed(workflow, 'Every night at 02:00').parameters.rule).toEqual({
			interval: [{ triggerAtHour: 2 }],
		});
		expect(nodeNamed(workflow, NODE).parameters).toMatchObject({
			authentication: 'jwt',
			operation: 'createOrUpdate',
			missingExtensions: 'disable',
			maxDisable: 10,
			dryRun: true,
		});
	});

	describe('as imported, on an account with more than one page of extensions', () => {
		const fake = useFakeRingCentral({ seedExtensions: 1001 });

		test('it previews: the hires created, the one who changed updated, every leaver disabled; nothing written', async () => {
			// Ben already has an extension, on the second page, stored with different capitals.
			const ben = fake.server.state.extensions[1000];
			ben.contact = {
				...ben.contact,
				firstName: 'Ben',
				lastName: 'Okafor',
				email: 'BEN.OKAFOR@example.com',
			};

			const result = await runWorkflow({ workflow, credentials: [jwtCredential(fake.server)] });

			expect(result.error).toBeUndefined();
			expect(writesTo(fake.server)).toEqual([]);
			// One page of the scope (it finds Ben), then one filtered request for the other three.
			const lists = requestsTo(fake.server, 'GET', EXTENSIONS_PATH);
			expect(lists.map(({ query }) => query.email ?? query.type)).toEqual([
				['User'],
				HIRES.filter((email) => !email.startsWith('ben')),
			]);
			const output = jsonOf(result.outputOf(NODE));
			expect(output.slice(0, 4).map(({ action }) => action)).toEqual([
				'created',
				'updated',
				'created',
				'created',
			]);
			expect(output[1].changes).toEqual({
				'contact.department': { from: expect.any(String), to: 'Support' },
				'contact.jobTitle': { from: 'Specialist', to: 'Support Engineer' },
			});
			const leavers = othersInScope(fake.server).filter(({ id }) => id !== ben.id);
			expect(output.slice(4).map(({ extension }) => (extension as IDataObject).id)).toEqual(
				leavers.map(({ id }) => id),
			);
			expect(output.slice(4).every(({ action, dryRun }) => action === 'disabled' && dryRun)).toBe(
				true,
			);
		});
	});

	describe('run for real, where the sample rows are not the whole list', () => {
		const fake = useFakeRingCentral({ seedExtensions: 30 });

		test('more than Max Disable (10) would be disabled: refused, nothing written', async () => {
			const result = await run(fake.server, { dryRun: false });
			expect(result.error?.message).toMatch(
				/^Nothing was written: 11 extensions would be disabled, more than Max Disable \(10\)/,
			);
			expect(writesTo(fake.server)).toEqual([]);
		});
	});

	describe('run twice, after the preview', () => {
		const fake = useFakeRingCentral({ seedExtensions: 12 });

		test('the run creates the four hires and disables the five leavers; the second run writes nothing', async () => {
			const leavers = othersInScope(fake.server);
			expect(leavers).toHaveLength(5);
			const preview = await run(fake.server);
			expect(writesTo(fake.server)).toEqual([]);
			expect(jsonOf(preview.outputOf(NODE)).map(({ action }) => action)).toEqual([
				...Array(4).fill('created'),
				...Array(5).fill('disabled'),
			]);

			const first = await run(fake.server, { dryRun: false });
			expect(first.error).toBeUndefined();
			expect(requestsTo(fake.server, 'POST', EXTENSIONS_PATH)).toHaveLength(4);
			expect(leavers.every(({ status }) => status === 'Disabled')).toBe(true);
			expect(jsonOf(first.outputOf(NODE)).map(({ action }) => action)).toEqual([
				...Array(4).fill('created'),
				...Array(5).fill('disabled'),
			]);

			fake.server.reset();
			const second = await run(fake.server, { dryRun: false });
			expect(second.error).toBeUndefined();
			expect(writesTo(fake.server)).toEqual([]);
			expect(jsonOf(second.outputOf(NODE)).map(({ action }) => action)).toEqual(
				Array(4).fill('unchanged'),
			);
		});
	});
});

describe('offboard-leavers.json', () => {
	const fake = useFakeRingCentral({ seedExtensions: 30, task: { completeAfterPolls: 1 } });
	const NODE = 'Disable leavers (bulk update)';
	const asImported = loadExample('offboard-leavers.json');
	// What a user runs after the preview (Preview Only off); the fake finishes a task on its first poll.
	const workflow = withParameters(asImported, NODE, { pollInterval: 1, dryRun: false });
	const run = (changes: IDataObject = {}) =>
		runWorkflow({
			workflow: withParameters(workflow, NODE, changes),
			credentials: [accessTokenCredential(fake.server)],
		});

	/** Gives two seeded users the sample leavers' addresses; the third leaver has no extension. */
	function leaverExtensions(): ExtensionRecord[] {
		const users = fake.server.state.extensions.filter(
			(extension) => extension.type === 'User' && extension.status === 'Enabled',
		);
		users[1].contact.email = 'chloe.martin@example.com';
		users[2].contact.email = 'DEV.PATEL@example.com';
		return [users[1], users[2]];
	}

	test('leavers → Bulk Update matched on email: three nodes (and the sticky note)', () => {
		expect(
			workflow.nodes
				.filter((node) => node.type !== 'n8n-nodes-base.stickyNote')
				.map(({ name }) => name),
		).toEqual(['When clicking ‘Execute workflow’', 'Leavers (sample rows)', NODE]);
	});

	test('one list request, one bulk update; a leaver without an extension is an error item, the others are disabled', async () => {
		const [chloe, dev] = leaverExtensions();
		const statusesBefore = fake.server.state.extensions.map((extension) => extension.status);

		const result = await run();

		expect(result.error).toBeUndefined();
		expect(requestsTo(fake.server, 'GET', EXTENSIONS_PATH).map(({ query }) => query.email)).toEqual(
			[['chloe.martin@example.com', 'dev.patel@example.com', 'former.contractor@example.com']],
		);
		expect(
			requestsTo(fake.server, 'POST', BULK_UPDATE_PATH).map((request) => request.body),
		).toEqual([
			{
				records: [
					{ status: 'Disabled', id: String(chloe.id) },
					{ status: 'Disabled', id: String(dev.id) },
				],
			},
		]);
		const taskId = [...fake.server.state.tasks.keys()][0];
		// In the sheet's order, each with the email it was matched by; the error names its record.
		expect(jsonOf(result.outputOf(NODE))).toEqual([
			{
				taskId,
				extensionId: String(chloe.id),
				email: 'chloe.martin@example.com',
				status: 'Success',
				errors: [],
			},
			{
				taskId,
				extensionId: String(dev.id),
				email: 'dev.patel@example.com',
				status: 'Success',
				errors: [],
			},
			{
				error:
					'Item 0, parameter "records[2]": no extension has the email "former.contractor@example.com"',
				email: 'former.contractor@example.com',
				outcome: 'notWritten',
			},
		]);
		const changed = fake.server.state.extensions.filter(
			(extension, index) => extension.status !== statusesBefore[index],
		);
		expect(changed.map(({ id, status }) => ({ id, status }))).toEqual([
			{ id: chloe.id, status: 'Disabled' },
			{ id: dev.id, status: 'Disabled' },
		]);
	});

	test("as imported, it previews: no update, each leaver's status now and after", async () => {
		const [chloe] = leaverExtensions();
		const result = await runWorkflow({
			workflow: withParameters(asImported, NODE, { pollInterval: 1 }),
			credentials: [accessTokenCredential(fake.server)],
		});
		expect(result.error).toBeUndefined();
		expect(writesTo(fake.server)).toEqual([]);
		expect(jsonOf(result.outputOf(NODE))[0]).toEqual({
			extensionId: String(chloe.id),
			email: 'chloe.martin@example.com',
			name: chloe.name,
			changes: { status: { from: 'Enabled', to: 'Disabled' } },
			dryRun: true,
		});
	});

	test('after the onboarding example, it disables two of the sample hires again', async () => {
		// The nightly sync as it would run with this account's users on the list: only the hires.
		const onboarding = await runWorkflow({
			workflow: withParameters(loadExample('onboard-new-hires.json'), 'Create or update users', {
				dryRun: false,
				missingExtensions: 'keep',
			}),
			credentials: [jwtCredential(fake.server)],
		});
		expect(onboarding.error).toBeUndefined();

		const result = await run();

		expect(result.error).toBeUndefined();
		const hires = fake.server.state.extensions.filter(
			(extension) =>
				extension.contact.email?.toLowerCase().endsWith('@example.com') &&
				!/^user\d+@/.test(extension.contact.email),
		);
		expect(hires.map(({ name, status }) => ({ name, status }))).toEqual([
			{ name: 'Ana Silva', status: 'NotActivated' },
			{ name: 'Ben Okafor', status: 'NotActivated' },
			{ name: 'Chloé Martin', status: 'Disabled' },
			{ name: 'Dev Patel', status: 'Disabled' },
		]);
	});

	test('a bulk-update task that fails as a whole gives an error item naming the task', async () => {
		leaverExtensions();
		fake.server.failNextTask([{ errorCode: 'CMN-500', message: 'Bulk update task failed' }]);

		const result = await run();

		const taskId = [...fake.server.state.tasks.keys()][0];
		expect(jsonOf(result.outputOf(NODE))).toContainEqual(
			expect.objectContaining({
				error: `Bulk-update task ${taskId} failed: CMN-500 Bulk update task failed`,
			}),
		);
	});
});

describe('nightly-extension-export.json', () => {
	// Few extensions: Edit Fields evaluates ten expressions per row, which is slow in tests.
	// Paging through a large account is covered by the onboarding example and the getAll tests.
	const fake = useFakeRingCentral({ seedExtensions: 30 });
	const workflow = loadExample('nightly-extension-export.json');
	const header = 'id,extensionNumber,name,type,status,email,department,jobTitle,site,createdAt';

	function csvOf(binary: IBinaryData): string[] {
		return Buffer.from(binary.data, 'base64').toString('utf8').split('\n');
	}

	test('signs in with JWT, as a scheduled workflow must (an access token expires within the hour)', () => {
		expect(nodeNamed(workflow, 'List all extensions').parameters.authentication).toBe('jwt');
	});

	test('is scheduled nightly at 02:00', () => {
		expect(nodeNamed(workflow, 'Every night at 02:00').parameters.rule).toEqual({
			interval: [{ triggerAtHour: 2 }],
		});
	});

	test.each(['Every night at 02:00', 'Run now'])(
		'started by "%s", lists every extension and writes one CSV row per extension',
		async (startNode) => {
			fake.server.state.extensions[0].site = { id: '5001', name: 'Head Office' };

			const result = await runWorkflow({
				workflow,
				startNode,
				credentials: [jwtCredential(fake.server)],
			});

			expect(result.error).toBeUndefined();
			expect(
				requestsTo(fake.server, 'GET', EXTENSIONS_PATH).map((request) => request.rawQuery),
			).toEqual(['page=1&perPage=1000']);
			expect(result.outputOf('Export columns')).toHaveLength(30);
			const [file] = result.outputOf('Convert to CSV');
			const csv = file.binary!.data;
			expect(csv.fileName).toMatch(/^ringcentral-extensions-\d{4}-\d{2}-\d{2}\.csv$/);
			expect(csv.mimeType).toBe('text/csv');
			const lines = csvOf(csv);
			expect(lines).toHaveLength(31);
			expect(lines[0]).toBe(header);
			expect(lines[1]).toBe(
				'100001,101,Alice Smith,User,Enabled,user1@example.com,Sales,Specialist,Head Office,2024-01-15T09:00:00.000Z',
			);
			// A call queue has no job title and no site: empty cells, the columns stay aligned.
			expect(lines[4]).toBe(
				'100004,104,Department 4,Department,NotActivated,user4@example.com,Finance,,,2024-01-15T12:00:00.000Z',
			);
		},
	);
});

describe('extension-created-trigger.json', () => {
	const workflow = loadExample('extension-created-trigger.json');
	const fake = useFakeRingCentral({ seedExtensions: 3 });
	let trigger: TriggerHarness | undefined;
	afterEach(async () => {
		await fake.server.deliveriesSettled();
		await trigger?.idle();
		await trigger?.close();
	});

	test('a user created in the account becomes a laptop ticket with their name, number and email', async () => {
		const triggerNode = nodeNamed(workflow, 'New extension');
		const credential = jwtCredential(fake.server);
		trigger = await TriggerHarness.start({ parameters: triggerNode.parameters, credential });
		await trigger.activate();
		await fetch(`${fake.server.url}${EXTENSIONS_PATH}`, {
			method: 'POST',
			headers: { Authorization: 'Bearer test-access-token', 'Content-Type': 'application/json' },
			body: JSON.stringify({
				contact: {
					firstName: 'Nia',
					lastName: 'Okafor',
					email: 'nia@example.com',
					department: 'Sales',
				},
			}),
		});
		fake.server.emitExtensionEvent('Update', 100002);
		await fake.server.deliveriesSettled();
		await trigger.idle();
		// Only "created" is selected: the update starts nothing.
		expect(trigger.executions).toHaveLength(1);

		const result = await runWorkflow({
			workflow,
			credentials: [credential],
			startNode: 'New extension',
			startItems: trigger.executions[0],
			credentialsHelper: trigger.credentialsHelper,
		});
		expect(result.error).toBeUndefined();
		expect(jsonOf(result.outputOf('Laptop ticket'))).toEqual([
			{
				summary: 'Laptop for Nia Okafor (extension 104)',
				requester: 'nia@example.com',
				department: 'Sales',
				extensionId: '100004',
				createdAt: fake.server.deliveries[0].payload.timestamp,
			},
		]);
	});
});

describe('extension-created-websocket-trigger.json', () => {
	const workflow = loadExample('extension-created-websocket-trigger.json');
	const fake = useFakeRingCentral({ seedExtensions: 3 });
	let trigger: WebSocketTriggerHarness | undefined;
	afterEach(async () => await trigger?.deactivate());

	test('the same laptop ticket as the webhook example, delivered over the WebSocket gateway', async () => {
		const triggerNode = nodeNamed(workflow, 'New extension');
		const credential = jwtCredential(fake.server);
		trigger = new WebSocketTriggerHarness({ parameters: triggerNode.parameters, credential });
		await trigger.activate();
		fake.server.emitExtensionEvent('Update', 100002);
		await fetch(`${fake.server.url}${EXTENSIONS_PATH}`, {
			method: 'POST',
			headers: { Authorization: 'Bearer test-access-token', 'Content-Type': 'application/json' },
			body: JSON.stringify({
				contact: { firstName: 'Nia', lastName: 'Okafor', email: 'nia@example.com' },
			}),
		});
		// Only "created" is selected: the update starts nothing.
		const [items] = await trigger.executions(1);
		const result = await runWorkflow({
			workflow,
			credentials: [credential],
			startNode: 'New extension',
			startItems: items,
			credentialsHelper: trigger.credentialsHelper,
		});
		expect(result.error).toBeUndefined();
		expect(jsonOf(result.outputOf('Laptop ticket'))).toEqual([
			expect.objectContaining({
				summary: 'Laptop for Nia Okafor (extension 104)',
				requester: 'nia@example.com',
				extensionId: '100004',
			}),
		]);
		expect(trigger.emitted).toHaveLength(1);
	});
});
