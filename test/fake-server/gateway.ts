import { randomBytes, randomUUID } from 'node:crypto';
import type { IncomingMessage, Server } from 'node:http';
import type { Duplex } from 'node:stream';
import { clearTimeout, setTimeout } from 'node:timers';

import { WebSocketServer, type WebSocket } from 'ws';

import { ApiError, errorBody } from './errors';
import type { Reply } from './http';
import type { SpecValidator } from './validator';

/** Where the fake gateway listens, on the fake's own HTTP server. */
export const GATEWAY_PATH = '/ws';
const WS_TOKEN_LIFETIME_SECONDS = 30;

/** What the gateway announces in ConnectionDetails and enforces (seconds). */
export interface GatewaySettings {
	recoveryTimeout: number;
	recoveryBufferSize: number;
	idleTimeout: number;
	absoluteTimeout: number;
	/** false: every recovery attempt answers recoveryState "Failed" (as the sandbox may). */
	recovery: boolean;
	/** false: POST /restapi/oauth/wstoken answers 403 (the app lacks the WebSocket permission). */
	wsTokenPermission: boolean;
	/** false: a subscription request over the socket answers 403 (no Read Accounts). */
	subscribePermission: boolean;
}

export const DEFAULT_GATEWAY_SETTINGS: GatewaySettings = {
	recoveryTimeout: 180,
	recoveryBufferSize: 100,
	idleTimeout: 1800,
	absoluteTimeout: 86_400,
	recovery: true,
	wsTokenPermission: true,
	subscribePermission: true,
};

export interface GatewaySubscription {
	id: string;
	eventFilters: string[];
}

/** A client's message as the gateway received it (for assertions). */
export interface ReceivedFrame {
	session: string;
	meta: Record<string, unknown>;
	body?: unknown;
}

export interface GatewayConnectionRecord {
	session: string;
	/** Set when the client asked to recover a session with `wsc`. */
	recoveryState?: 'Successful' | 'Failed';
	at: number;
}

interface Session {
	id: string;
	wscToken: string;
	sequence: number;
	subscription?: GatewaySubscription;
	socket?: WebSocket;
	droppedAt?: number;
	/** Notifications for a dropped connection, replayed on recovery. */
	missed: string[];
	/** Every notification sent, by uuid (for replays). */
	sent: Map<string, Record<string, unknown>>;
	timers: NodeJS.Timeout[];
	lastClientMessageAt: number;
}

/**
 * RingCentral's WebSocket gateway, as its docs describe it: single-use tokens from
 * POST /restapi/oauth/wstoken, `ConnectionDetails` first, one subscription per connection made
 * over the socket (validated against the spec), notifications with `wsc` sequence numbers,
 * heartbeats, idle (WSG-902) and absolute (WSG-903) timeouts, and session recovery with `wsc`
 * within the recovery window, replaying what the client missed.
 */
export class FakeGateway {
	settings: GatewaySettings = { ...DEFAULT_GATEWAY_SETTINGS };
	readonly frames: ReceivedFrame[] = [];
	readonly connections: GatewayConnectionRecord[] = [];
	/** Subscriptions deleted by a client's DELETE request. */
	readonly deleted: string[] = [];
	/** Every gateway token issued (for tests that check no secret leaks). */
	readonly issuedTokens: string[] = [];
	private readonly tokens = new Map<string, number>();
	private readonly sessions = new Map<string, Session>();
	private readonly wss = new WebSocketServer({ noServer: true });
	private waiters: Array<{ ready: number; resolve: () => void }> = [];
	private readyCount = 0;

	constructor(
		private readonly url: string,
		private readonly validator: SpecValidator,
		private readonly resolveFilter: (filter: string) => string,
	) {}

	attach(httpServer: Server): void {
		httpServer.on('upgrade', (request: IncomingMessage, socket: Duplex, head: Buffer) =>
			this.upgrade(request, socket, head),
		);
	}

	configure(settings: Partial<GatewaySettings>): void {
		Object.assign(this.settings, settings);
	}

	/** POST /restapi/oauth/wstoken */
	issueToken(): Reply {
		if (!this.settings.wsTokenPermission) {
			throw new ApiError(
				403,
				errorBody(
					'CMN-401',
					'In order to call this API endpoint, application needs to have [WebSocket] permission',
				),
			);
		}
		const token = randomBytes(24).toString('base64url');
		this.tokens.set(token, Date.now() + WS_TOKEN_LIFETIME_SECONDS * 1000);
		this.issuedTokens.push(token);
		return {
			status: 200,
			body: {
				ws_access_token: token,
				uri: `${this.url.replace(/^http/, 'ws')}${GATEWAY_PATH}`,
				expires_in: WS_TOKEN_LIFETIME_SECONDS,
			},
		};
	}

	/** Subscriptions live now (one per session at most). */
	get subscriptions(): GatewaySubscription[] {
		return [...this.sessions.values()].flatMap((session) =>
			session.subscription && session.socket ? [session.subscription] : [],
		);
	}

	get openConnections(): number {
		return [...this.sessions.values()].filter((session) => session.socket).length;
	}

	/**
	 * Resolves once `count` connections in all have become ready to deliver (recovered, or
	 * subscribed).
	 */
	async ready(count: number): Promise<void> {
		if (this.readyCount >= count) return;
		await new Promise<void>((resolve) => this.waiters.push({ ready: count, resolve }));
	}

	/** Sends a notification to every live subscription whose filters cover the event. */
	notify(event: string, body: Record<string, unknown>): void {
		const resolved = this.resolveFilter(event);
		for (const session of this.sessions.values()) {
			if (!session.subscription?.eventFilters.includes(resolved)) continue;
			const payload = {
				uuid: randomUUID(),
				event: resolved,
				timestamp: new Date().toISOString(),
				subscriptionId: session.subscription.id,
				body,
			};
			session.sent.set(payload.uuid, payload);
			this.deliver(session, payload);
		}
	}

	/** Sends a notification already sent once more, unchanged (same uuid). */
	replay(uuid: string): boolean {
		for (const session of this.sessions.values()) {
			const payload = session.sent.get(uuid);
			if (payload && session.socket) {
				this.deliver(session, payload);
				return true;
			}
		}
		return false;
	}

	/** Sends raw text to every open connection (malformed frames, foreign notifications). */
	sendRaw(text: string): void {
		for (const session of this.sessions.values()) session.socket?.send(text);
	}

	/** The uuids of the notifications sent so far. */
	get sentUuids(): string[] {
		return [...this.sessions.values()].flatMap((session) => [...session.sent.keys()]);
	}

	/**
	 * Network drop: every connection is cut without a close frame. The gateway counts the
	 * sessions as dropped at once, so notifications sent right after wait for a recovery.
	 */
	dropAll(): void {
		for (const session of this.sessions.values()) {
			const socket = session.socket;
			if (!socket) continue;
			this.closed(session, socket);
			socket.terminate();
		}
	}

	/** Notifications kept for dropped sessions and replayed on recovery, in all. */
	replayed = 0;

	/** For the admin API: what a test in another process needs to see. */
	summary(): Record<string, unknown> {
		return {
			subscriptions: this.subscriptions,
			openConnections: this.openConnections,
			connections: this.connections,
			deleted: this.deleted,
			replayed: this.replayed,
			heartbeats: this.frames.filter((frame) => frame.meta.type === 'Heartbeat').length,
			subscribeRequests: this.frames.filter(
				(frame) => frame.meta.type === 'ClientRequest' && frame.meta.method === 'POST',
			).length,
		};
	}

	/** What the gateway does when a timeout is reached: an Error frame, then a close. */
	timeoutAll(code: 'WSG-902' | 'WSG-903'): void {
		for (const session of this.sessions.values()) if (session.socket) this.timeOut(session, code);
	}

	close(): void {
		for (const session of this.sessions.values()) {
			session.timers.forEach(clearTimeout);
			session.socket?.terminate();
		}
		this.wss.close();
		for (const waiter of this.waiters) waiter.resolve();
		this.waiters = [];
	}

	private upgrade(request: IncomingMessage, socket: Duplex, head: Buffer): void {
		const url = new URL(request.url ?? '/', this.url);
		const token = url.searchParams.get('access_token') ?? '';
		const expiresAt = this.tokens.get(token);
		this.tokens.delete(token); // single use
		if (url.pathname !== GATEWAY_PATH || expiresAt === undefined || expiresAt < Date.now()) {
			socket.end('HTTP/1.1 401 Unauthorized\r\nConnection: close\r\nContent-Length: 0\r\n\r\n');
			return;
		}
		this.wss.handleUpgrade(request, socket, head, (ws) =>
			this.open(ws, url.searchParams.get('wsc') ?? undefined),
		);
	}

	private open(socket: WebSocket, wsc: string | undefined): void {
		const previous = wsc ? this.sessionOfToken(wsc) : undefined;
		const recoverable =
			previous !== undefined &&
			this.settings.recovery &&
			previous.socket === undefined &&
			Date.now() - (previous.droppedAt ?? 0) <= this.settings.recoveryTimeout * 1000;
		const recoveryState = wsc ? (recoverable ? 'Successful' : 'Failed') : undefined;
		const session = recoverable && previous ? previous : this.newSession();
		session.socket = socket;
		session.droppedAt = undefined;
		session.lastClientMessageAt = Date.now();
		this.connections.push({ session: session.id, recoveryState, at: Date.now() });
		socket.on('message', (data) => this.receive(session, socket, String(data)));
		socket.on('close', () => this.closed(session, socket));
		this.startTimers(session);
		this.send(
			session,
			{ type: 'ConnectionDetails', status: 200 },
			{
				creationTime: new Date().toISOString(),
				maxConnectionsPerSession: 1,
				recoveryBufferSize: this.settings.recoveryBufferSize,
				recoveryTimeout: this.settings.recoveryTimeout,
				idleTimeout: this.settings.idleTimeout,
				absoluteTimeout: this.settings.absoluteTimeout,
				maxActiveRequests: 10,
				...(recoveryState && { recoveryState }),
			},
		);
		if (recoverable) {
			const missed = session.missed.splice(0);
			this.replayed += missed.length;
			for (const text of missed) socket.send(text);
			if (session.subscription) this.markReady();
		}
	}

	private newSession(): Session {
		const session: Session = {
			id: randomBytes(6).toString('hex'),
			wscToken: randomBytes(16).toString('hex'),
			sequence: 0,
			missed: [],
			sent: new Map(),
			timers: [],
			lastClientMessageAt: Date.now(),
		};
		this.sessions.set(session.id, session);
		return session;
	}

	private sessionOfToken(token: string): Session | undefined {
		return [...this.sessions.values()].find((session) => session.wscToken === token);
	}

	private startTimers(session: Session): void {
		session.timers.forEach(clearTimeout);
		const idleCheck = () => {
			const idleFor = Date.now() - session.lastClientMessageAt;
			const left = this.settings.idleTimeout * 1000 - idleFor;
			if (left <= 0) this.timeOut(session, 'WSG-902');
			else session.timers[0] = setTimeout(idleCheck, left);
		};
		session.timers = [
			setTimeout(idleCheck, this.settings.idleTimeout * 1000),
			setTimeout(() => this.timeOut(session, 'WSG-903'), this.settings.absoluteTimeout * 1000),
		];
	}

	private timeOut(session: Session, code: 'WSG-902' | 'WSG-903'): void {
		const socket = session.socket;
		if (!socket) return;
		const message = code === 'WSG-902' ? 'Idle timeout' : 'Absolute timeout';
		this.send(session, { type: 'Error', status: 400 }, { errorCode: code, message });
		socket.close(1000, message);
	}

	private closed(session: Session, socket: WebSocket): void {
		if (session.socket !== socket) return;
		session.socket = undefined;
		session.droppedAt = Date.now();
		session.timers.forEach(clearTimeout);
	}

	private receive(session: Session, socket: WebSocket, text: string): void {
		session.lastClientMessageAt = Date.now();
		let meta: Record<string, unknown> = {};
		let body: unknown;
		try {
			const parsed = JSON.parse(text) as unknown;
			if (!Array.isArray(parsed) || typeof parsed[0] !== 'object' || parsed[0] === null) {
				throw new Error('not an array of [meta, body]');
			}
			[meta, body] = parsed as [Record<string, unknown>, unknown];
		} catch (error) {
			this.frames.push({ session: session.id, meta: { invalid: text } });
			this.send(
				session,
				{ type: 'Error', status: 400 },
				{
					errorCode: 'WSG-100',
					message: `Invalid message: ${(error as Error).message}`,
				},
			);
			return;
		}
		this.frames.push({ session: session.id, meta, body });
		const messageId = meta.messageId;
		if (meta.type === 'Heartbeat') {
			this.send(session, { type: 'Heartbeat', messageId, status: 200 });
			return;
		}
		if (meta.type !== 'ClientRequest') {
			this.send(
				session,
				{ type: 'Error', messageId, status: 400 },
				{
					errorCode: 'WSG-101',
					message: `Unsupported message type [${String(meta.type)}]`,
				},
			);
			return;
		}
		const answer = this.clientRequest(session, String(meta.method), String(meta.path), body);
		if (socket !== session.socket) return;
		this.send(session, { type: 'ClientRequest', messageId, status: answer.status }, answer.body);
	}

	private clientRequest(
		session: Session,
		method: string,
		path: string,
		body: unknown,
	): { status: number; body?: unknown } {
		if (method === 'POST' && /^\/restapi\/v1\.0\/subscription\/?$/.test(path)) {
			const request = (body ?? {}) as {
				eventFilters?: string[];
				deliveryMode?: Record<string, unknown>;
			};
			// The spec subset describes REST subscriptions (WebHook) only: the rest of the body is
			// checked against it, and the delivery mode against its WebSocketDeliveryMode schema.
			const violations = this.validator.validateRequest('createSubscription', {
				params: {},
				query: {},
				body: {
					...request,
					deliveryMode: { transportType: 'WebHook', address: 'https://a.invalid/' },
				},
			});
			const mode = request.deliveryMode;
			if (
				violations.length > 0 ||
				!mode ||
				Object.keys(mode).join() !== 'transportType' ||
				mode.transportType !== 'WebSocket'
			) {
				return {
					status: 400,
					body: errorBody('CMN-101', 'Parameter [deliveryMode] value is invalid', violations),
				};
			}
			if (!this.settings.subscribePermission) {
				return {
					status: 403,
					body: errorBody(
						'CMN-401',
						'In order to call this API endpoint, application needs to have [ReadAccounts] permission',
					),
				};
			}
			// One subscription per connection: a second replaces the first.
			session.subscription = {
				id: randomUUID(),
				eventFilters: (request.eventFilters ?? []).map(this.resolveFilter),
			};
			this.markReady();
			return { status: 200, body: this.subscriptionInfo(session.subscription) };
		}
		const deletion = /^\/restapi\/v1\.0\/subscription\/([^/]+)$/.exec(path);
		if (method === 'DELETE' && deletion) {
			const id = decodeURIComponent(deletion[1]);
			if (session.subscription?.id !== id) {
				return {
					status: 404,
					body: errorBody('CMN-102', 'Resource for parameter [subscriptionId] is not found'),
				};
			}
			session.subscription = undefined;
			this.deleted.push(id);
			return { status: 204 };
		}
		return {
			status: 404,
			body: errorBody('CMN-102', `Resource for parameter [path] is not found: ${method} ${path}`),
		};
	}

	private subscriptionInfo(subscription: GatewaySubscription): Record<string, unknown> {
		return {
			uri: `${this.url}/restapi/v1.0/subscription/${subscription.id}`,
			id: subscription.id,
			eventFilters: subscription.eventFilters,
			creationTime: new Date().toISOString(),
			status: 'Active',
			deliveryMode: { transportType: 'WebSocket', encryption: false },
		};
	}

	private deliver(session: Session, payload: Record<string, unknown>): void {
		const text = this.frame(
			session,
			{ type: 'ServerNotification', messageId: randomUUID(), status: 200 },
			payload,
		);
		if (session.socket) {
			session.socket.send(text);
		} else if (session.missed.length < this.settings.recoveryBufferSize) {
			session.missed.push(text);
		}
	}

	private send(session: Session, meta: Record<string, unknown>, body?: unknown): void {
		session.socket?.send(this.frame(session, meta, body));
	}

	private frame(session: Session, meta: Record<string, unknown>, body?: unknown): string {
		session.sequence++;
		const full = {
			...meta,
			headers: { 'Content-Type': 'application/json' },
			wsc: { token: session.wscToken, sequence: session.sequence },
		};
		return JSON.stringify(body === undefined ? [full] : [full, body]);
	}

	private markReady(): void {
		this.readyCount++;
		const due = this.waiters.filter((waiter) => waiter.ready <= this.readyCount);
		this.waiters = this.waiters.filter((waiter) => waiter.ready > this.readyCount);
		for (const waiter of due) waiter.resolve();
	}
}
