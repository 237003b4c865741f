import {
	NodeOperationError,
	sleep,
	type IDataObject,
	type ITriggerFunctions,
	type ITriggerResponse,
} from 'n8n-workflow';

import { accountIdOf, booleanParameter } from '../shared/helpers/parameters';
import { pathSegments } from '../shared/transport';
import { detachedSession, type DetachedSession } from '../shared/transport/detached';
import {
	extensionEventFilter,
	parseDelivery,
	type ExtensionEvent,
} from '../shared/extensionEvents/events';
import { envelopeOf, itemsForChanges } from '../shared/extensionEvents/items';
import { unlessNotFound } from '../shared/transport/notFound';
import { GatewayConnection, GatewayError, within } from './gateway';
import { errorText, heartbeat, type Frame, type SessionToken } from './frames';

/** Send a Heartbeat after this much silence (RingCentral: at least every 30 s when idle)... */
const HEARTBEAT_AFTER_MS = 30_000;
/** ...and give up on a connection that stays silent this long after it. */
const HEARTBEAT_ANSWER_MS = 15_000;
const MAX_RECONNECT_WAIT_MS = 60_000;
/** Notification uuids kept to recognise one replayed after a recovery (RingCentral replays up to 100). */
const MAX_REMEMBERED_UUIDS = 1000;
/** How long unpublishing waits for the gateway to confirm the subscription's deletion. */
const UNSUBSCRIBE_WAIT_MS = 5000;

interface Settings {
	accountId: string;
	events: Set<ExtensionEvent>;
	includeDetails: boolean;
}

interface WsToken {
	ws_access_token: string;
	uri?: string;
}

/**
 * HTTP statuses a retry cannot mend: the credential, the app's permissions or the account are
 * wrong. Anything else (network, 5xx, 429, a dropped socket) is retried by the node itself.
 */
const UNMENDABLE_STATUSES = new Set([400, 401, 403, 404]);

const PERMISSION_ADVICE: Record<string, string> = {
	wsToken:
		'Add the WebSocket Subscriptions permission (called "WebSocket" in some places) to the app in the RingCentral Developer Console.',
	subscribe:
		'Add the Read Accounts permission to the app in the RingCentral Developer Console, and check the Account ID.',
};

/**
 * `trigger()`: reads every parameter now (n8n evaluates no expression once it has returned),
 * connects and subscribes, and fails the activation visibly if that does not work. Afterwards
 * the listener keeps the connection by itself; only what it cannot mend goes to `emitError`.
 */
export async function startListening(ctx: ITriggerFunctions): Promise<ITriggerResponse> {
	if (typeof WebSocket === 'undefined') {
		throw new NodeOperationError(
			ctx.getNode(),
			'This n8n runs on a Node.js without a built-in WebSocket client: WebSocket delivery needs Node.js 22 or later (n8n 2.x runs on Node.js 24)',
		);
	}
	const settings: Settings = {
		accountId: accountIdOf(ctx),
		events: new Set(ctx.getNodeParameter('events', []) as ExtensionEvent[]),
		includeDetails: booleanParameter(ctx, 'includeDetails', 0, true),
	};
	const session = await detachedSession(ctx);
	const listener = new Listener(ctx, session, settings);
	await listener.connect();
	void listener.keepListening();
	return { closeFunction: async () => await listener.stop() };
}

class Listener {
	private connection?: GatewayConnection;
	private subscriptionId?: string;
	private wsc?: SessionToken;
	private readonly emitted = new Set<string>();
	private readonly stopping = new AbortController();
	/** Notifications become executions one after another, in the order they came. */
	private queue: Promise<void> = Promise.resolve();
	private stopped?: Promise<void>;

	constructor(
		private readonly ctx: ITriggerFunctions,
		private readonly session: DetachedSession,
		private readonly settings: Settings,
	) {}

	/**
	 * A fresh gateway token, a connection (recovering the last session when there is one) and,
	 * unless the gateway restored the session, a new subscription.
	 */
	async connect(): Promise<void> {
		const token = await this.gatewayToken();
		const url = this.gatewayUrl(token);
		const connection = await GatewayConnection.open(url, (frame) => this.receive(frame));
		this.connection = connection;
		if (this.stopping.signal.aborted) {
			connection.close();
			return;
		}
		const recovered =
			this.wsc !== undefined &&
			this.subscriptionId !== undefined &&
			connection.details.recoveryState === 'Successful';
		if (recovered) {
			this.log('info', 'reconnected; RingCentral recovered the session and its subscription');
			return;
		}
		if (this.wsc) this.log('info', 'reconnected; the session was not recovered: subscribing again');
		await this.subscribe(connection);
	}

	/** Reconnects whenever the connection ends, until the workflow is unpublished. */
	async keepListening(): Promise<void> {
		while (!this.stopping.signal.aborted) {
			const connection = this.connection;
			if (connection?.open) {
				const closed = await Promise.race([connection.closed, this.keepAlive(connection)]);
				if (this.stopping.signal.aborted) return;
				if (closed)
					this.log('warn', `the connection closed (${closed.code} ${closed.reason}); reconnecting`);
			}
			this.wsc = connection?.wsc ?? this.wsc;
			const mended = await this.reconnect();
			if (!mended) return;
		}
	}

	async stop(): Promise<void> {
		this.stopped ??= this.unsubscribe();
		await this.stopped;
	}

	private async unsubscribe(): Promise<void> {
		this.stopping.abort();
		const connection = this.connection;
		if (connection?.open && this.subscriptionId) {
			const path = `/restapi/v1.0/subscription${pathSegments(this.subscriptionId)}`;
			// Unpublishing waits a few seconds at most: the subscription ends with the connection anyway.
			const answer = await within(
				connection.request('DELETE', path),
				UNSUBSCRIBE_WAIT_MS,
				'The deletion',
			).catch(() => undefined);
			if (!answer || (answer.status >= 400 && answer.status !== 404)) {
				const why = answer ? errorText(answer.body, answer.status) : 'no answer';
				this.log(
					'warn',
					`the subscription could not be deleted (${why}); it ends with the connection`,
				);
			}
		}
		connection?.close();
		await within(this.queue, UNSUBSCRIBE_WAIT_MS, 'The last execution').catch(() => undefined);
	}

	/** Tries until it works, is unpublished, or fails in a way only the user can mend. */
	private async reconnect(): Promise<boolean> {
		for (let attempt = 0; !this.stopping.signal.aborted; attempt++) {
			const wait = attempt === 0 ? 0 : Math.min(1000 * 2 ** (attempt - 1), MAX_RECONNECT_WAIT_MS);
			if (wait > 0 && !(await this.pause(wait))) return false;
			try {
				await this.connect();
				return true;
			} catch (error) {
				if (this.stopping.signal.aborted) return false;
				if (isUnmendable(error)) {
					this.ctx.emitError(error as Error);
					return false;
				}
				this.log('warn', `reconnecting failed (${(error as Error).message}); trying again`);
			}
		}
		return false;
	}

	/** Heartbeats while the gateway is silent; resolves when it stays silent after one. */
	private async keepAlive(connection: GatewayConnection): Promise<undefined> {
		const idleTimeoutMs = (connection.details.idleTimeout ?? 0) * 1000;
		const quietMs =
			idleTimeoutMs > 0 ? Math.min(HEARTBEAT_AFTER_MS, idleTimeoutMs / 3) : HEARTBEAT_AFTER_MS;
		const answerMs = Math.min(HEARTBEAT_ANSWER_MS, quietMs);
		let sentAt: number | undefined;
		while (connection.open && !this.stopping.signal.aborted) {
			if (!(await this.pause(Math.max(50, quietMs / 4)))) return undefined;
			const silentMs = Date.now() - connection.lastHeard;
			if (sentAt !== undefined && connection.lastHeard < sentAt && Date.now() - sentAt > answerMs) {
				this.log('warn', 'the gateway did not answer a heartbeat; reconnecting');
				connection.close(4000, 'no heartbeat answer');
				return undefined;
			}
			if (silentMs >= quietMs && (sentAt === undefined || connection.lastHeard >= sentAt)) {
				sentAt = Date.now();
				connection.send(heartbeat());
			}
		}
		return undefined;
	}

	/** False when unpublished meanwhile. */
	private async pause(ms: number): Promise<boolean> {
		return await sleep(ms, this.stopping.signal).then(
			() => true,
			() => false,
		);
	}

	private async gatewayToken(): Promise<WsToken> {
		try {
			const token = await this.session.request<WsToken>(
				{ method: 'POST', path: '', rawPath: '/restapi/oauth/wstoken', group: 'Auth' },
				this.stopping.signal,
			);
			if (typeof token.ws_access_token !== 'string' || typeof token.uri !== 'string') {
				throw new GatewayError(
					'RingCentral answered the gateway token request without a token or gateway address',
				);
			}
			return token;
		} catch (error) {
			throw withAdvice(this.ctx, error, PERMISSION_ADVICE.wsToken);
		}
	}

	/** The gateway address RingCentral gave, with the single-use token (never logged). */
	private gatewayUrl(token: WsToken): string {
		const url = new URL(String(token.uri));
		const secure = this.session.baseUrl.startsWith('https:');
		if (url.protocol !== 'wss:' && (secure || url.protocol !== 'ws:')) {
			throw new GatewayError(
				`RingCentral named a gateway address that is not wss:// (${url.protocol})`,
				400,
			);
		}
		url.searchParams.set('access_token', token.ws_access_token);
		if (this.wsc) url.searchParams.set('wsc', this.wsc.token);
		return url.toString();
	}

	private async subscribe(connection: GatewayConnection): Promise<void> {
		const answer = await connection.request('POST', '/restapi/v1.0/subscription/', {
			eventFilters: [extensionEventFilter(this.settings.accountId)],
			deliveryMode: { transportType: 'WebSocket' },
		});
		const id = answer.body?.id;
		if (answer.status >= 400 || typeof id !== 'string') {
			connection.close();
			const error = new GatewayError(
				`RingCentral refused the subscription to extension events (${errorText(answer.body, answer.status)})`,
				answer.status >= 400 ? answer.status : undefined,
			);
			throw withAdvice(this.ctx, error, PERMISSION_ADVICE.subscribe);
		}
		this.subscriptionId = id;
		this.wsc = connection.wsc ?? this.wsc;
	}

	private receive(frame: Frame): void {
		if (frame.type === 'Error') {
			this.log('info', `the gateway reported ${errorText(frame.body, frame.status)}`);
			return;
		}
		if (frame.type !== 'ServerNotification' || !frame.body) return;
		const delivery = parseDelivery(frame.body);
		if (!this.subscriptionId || delivery.subscriptionId !== this.subscriptionId) return;
		const changes = delivery.changes.filter((change) => this.settings.events.has(change.event));
		if (changes.length === 0 || !delivery.uuid || !this.remember(delivery.uuid)) return;
		const envelope = envelopeOf(delivery);
		this.queue = this.queue.then(async () => {
			const items = await itemsForChanges(changes, envelope, this.settings.includeDetails, (id) =>
				this.readExtension(id),
			);
			// Read at the moment of emitting: n8n replaces `emit` in a test run after trigger() returns.
			this.ctx.emit([items]);
		});
		// One notification that could not be handed to n8n must not stop the ones after it.
		this.queue = this.queue.catch((error: unknown) =>
			this.log('warn', `a notification could not start an execution: ${(error as Error).message}`),
		);
	}

	private async readExtension(extensionId: string): Promise<IDataObject | undefined> {
		return await unlessNotFound(
			this.session.request<IDataObject>({
				method: 'GET',
				path: `/extension${pathSegments(extensionId)}`,
				accountId: this.settings.accountId,
				group: 'Light',
				expect: 'record',
			}),
		);
	}

	/** False for a notification already emitted (one replayed after a recovery). */
	private remember(uuid: string): boolean {
		if (this.emitted.has(uuid)) return false;
		this.emitted.add(uuid);
		if (this.emitted.size > MAX_REMEMBERED_UUIDS) {
			this.emitted.delete(this.emitted.values().next().value as string);
		}
		return true;
	}

	private log(level: 'info' | 'warn', message: string): void {
		this.ctx.logger[level](`RingCentral Extensions WebSocket Trigger: ${message}`, {
			workflowId: this.ctx.getWorkflow().id,
			subscriptionId: this.subscriptionId,
		});
	}
}

function statusOf(error: unknown): number | undefined {
	if (error instanceof GatewayError) return error.status;
	const httpCode = Number((error as { httpCode?: unknown })?.httpCode);
	return Number.isFinite(httpCode) ? httpCode : undefined;
}

function isUnmendable(error: unknown): boolean {
	const status = statusOf(error);
	return status !== undefined && UNMENDABLE_STATUSES.has(status);
}

/** A refusal that a permission explains gets the advice; anything else passes unchanged. */
function withAdvice(ctx: ITriggerFunctions, error: unknown, advice: string): Error {
	const status = statusOf(error);
	if (status !== 403 && status !== 401) return error as Error;
	const hint =
		status === 403 ? advice : 'Check the credential: RingCentral did not accept its token.';
	const wrapped = new NodeOperationError(ctx.getNode(), `${(error as Error).message}. ${hint}`, {
		description: (error as { description?: string }).description ?? undefined,
	});
	// Kept, so that a reconnect refused this way is known as one a retry cannot mend.
	return Object.assign(wrapped, { httpCode: String(status) });
}
