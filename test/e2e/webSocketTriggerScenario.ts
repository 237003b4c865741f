import { PACKAGE_NAME } from './lib/n8n';
import { withN8nServer, type ExecutionDetails } from './lib/n8nServer';
import { check, outputOf, waitFor } from './lib/checks';
import { log } from './lib/process';
import {
	pointAtCredentials,
	readExample,
	type CredentialReference,
	type WorkflowFile,
} from './lib/repo';
import {
	ACCESS_TOKEN_CREDENTIAL,
	JWT_CREDENTIAL,
	OAUTH2_CREDENTIAL,
	type Scenario,
} from './scenarios';

const WORKFLOW_ID = 'e2eWsTriggerEx01';
/** The same example signed in with OAuth2: record reads go through n8n's OAuth2 helper. */
const OAUTH2_WORKFLOW_ID = 'e2eWsTriggerOA01';
const EXAMPLE = 'extension-created-websocket-trigger.json';
const NODE_TYPE = `${PACKAGE_NAME}.ringCentralExtensionsWebSocketTrigger`;
const EXTENSIONS = '/restapi/v1.0/account/~/extension';

type WorkflowNode = NonNullable<WorkflowFile['nodes']>[number];

/**
 * The WebSocket example as a workflow with its own id, listening to `events` with the e2e
 * credential of `authentication` (`oAuth2`: `credential`, by default the connected OAuth2 one).
 */
export function webSocketWorkflow(
	id: string,
	authentication: 'jwt' | 'oAuth2',
	events: string[],
	credential: CredentialReference = OAUTH2_CREDENTIAL,
): { workflow: WorkflowFile; trigger: WorkflowNode & { parameters: Record<string, unknown> } } {
	const workflow = readExample(EXAMPLE, id);
	const trigger = workflow.nodes?.find((node) => node.type === NODE_TYPE);
	check(trigger?.parameters, `${EXAMPLE} has no RingCentral Extensions WebSocket Trigger`);
	trigger.parameters.authentication = authentication;
	trigger.parameters.events = events;
	pointAtCredentials(workflow, { accessToken: ACCESS_TOKEN_CREDENTIAL, jwt: JWT_CREDENTIAL });
	if (authentication === 'oAuth2') {
		trigger.credentials = { ringCentralOAuth2Api: credential };
		workflow.name = `${String(workflow.name)} (OAuth2)`;
	}
	return { workflow, trigger: trigger as WorkflowNode & { parameters: Record<string, unknown> } };
}

/**
 * The WebSocket trigger in a real n8n (`n8n start`, no inbound route needed): the example,
 * switched to all three events, is published; it connects out to the fake's gateway and
 * subscribes over the socket. Created, updated and deleted extensions each start exactly one
 * execution; a dropped connection is recovered and the event missed meanwhile arrives once;
 * RingCentral's idle close is reconnected; Unpublish deletes the subscription, closes the
 * socket, and nothing reconnects.
 */
export const webSocketTriggerScenario: Scenario = {
	name: 'websocket-trigger',
	workflows: [],
	async run({ n8n, fake }) {
		const { workflow, trigger } = webSocketWorkflow(WORKFLOW_ID, 'jwt', [
			'created',
			'updated',
			'deleted',
		]);
		const { workflow: oauth2Workflow } = webSocketWorkflow(OAUTH2_WORKFLOW_ID, 'oAuth2', [
			'created',
		]);
		await n8n.importWorkflows([workflow, oauth2Workflow], n8n.paths.userFolder);

		await withN8nServer(n8n, async (server) => {
			const finished = async (count: number) =>
				await waitFor(
					`${count} finished execution(s)`,
					() => server.executions(WORKFLOW_ID),
					(list) =>
						list.length >= count && list.every((e) => !['running', 'new'].includes(e.status)),
				);
			const eventsOf = (list: ExecutionDetails[]) =>
				[...list]
					.reverse()
					.map((execution) =>
						outputOf(execution, trigger.name).map(
							(item) => `${String(item.event)}:${String(item.extensionId)}`,
						),
					);
			await server.publish(WORKFLOW_ID);
			const connected = await waitFor(
				'the trigger to subscribe over the WebSocket gateway',
				() => fake.gateway(),
				(gateway) => gateway.subscriptions.length === 1,
			);
			const subscriptionId = connected.subscriptions[0].id;
			check(
				connected.openConnections === 1 && connected.connections.length === 1,
				'publishing did not open exactly one gateway connection',
				connected,
			);
			log(`  published: connected to the gateway, subscription ${subscriptionId}`);

			const stamp = Date.now();
			const created = await fake.apiPost<{ id: number }>(EXTENSIONS, {
				contact: { firstName: 'Wes', lastName: 'Socket', email: `wes.${stamp}@e2e.example.com` },
			});
			const id = String(created.id);
			let executions = await finished(1);
			const [first] = executions;
			check(
				first.status === 'success',
				`the execution ended ${first.status}`,
				first.run.resultData.error,
			);
			const [item] = outputOf(first, trigger.name);
			check(
				item?.event === 'created' &&
					item.extensionId === id &&
					item.subscriptionId === subscriptionId &&
					(item.extension as { id?: number } | undefined)?.id === created.id,
				'the trigger output does not describe the created extension with its record',
				item,
			);
			const [ticket] = outputOf(first, 'Laptop ticket');
			check(
				ticket?.requester === `wes.${stamp}@e2e.example.com`,
				'the Laptop ticket node did not get the extension record',
				ticket,
			);
			log(`  created extension ${id}: execution ${first.id}, ticket "${String(ticket.summary)}"`);

			await fake.apiPost(`${EXTENSIONS}/${id}`, { contact: { department: 'Support' } }, 'PUT');
			executions = await finished(2);
			await fake.apiPost(`${EXTENSIONS}/${id}`, undefined, 'DELETE');
			executions = await finished(3);

			// A dropped connection: the update made while it is down is recovered with the session.
			await fake.gatewayDrop({ eventType: 'Update', extensionId: '100002' });
			const recovered = await waitFor(
				'the trigger to reconnect after the drop',
				() => fake.gateway(),
				(gateway) => gateway.connections.length === 2 && gateway.openConnections === 1,
			);
			check(
				recovered.connections[1].recoveryState === 'Successful' && recovered.replayed === 1,
				'the reconnect did not recover the session and its missed event',
				recovered,
			);
			executions = await finished(4);

			// RingCentral's idle close (WSG-902): reconnected, and changes keep arriving.
			await fake.gatewayTimeout('WSG-902');
			await waitFor(
				'the trigger to reconnect after WSG-902',
				() => fake.gateway(),
				(gateway) => gateway.connections.length === 3 && gateway.openConnections === 1,
			);
			await fake.apiPost(EXTENSIONS, {
				contact: { firstName: 'Ida', email: `ida.${stamp}@e2e.example.com` },
			});
			executions = await finished(5);
			// Give a duplicate time to show.
			await new Promise((resolve) => setTimeout(resolve, 2000));
			executions = await server.executions(WORKFLOW_ID);
			const events = eventsOf(executions);
			check(
				events.length === 5 &&
					events[0][0] === `created:${id}` &&
					events[1][0] === `updated:${id}` &&
					events[2][0] === `deleted:${id}` &&
					events[3][0] === 'updated:100002' &&
					events[4][0]?.startsWith('created:') &&
					events.every((list) => list.length === 1),
				'created, updated, deleted, the recovered update and the change after WSG-902 did not each start exactly one execution',
				events,
			);
			check(
				executions.every((execution) => execution.status === 'success'),
				'an execution failed',
				executions.map((execution) => execution.status),
			);
			log(`  executions, oldest first: ${events.map((list) => list.join(',')).join(' | ')}`);

			const beforeUnpublish = await fake.gateway();
			await server.unpublish(WORKFLOW_ID);
			const after = await waitFor(
				'the subscription to be deleted and the socket closed',
				() => fake.gateway(),
				(gateway) => gateway.openConnections === 0 && gateway.deleted.length === 1,
			);
			check(
				after.deleted[0] === beforeUnpublish.subscriptions[0]?.id,
				'unpublishing did not delete the live subscription over the socket',
				{ beforeUnpublish, after },
			);
			await fake.apiPost(EXTENSIONS, {
				contact: { firstName: 'Late', email: `late.${stamp}@e2e.example.com` },
			});
			await new Promise((resolve) => setTimeout(resolve, 3000));
			const quiet = await fake.gateway();
			check(
				quiet.connections.length === after.connections.length && quiet.openConnections === 0,
				'the trigger reconnected after unpublishing',
				quiet,
			);
			check(
				(await server.executions(WORKFLOW_ID)).length === 5,
				'an execution started after unpublishing',
			);
			const tokenRequests = (await fake.requests()).filter(
				(request) => request.operationId === 'authWsToken',
			);
			check(
				tokenRequests.length === 3 && tokenRequests.every((request) => request.status === 200),
				'expected one gateway token per connection (3), each answered 200',
				tokenRequests.map((request) => request.status),
			);
			log('  unpublished: subscription deleted over the socket, socket closed, no reconnect');

			// OAuth2: the record is read after trigger() returned, through n8n's OAuth2 helper.
			await server.publish(OAUTH2_WORKFLOW_ID);
			await waitFor(
				'the OAuth2 workflow to subscribe',
				() => fake.gateway(),
				(gateway) => gateway.subscriptions.length === 1,
			);
			const viaOAuth2 = await fake.apiPost<{ id: number }>(EXTENSIONS, {
				contact: { firstName: 'Oli', email: `oli.${stamp}@e2e.example.com` },
			});
			const [oauth2Execution] = await waitFor(
				"the OAuth2 workflow's execution",
				() => server.executions(OAUTH2_WORKFLOW_ID),
				(list) => list.length >= 1 && !['running', 'new'].includes(list[0].status),
			);
			const [oauth2Item] = outputOf(oauth2Execution, trigger.name);
			check(
				(oauth2Item?.extension as { id?: number } | undefined)?.id === viaOAuth2.id,
				'with OAuth2, the record of the created extension was not read',
				oauth2Item,
			);
			await server.unpublish(OAUTH2_WORKFLOW_ID);
			await waitFor(
				'the OAuth2 workflow to unsubscribe',
				() => fake.gateway(),
				(gateway) => gateway.openConnections === 0 && gateway.deleted.length === 2,
			);
			log(`  OAuth2: extension ${viaOAuth2.id} delivered with its record`);

			// "Listen for test event" (the editor's manual run from the trigger): the first change
			// ends the test run, and the listening stops with it.
			await server.rest('POST', `/workflows/${WORKFLOW_ID}/run`, {
				triggerToStartFrom: { name: trigger.name },
			});
			await waitFor(
				'the test listening to subscribe',
				() => fake.gateway(),
				(gateway) => gateway.subscriptions.length === 1 && gateway.openConnections === 1,
			);
			const tested = await fake.apiPost<{ id: number }>(EXTENSIONS, {
				contact: { firstName: 'Tess', email: `tess.${stamp}@e2e.example.com` },
			});
			const [testRun] = await waitFor(
				'the test execution',
				() => server.executions(WORKFLOW_ID),
				(list) => list.length >= 6 && !['running', 'new'].includes(list[0].status),
			);
			const [testItem] = outputOf(testRun, trigger.name);
			check(
				testRun.status === 'success' &&
					testItem?.event === 'created' &&
					testItem.extensionId === String(tested.id),
				'Listen for test event did not end with the created extension',
				{ status: testRun.status, testItem },
			);
			const ended = await waitFor(
				'the test listening to end',
				() => fake.gateway(),
				(gateway) => gateway.openConnections === 0 && gateway.deleted.length === 3,
			);
			log(
				`  Listen for test event: execution ${testRun.id} with extension ${tested.id}; subscription ${ended.deleted.at(-1)} deleted, socket closed`,
			);
		});
	},
};
