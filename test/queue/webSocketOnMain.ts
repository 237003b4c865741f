/**
 * Queue mode and the WebSocket trigger: n8n runs `trigger()` on the main process only, so only
 * main may hold the gateway connection; the executions it starts run on the workers. Checked on
 * the running queue deployment: the WebSocket example is created through the editor's REST API
 * and published; in all, the fake's gateway sees one connection (workers never connect), a
 * created extension starts one execution that a worker runs, and unpublishing deletes the
 * subscription and closes the socket.
 */
import type { FakeRingCentral } from '../e2e/lib/fake';
import type { N8nServer } from '../e2e/lib/n8nServer';
import { waitFor } from '../e2e/lib/checks';
import { E2EFailure, log } from '../e2e/lib/process';
import { webSocketWorkflow } from '../e2e/webSocketTriggerScenario';

interface QueueDeployment {
	server: N8nServer;
	workers: Array<{ name: string; background: { output(): string } }>;
}

/** Problems found (none: the connection lived on main only); never throws for a failed check. */
export async function webSocketOnMainOnly(
	deployment: QueueDeployment,
	fake: FakeRingCentral,
): Promise<string[]> {
	const { server, workers } = deployment;
	const problems: string[] = [];
	try {
		const { workflow } = webSocketWorkflow('unused', 'jwt', ['created']);
		const { id: _id, ...body } = workflow as Record<string, unknown>;
		const created = await server.rest<{ id: string }>('POST', '/workflows', body);
		const connectionsBefore = (await fake.gateway()).connections.length;
		await server.publish(created.id);
		await waitFor(
			'the WebSocket workflow to subscribe',
			() => fake.gateway(),
			(gateway) => gateway.subscriptions.length === 1 && gateway.openConnections === 1,
		);
		const extension = await fake.apiPost<{ id: number }>('/restapi/v1.0/account/~/extension', {
			contact: { firstName: 'Quinn', email: `quinn.${Date.now()}@queue.example.com` },
		});
		const [execution] = await waitFor(
			'the execution the created extension starts',
			() => server.executionSummaries(created.id),
			(list) => list.length >= 1 && ['success', 'error', 'crashed'].includes(list[0].status),
		);
		const ranOn = workers.find((worker) =>
			new RegExp(`Worker started execution ${execution.id} \\(`).test(worker.background.output()),
		);
		await server.unpublish(created.id);
		const after = await waitFor(
			'the subscription to be deleted and the socket closed',
			() => fake.gateway(),
			(gateway) => gateway.openConnections === 0 && gateway.subscriptions.length === 0,
		);
		const connections = after.connections.length - connectionsBefore;
		const executions = await server.executionSummaries(created.id);
		if (connections !== 1)
			problems.push(
				`WebSocket trigger: ${connections} gateway connections for one published workflow and ${workers.length} workers (only main may connect)`,
			);
		if (execution.status !== 'success' || executions.length !== 1)
			problems.push(
				`WebSocket trigger: extension ${extension.id} started ${executions.length} execution(s), the first ${execution.status}`,
			);
		if (!ranOn) problems.push(`WebSocket trigger: execution ${execution.id} ran on no worker`);
		log(
			`queue mode, WebSocket trigger: ${connections} gateway connection(s) with main and ${workers.length} workers; extension ${extension.id} ran once on ${ranOn?.name ?? 'no worker'}; unpublished, socket closed`,
		);
	} catch (error) {
		if (!(error instanceof E2EFailure)) throw error;
		problems.push(`WebSocket trigger: ${error.message}`);
	}
	return problems;
}
