import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';

import { HookContext, WebhookContext } from 'n8n-core';
import {
	deepCopy,
	Workflow,
	type IDataObject,
	type INode,
	type INodeExecutionData,
	type INodeParameters,
	type INodeType,
	type IWebhookData,
	type IWorkflowExecuteAdditionalData,
} from 'n8n-workflow';

import { RingCentralExtensionsTrigger } from '../../nodes/RingCentralExtensionsTrigger/RingCentralExtensionsTrigger.node';
import { readBody } from '../fake-server/http';
import { TestCredentialsHelper } from './credentials';
import { additionalDataFor, publishedTriggerWorkflow, type TestCredential } from './workflow';

export const TRIGGER_NODE_TYPE = 'n8n-nodes-ringcentral-extensions.ringCentralExtensionsTrigger';
const TRIGGER_NAME = 'RingCentral Trigger';
const WEBHOOK_ID = '3f7c2a4e-9b1d-4c6a-8e2f-5a0b1c2d3e4f';

export type LifecycleMethod = 'checkExists' | 'create' | 'delete';

export interface TriggerOptions {
	parameters: INodeParameters;
	credential: TestCredential;
	/** `test`: n8n's "Listen for test event" (the -test URL); default the published workflow. */
	mode?: 'production' | 'test';
}

/** What the harness's webhook endpoint did with one request, as n8n would. */
export interface WebhookCall {
	headers: IncomingMessage['headers'];
	body: unknown;
	/** The items of the execution the request started; undefined when it started none. */
	execution?: INodeExecutionData[];
	error?: Error;
}

/**
 * A published workflow holding only the RingCentral Extensions Trigger, run by n8n-core's own
 * HookContext (the webhook lifecycle) and WebhookContext (`webhook()`), behind a real HTTP
 * endpoint on 127.0.0.1, so RingCentral's validation request and deliveries reach it as they
 * reach n8n's webhook server. Like n8n 2.41, it keeps what `webhook()` wrote to static data only
 * when no execution started.
 */
export class TriggerHarness {
	readonly calls: WebhookCall[] = [];
	private readonly inFlight = new Set<Promise<void>>();
	readonly credentialsHelper = new TestCredentialsHelper();
	readonly workflow: Workflow;
	readonly node: INode;
	private readonly nodeType = new RingCentralExtensionsTrigger();
	private additionalData!: IWorkflowExecuteAdditionalData;
	private webhookData!: IWebhookData;

	private constructor(
		private readonly options: TriggerOptions,
		private readonly server: Server,
		readonly baseUrl: string,
	) {
		({ node: this.node, workflow: this.workflow } = publishedTriggerWorkflow(
			this.nodeType,
			{
				id: 'trigger',
				name: TRIGGER_NAME,
				type: TRIGGER_NODE_TYPE,
				webhookId: WEBHOOK_ID,
				parameters: options.parameters,
			},
			options.credential,
			this.credentialsHelper,
		));
		this.additionalData = {
			...additionalDataFor(this.credentialsHelper, 'trigger-exec'),
			webhookBaseUrl: `${baseUrl}/webhook`,
			webhookTestBaseUrl: `${baseUrl}/webhook-test`,
		} as IWorkflowExecuteAdditionalData;
		this.webhookData = {
			httpMethod: 'POST',
			node: TRIGGER_NAME,
			path: `${WEBHOOK_ID}/webhook`,
			webhookDescription: this.nodeType.description.webhooks![0],
			workflowId: this.workflow.id,
			workflowExecuteAdditionalData: this.additionalData,
			isTest: this.isTest,
		};
		server.on('request', (request, response) => {
			const handled = this.handle(request, response);
			this.inFlight.add(handled);
			void handled.finally(() => this.inFlight.delete(handled));
		});
	}

	static async start(options: TriggerOptions): Promise<TriggerHarness> {
		const server = createServer();
		await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
		const { port } = server.address() as AddressInfo;
		return new TriggerHarness(options, server, `http://127.0.0.1:${port}`);
	}

	private get isTest(): boolean {
		return this.options.mode === 'test';
	}

	private get mode() {
		return this.isTest ? ('manual' as const) : ('webhook' as const);
	}

	/** The URL n8n gives the trigger's webhook (what the subscription must deliver to). */
	get webhookUrl(): string {
		return `${this.baseUrl}/${this.isTest ? 'webhook-test' : 'webhook'}/${WEBHOOK_ID}/webhook`;
	}

	/** The trigger's static data (`getWorkflowStaticData('node')`). */
	get staticData(): IDataObject {
		return this.workflow.getStaticData('node', this.node);
	}

	/** Runs one webhook lifecycle method, as n8n does on publish (checkExists, create) and unpublish (delete). */
	async run(method: LifecycleMethod): Promise<boolean> {
		const context = new HookContext(
			this.workflow,
			this.node,
			this.additionalData,
			this.mode,
			'activate',
			this.webhookData,
		);
		return (await this.nodeType.webhookMethods.default[method].call(context)) as boolean;
	}

	/** n8n's activation: create the subscription unless checkExists finds it. */
	async activate(): Promise<void> {
		if (!(await this.run('checkExists'))) await this.run('create');
	}

	/**
	 * Resolves once every request received so far is fully handled. `webhook()` answers
	 * RingCentral before it reads the records, so a delivery can be answered before its
	 * execution starts.
	 */
	async idle(): Promise<void> {
		while (this.inFlight.size > 0) await Promise.all(this.inFlight);
	}

	/** The executions started so far, as their trigger items. */
	get executions(): INodeExecutionData[][] {
		return this.calls.flatMap((call) => (call.execution ? [call.execution] : []));
	}

	close(): Promise<void> {
		return new Promise((resolve) => {
			this.server.close(() => resolve());
			this.server.closeAllConnections();
		});
	}

	private async handle(request: IncomingMessage, response: ServerResponse): Promise<void> {
		const rawBody = await readBody(request);
		const isJson = String(request.headers['content-type'] ?? '').startsWith('application/json');
		const body: unknown = isJson && rawBody ? JSON.parse(rawBody) : {};
		const call: WebhookCall = { headers: request.headers, body };
		this.calls.push(call);
		const staticDataBefore = deepCopy(this.workflow.staticData);
		const context = new WebhookContext(
			this.workflow,
			this.node,
			{
				...this.additionalData,
				httpRequest: Object.assign(request, { body }),
				httpResponse: response,
			} as unknown as IWorkflowExecuteAdditionalData,
			this.mode,
			this.webhookData,
			[],
			null,
		);
		try {
			const result = await this.nodeType.webhook.call(context);
			if (result.workflowData) {
				call.execution = result.workflowData[0];
				this.restoreStaticData(staticDataBefore);
			}
			if (!result.noWebhookResponse) {
				const message = result.workflowData ? 'Workflow was started' : 'Webhook call received';
				sendJson(response, 200, { message });
			}
		} catch (error) {
			call.error = error as Error;
			if (!response.headersSent) sendJson(response, 500, { message: (error as Error).message });
		}
	}

	private restoreStaticData(snapshot: IDataObject): void {
		const staticData = this.workflow.staticData;
		for (const key of Object.keys(staticData)) delete staticData[key];
		Object.assign(staticData, deepCopy(snapshot));
	}
}

function sendJson(response: ServerResponse, status: number, body: unknown): void {
	const payload = JSON.stringify(body);
	response.writeHead(status, { 'Content-Type': 'application/json' });
	response.end(payload);
}

/** The node type the harness serves, for tests that check its description. */
export const triggerNodeType: INodeType = new RingCentralExtensionsTrigger();
