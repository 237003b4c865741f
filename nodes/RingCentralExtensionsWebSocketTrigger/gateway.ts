import { sleep, type IDataObject } from 'n8n-workflow';

import {
	clientRequest,
	parseFrame,
	type ConnectionDetails,
	type Frame,
	type SessionToken,
} from './frames';

/** How long the gateway may take to greet a new connection, and to answer a request. */
const ANSWER_TIMEOUT_MS = 30_000;

export interface GatewayAnswer {
	status: number;
	body?: IDataObject;
}

export interface Closed {
	code: number;
	reason: string;
}

/** Why the gateway did not let a connection start; `status` when it said so itself. */
export class GatewayError extends Error {
	constructor(
		message: string,
		readonly status?: number,
	) {
		super(message);
	}
}

/**
 * Resolves with `promise`, or rejects after `ms` with `what` in the message. The timer is
 * n8n's abortable `sleep`, stopped as soon as the race is decided.
 */
export async function within<T>(promise: Promise<T>, ms: number, what: string): Promise<T> {
	const timer = new AbortController();
	const expired = sleep(ms, timer.signal).then(
		() => {
			throw new GatewayError(`${what} did not come within ${Math.round(ms / 1000)} s`);
		},
		() => new Promise<never>(() => {}),
	);
	try {
		return await Promise.race([promise, expired]);
	} finally {
		timer.abort();
	}
}

/**
 * One connection to RingCentral's WebSocket gateway, through the runtime's global `WebSocket`
 * (n8n 2.41 runs on Node 24, where it answers the server's pings by itself). `open` resolves
 * once the gateway has sent `ConnectionDetails`; nothing is sent before it.
 */
export class GatewayConnection {
	details: ConnectionDetails = {};
	/** The recovery token with the highest sequence seen on this connection. */
	wsc?: SessionToken;
	/** When the gateway last sent anything (for heartbeats). */
	lastHeard = Date.now();
	readonly closed: Promise<Closed>;
	private markClosed!: (closed: Closed) => void;
	private isClosed = false;
	private readonly pending = new Map<string, (answer: GatewayAnswer) => void>();
	private greeted!: (details: ConnectionDetails) => void;
	private greetingSeen = false;
	private readonly greeting: Promise<ConnectionDetails>;

	private constructor(
		private readonly socket: WebSocket,
		private readonly onFrame: (frame: Frame) => void,
	) {
		this.closed = new Promise((resolve) => (this.markClosed = resolve));
		this.greeting = new Promise((resolve) => (this.greeted = resolve));
		socket.addEventListener('message', (event) => this.receive(event.data));
		socket.addEventListener('close', (event) => this.finish(event.code, event.reason));
		socket.addEventListener('error', () => this.finish(1006, 'connection failed'));
	}

	/** `url` carries the single-use gateway token: it is never logged or shown. */
	static async open(url: string, onFrame: (frame: Frame) => void): Promise<GatewayConnection> {
		const connection = new GatewayConnection(new WebSocket(url), onFrame);
		const refused = connection.closed.then((closed) => {
			throw new GatewayError(
				`the gateway closed the connection before it was ready (${closed.code}${closed.reason ? ` ${closed.reason}` : ''})`,
			);
		});
		connection.details = await within(
			Promise.race([connection.greeting, refused]),
			ANSWER_TIMEOUT_MS,
			"The gateway's ConnectionDetails",
		).finally(() => {
			if (!connection.greetingSeen) connection.close();
		});
		return connection;
	}

	get open(): boolean {
		return !this.isClosed;
	}

	/** Sends a REST request over the socket and waits for its answer. */
	async request(
		method: 'POST' | 'DELETE',
		path: string,
		body?: IDataObject,
	): Promise<GatewayAnswer> {
		const { messageId, text } = clientRequest(method, path, body);
		const answer = new Promise<GatewayAnswer>((resolve) => this.pending.set(messageId, resolve));
		this.send(text);
		const lost = this.closed.then(() => {
			throw new GatewayError(`the connection closed before ${method} ${path} was answered`);
		});
		try {
			return await within(
				Promise.race([answer, lost]),
				ANSWER_TIMEOUT_MS,
				`The answer to ${method} ${path}`,
			);
		} finally {
			this.pending.delete(messageId);
		}
	}

	send(text: string): void {
		if (!this.isClosed && this.socket.readyState === 1) this.socket.send(text);
	}

	/** Closes the connection; `closed` resolves at once, whatever the other side does. */
	close(code = 1000, reason = 'closed by the trigger'): void {
		try {
			this.socket.close(code, reason);
		} catch {
			// Already closing.
		}
		this.finish(code, reason);
	}

	private finish(code: number, reason: string): void {
		if (this.isClosed) return;
		this.isClosed = true;
		this.markClosed({ code, reason });
	}

	private receive(data: unknown): void {
		this.lastHeard = Date.now();
		const frame = parseFrame(data);
		if (!frame) return;
		if (frame.wsc && (!this.wsc || frame.wsc.sequence >= this.wsc.sequence)) this.wsc = frame.wsc;
		if (frame.type === 'ConnectionDetails') {
			this.greetingSeen = true;
			this.greeted((frame.body ?? {}) as ConnectionDetails);
			return;
		}
		const answer = frame.messageId ? this.pending.get(frame.messageId) : undefined;
		if (answer && (frame.type === 'ClientRequest' || frame.type === 'Error')) {
			answer({ status: frame.status ?? (frame.type === 'Error' ? 500 : 200), body: frame.body });
			return;
		}
		this.onFrame(frame);
	}
}
