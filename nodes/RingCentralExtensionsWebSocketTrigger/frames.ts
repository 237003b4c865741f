import { randomUUID } from 'node:crypto';

import type { IDataObject } from 'n8n-workflow';

/**
 * RingCentral's WebSocket gateway speaks in JSON arrays: `[meta]` or `[meta, body]`, where
 * `meta.type` says what the message is and `meta.wsc` carries the session's recovery token.
 */
export type FrameType =
	| 'ConnectionDetails'
	| 'ClientRequest'
	| 'ServerNotification'
	| 'Heartbeat'
	| 'Error';

export interface SessionToken {
	token: string;
	sequence: number;
}

export interface Frame {
	type: FrameType;
	messageId?: string;
	status?: number;
	wsc?: SessionToken;
	body?: IDataObject;
}

/** What `ConnectionDetails` says about the session (seconds). */
export interface ConnectionDetails {
	recoveryTimeout?: number;
	idleTimeout?: number;
	absoluteTimeout?: number;
	/** After a reconnect with `wsc`: whether the session (and its subscription) came back. */
	recoveryState?: 'Successful' | 'Failed';
}

const FRAME_TYPES = new Set<string>([
	'ConnectionDetails',
	'ClientRequest',
	'ServerNotification',
	'Heartbeat',
	'Error',
]);

function isObject(value: unknown): value is IDataObject {
	return typeof value === 'object' && value !== null && !Array.isArray(value);
}

function sessionTokenOf(value: unknown): SessionToken | undefined {
	if (!isObject(value) || typeof value.token !== 'string') return undefined;
	const sequence = Number(value.sequence);
	return { token: value.token, sequence: Number.isFinite(sequence) ? sequence : 0 };
}

/** A message from the gateway, or undefined for anything that is not one (it is ignored). */
export function parseFrame(data: unknown): Frame | undefined {
	let parsed: unknown;
	try {
		parsed = JSON.parse(typeof data === 'string' ? data : String(data));
	} catch {
		return undefined;
	}
	if (!Array.isArray(parsed) || !isObject(parsed[0])) return undefined;
	const [meta, body] = parsed as [IDataObject, unknown];
	if (typeof meta.type !== 'string' || !FRAME_TYPES.has(meta.type)) return undefined;
	return {
		type: meta.type as FrameType,
		messageId: typeof meta.messageId === 'string' ? meta.messageId : undefined,
		status: typeof meta.status === 'number' ? meta.status : undefined,
		wsc: sessionTokenOf(meta.wsc),
		body: isObject(body) ? body : undefined,
	};
}

export function clientRequest(
	method: 'POST' | 'DELETE',
	path: string,
	body?: IDataObject,
): { messageId: string; text: string } {
	const messageId = randomUUID();
	const meta = { type: 'ClientRequest', messageId, method, path };
	return { messageId, text: JSON.stringify(body === undefined ? [meta] : [meta, body]) };
}

export function heartbeat(): string {
	return JSON.stringify([{ type: 'Heartbeat', messageId: randomUUID() }]);
}

/** A gateway error body's code and message, as `WSG-902 Idle timeout` (never a token). */
export function errorText(body: IDataObject | undefined, status: number | undefined): string {
	const code = typeof body?.errorCode === 'string' ? body.errorCode : undefined;
	const message = typeof body?.message === 'string' ? body.message : undefined;
	const text = [code, message].filter(Boolean).join(' ');
	return text || `status ${status ?? 'unknown'}`;
}
