import type { IncomingMessage, Server, ServerResponse } from 'node:http';
import { setTimeout as sleep } from 'node:timers/promises';

import { ADMIN_PREFIX, handleAdmin } from './admin';
import { basicCredentials, TokenStore } from './auth';
import { ApiError, errorBody } from './errors';
import { ExtensionEvents } from './events';
import { FakeGateway } from './gateway';
import { faultReply, FaultQueue } from './faults';
import { headerValue, readIncoming, sendReply, type Incoming, type Reply } from './http';
import { RingCentralApi } from './operations';
import type { ResolvedOptions } from './options';
import { RateLimiter } from './rate-limits';
import { resolveRoute, type Route } from './routes';
import { FIRST_EXTENSION_ID, seedExtensions, seedTemplates } from './seed';
import { Subscriptions } from './subscriptions';
import type {
	DeliveryRecord,
	ErrorEntity,
	EventBodyShape,
	ExtensionEventType,
	FakeRingCentral,
	FakeState,
	Fault,
	RecordedRequest,
	ResetOptions,
	Violation,
} from './types';
import type { SpecValidator } from './validator';

export class FakeServer implements FakeRingCentral {
	readonly requests: RecordedRequest[] = [];
	readonly violations: Violation[] = [];
	readonly deliveries: DeliveryRecord[] = [];
	readonly state: FakeState = {
		extensions: [],
		templates: [],
		tasks: new Map(),
		subscriptions: new Map(),
	};
	private readonly faults = new FaultQueue();
	private readonly tokens: TokenStore;
	private readonly rateLimiter?: RateLimiter;
	private readonly api: RingCentralApi;
	private readonly subscriptions: Subscriptions;
	private readonly events: ExtensionEvents;
	readonly gateway: FakeGateway;
	/** Aborts the `delay` faults still waiting when the server closes, so no timer outlives it. */
	private readonly closing = new AbortController();

	constructor(
		private readonly httpServer: Server,
		readonly url: string,
		private readonly options: ResolvedOptions,
		private readonly validator: SpecValidator,
	) {
		const ownerId = String(FIRST_EXTENSION_ID);
		this.tokens = new TokenStore({
			staticAccessToken: options.accessToken,
			tokenLifetimeSeconds: options.tokenLifetimeSeconds,
			client: options.jwt,
			ownerId,
		});
		if (options.rateLimits) this.rateLimiter = new RateLimiter(options.rateLimits);
		this.subscriptions = new Subscriptions(this.state.subscriptions, {
			baseUrl: url,
			accountId: options.accountId,
		});
		this.gateway = new FakeGateway(url, validator, (filter) =>
			filter.replace(
				/^\/restapi\/v1\.0\/account\/~(?=\/|$)/,
				`/restapi/v1.0/account/${options.accountId}`,
			),
		);
		this.gateway.attach(httpServer);
		this.events = new ExtensionEvents(
			this.subscriptions,
			this.deliveries,
			{ accountId: options.accountId, ownerId, bodyShape: options.eventBodyShape },
			this.gateway,
		);
		this.api = new RingCentralApi(this.state, {
			baseUrl: url,
			accountId: options.accountId,
			navigationBaseUrl: options.navigationBaseUrl ?? url,
			task: options.task,
			affectedItemsShape: options.affectedItemsShape,
			ownerId,
			events: this.events,
		});
		this.seed();
	}

	injectFault(fault: Fault): void {
		this.faults.add(fault);
	}

	failNextTask(errors?: ErrorEntity[]): void {
		this.api.tasks.failNext(errors);
	}

	expireAllTokens(): void {
		this.tokens.expireAll();
	}

	revokeRefreshTokens(): void {
		this.tokens.revokeRefreshTokens();
	}

	deliveriesSettled(): Promise<void> {
		return this.events.settled();
	}

	emitExtensionEvent(eventType: ExtensionEventType, extensionId: number | string): void {
		this.events.emit(eventType, extensionId);
	}

	redeliver(uuid: string): boolean {
		return this.events.redeliver(uuid);
	}

	expireSubscription(id: string): void {
		this.subscriptions.expire(id);
	}

	blacklistSubscription(id: string): void {
		this.subscriptions.blacklist(id);
	}

	setEventBodyShape(shape: EventBodyShape): void {
		this.events.settings.bodyShape = shape;
	}

	requestsFor(operationId: string): RecordedRequest[] {
		return this.requests.filter((request) => request.operationId === operationId);
	}

	rateLimitStats(): ReturnType<FakeRingCentral['rateLimitStats']> {
		return this.rateLimiter?.stats() ?? {};
	}

	reset(options: ResetOptions = {}): void {
		// Emptied in place: callers may hold references to these arrays.
		this.requests.length = 0;
		this.violations.length = 0;
		this.deliveries.length = 0;
		this.faults.clear();
		this.rateLimiter?.reset();
		if (options.state) this.seed();
	}

	close(): Promise<void> {
		this.closing.abort();
		this.gateway.close();
		return new Promise((resolve, reject) => {
			this.httpServer.close((error) => (error ? reject(error) : resolve()));
			this.httpServer.closeAllConnections();
		});
	}

	async handle(request: IncomingMessage, response: ServerResponse): Promise<void> {
		try {
			const incoming = await readIncoming(request);
			if (incoming.path.startsWith(ADMIN_PREFIX)) {
				sendReply(response, await handleAdmin(this, incoming));
				return;
			}
			await this.serve(incoming, request, response);
		} catch (error) {
			sendReply(response, {
				status: 500,
				body: errorBody('CMN-500', `Fake server bug: ${(error as Error).stack}`),
			});
		}
	}

	private async serve(
		incoming: Incoming,
		request: IncomingMessage,
		response: ServerResponse,
	): Promise<void> {
		const route = resolveRoute(incoming, this.validator);
		const recorded = this.record(incoming, route);
		recorded.client = request.socket.remotePort;
		const fault = this.faults.take({
			method: incoming.method,
			path: incoming.path,
			operationId: route.operationId,
		});
		if (fault?.kind === 'drop') {
			request.socket.destroy();
			return;
		}
		if (fault?.kind === 'delay') {
			const delayed = await sleep(fault.ms, true, { signal: this.closing.signal }).catch(
				() => false,
			);
			if (!delayed) return; // closed meanwhile: its connections are gone
		}
		if (fault?.kind === 'redirect' || fault?.kind === 'raw') {
			recorded.status = fault.status ?? 307;
			sendFaultAnswer(response, fault);
			return;
		}
		const reply = fault?.kind === 'status' ? faultReply(fault) : await this.answer(incoming, route);
		if (fault?.kind === 'dropAfterProcessing') {
			request.socket.destroy();
			return;
		}
		recorded.status = reply.status;
		recorded.answeredAt = Date.now();
		if (fault?.kind === 'truncateAfterProcessing') {
			sendTruncated(response, reply, fault.bytes);
			return;
		}
		sendReply(response, reply);
	}

	/** Authentication, then rate limits, then validation, as RingCentral checks them. */
	private async answer(incoming: Incoming, route: Route): Promise<Reply> {
		let rateLimitHeaders: Record<string, string> = {};
		try {
			const caller = route.authenticated
				? this.tokens.authenticate(headerValue(incoming, 'authorization'))
				: appCaller(incoming);
			if (this.rateLimiter && route.group) {
				rateLimitHeaders = this.rateLimiter.admit(
					meteredAs(caller, route, this.options.jwt.clientId),
					route.group,
				);
			}
			if (route.rejection) throw route.rejection;
			const reply = await this.dispatch(incoming, route);
			return { ...reply, headers: { ...rateLimitHeaders, ...reply.headers } };
		} catch (error) {
			if (!(error instanceof ApiError)) throw error;
			return {
				status: error.status,
				body: error.body,
				headers: { ...rateLimitHeaders, ...error.headers },
			};
		}
	}

	private async dispatch(incoming: Incoming, route: Route): Promise<Reply> {
		switch (route.kind) {
			case 'token':
				return this.tokens.token({
					authorization: headerValue(incoming, 'authorization'),
					contentType: incoming.contentType,
					body: incoming.body,
				});
			case 'authorize':
				return this.tokens.authorize(incoming.query);
			case 'operation':
				if (route.operationId === 'authWsToken') return this.gateway.issueToken();
				if (isSubscriptionOperation(route.operationId)) {
					return await this.subscriptionReply(
						route.operationId as string,
						route.params,
						incoming.body,
					);
				}
				return this.api.handle(route.operationId as string, {
					params: route.params,
					query: incoming.query,
					body: incoming.body,
				});
			case 'notFound':
				throw route.rejection;
		}
	}

	private async subscriptionReply(
		operationId: string,
		params: Record<string, string>,
		body: unknown,
	): Promise<Reply> {
		const { subscriptionId } = params;
		switch (operationId) {
			case 'createSubscription':
				return { status: 200, body: await this.subscriptions.create(body as never) };
			case 'listSubscriptions':
				return { status: 200, body: this.subscriptions.list() };
			case 'readSubscription':
				return { status: 200, body: this.subscriptions.read(subscriptionId) };
			case 'updateSubscription':
				return { status: 200, body: this.subscriptions.update(subscriptionId, body as never) };
			case 'renewSubscription':
				return { status: 200, body: this.subscriptions.renew(subscriptionId) };
			default:
				this.subscriptions.delete(subscriptionId);
				return { status: 204, body: undefined };
		}
	}

	private record(incoming: Incoming, route: Route): RecordedRequest {
		const { method, path, rawQuery, query, body, headers, at } = incoming;
		const recorded: RecordedRequest = {
			method,
			path,
			rawQuery,
			query,
			body,
			headers,
			status: 0,
			operationId: route.operationId,
			group: route.group,
			at,
		};
		this.requests.push(recorded);
		if (route.violations.length > 0) {
			this.violations.push({
				request: `${method} ${path}${rawQuery ? `?${rawQuery}` : ''}`,
				errors: route.violations,
			});
		}
		return recorded;
	}

	private seed(): void {
		const {
			seedExtensions: extensionCount,
			seedTemplates: templateCount,
			accountId,
		} = this.options;
		replaceContents(this.state.extensions, seedExtensions(extensionCount, this.url, accountId));
		replaceContents(this.state.templates, seedTemplates(templateCount, this.url, accountId));
		this.state.tasks.clear();
		this.state.subscriptions.clear();
	}
}

function sendFaultAnswer(
	response: ServerResponse,
	fault: Extract<Fault, { kind: 'redirect' | 'raw' }>,
): void {
	if (fault.kind === 'redirect') {
		response.writeHead(fault.status ?? 307, { Location: fault.location, 'Content-Length': 0 });
		response.end();
		return;
	}
	response.writeHead(fault.status, {
		'Content-Type': fault.contentType ?? 'text/html',
		'Content-Length': Buffer.byteLength(fault.body),
	});
	response.end(fault.body);
}

/** The whole answer's headers (Content-Length included), part of its body, then a cut connection. */
function sendTruncated(response: ServerResponse, reply: Reply, bytes?: number): void {
	const payload = Buffer.from(reply.body === undefined ? '' : JSON.stringify(reply.body));
	response.writeHead(reply.status, {
		'Content-Type': 'application/json',
		'Content-Length': payload.length,
		...reply.headers,
	});
	response.write(payload.subarray(0, bytes ?? Math.floor(payload.length / 2)), () =>
		response.socket?.destroy(),
	);
}

const SUBSCRIPTION_OPERATIONS = new Set([
	'createSubscription',
	'listSubscriptions',
	'readSubscription',
	'updateSubscription',
	'renewSubscription',
	'deleteSubscription',
]);

function isSubscriptionOperation(operationId: string | undefined): boolean {
	return operationId !== undefined && SUBSCRIPTION_OPERATIONS.has(operationId);
}

/**
 * RingCentral meters the Auth group per app and user: token exchanges (metered by client id)
 * and gateway tokens (sent with a bearer token) draw on one count. The fake has one app and one
 * user, so every bearer token's Auth requests count as that app's.
 */
function meteredAs(caller: string, route: Route, appClientId: string): string {
	return route.group === 'Auth' && route.authenticated ? appClientId : caller;
}

/** Requests made without a bearer token (the token endpoint) are limited per app. */
function appCaller(incoming: Incoming): string {
	return basicCredentials(headerValue(incoming, 'authorization')).clientId ?? 'anonymous';
}

function replaceContents<T>(target: T[], items: T[]): void {
	target.length = 0;
	for (const item of items) target.push(item);
}
