import { NodeApiError, type IDataObject, type INode, type JsonObject } from 'n8n-workflow';

import { MAX_FAULT_RETRY_WAIT_MS, type Authentication } from '../descriptions';
import { failureReason } from '../helpers/failureReason';
import { networkFailureText, redirectRefusal, REDIRECT_ADVICE } from '../server';
import { apiPath } from './paths';
import type { ApiRequest, RequestFailure } from './types';
import type { RateLimitView } from './rateLimiter';

/** What a request went through before the rate limit made it give up. */
export interface RateLimitGiveUp {
	view: RateLimitView;
	waitedMs: number;
	neededMs: number;
	waitTimeoutMs: number;
	/** 429s it got before. */
	refusals: number;
}

interface RingCentralErrorBody {
	errorCode?: string;
	message?: string;
	error_description?: string;
	errors?: Array<{
		errorCode?: string;
		message?: string;
		parameterName?: string;
		parameterValue?: string;
	}>;
}

/** Keys whose values are secrets, in a body sent or answered (a new user's password, a PIN, tokens). */
const SECRET_KEYS =
	/^(access_?token|refresh_?token|id_?token|password|ivr_?pin|pin|client_?secret|jwt|assertion|authorization)$/i;
/**
 * A token the node cannot know (one n8n renewed during the request): a long run of base64
 * characters mixing upper case, lower case and digits. Ids, numbers, emails and paths are not.
 */
const TOKEN_LIKE = /[A-Za-z0-9+/_-]{40,}={0,2}/g;
const SHOWN_CHARACTERS = 200;

/** The values of the secret fields a request carries in its body, at any depth. */
function secretsSentIn(request: ApiRequest): string[] {
	const found: string[] = [];
	const visit = (value: unknown, key = ''): void => {
		if (typeof value === 'object' && value !== null) {
			for (const [childKey, child] of Object.entries(value)) visit(child, childKey);
		} else if (SECRET_KEYS.test(key) && (typeof value === 'string' || typeof value === 'number')) {
			found.push(String(value));
		}
	};
	visit(request.body);
	return found;
}

/**
 * The one masking rule for whatever a server answered, wherever it is shown (an error's
 * message, description, excerpt): the credential's secrets and the secret fields the request
 * sent, Bearer and Basic credentials, and anything shaped like a token, become ***.
 */
export function masked(text: string, secrets: readonly string[], request?: ApiRequest): string {
	let out = text;
	const all = [...secrets, ...(request ? secretsSentIn(request) : [])];
	// Longest first, so that a secret containing another is masked whole.
	for (const secret of all.sort((a, b) => b.length - a.length)) {
		if (secret.length >= 4) out = out.split(secret).join('***');
	}
	out = out.replace(/(Bearer|Basic)\s+[A-Za-z0-9._~+/=-]+/gi, '$1 ***');
	return out.replace(TOKEN_LIKE, (run) =>
		/[A-Z]/.test(run) && /[a-z]/.test(run) && /\d/.test(run) ? '***' : run,
	);
}

/** The start of an answer for an error message: masked (JSON secret fields too), at most 200 characters. */
function excerptOf(body: unknown, secrets: readonly string[], request: ApiRequest): string {
	let text: string;
	if (typeof body === 'string') text = body;
	else if (body === undefined) text = '';
	else
		text = JSON.stringify(body, (key, value: unknown) =>
			key && SECRET_KEYS.test(key) && value !== null && value !== undefined ? '***' : value,
		);
	text = masked(text, secrets, request).replace(/\s+/g, ' ');
	return text.length > SHOWN_CHARACTERS ? `${text.slice(0, SHOWN_CHARACTERS)}…` : text;
}

/**
 * Reads what n8n's request helper threw into plain data. Only the status, body, headers and
 * network code are kept: the axios error underneath also holds the request, token included.
 */
export function describeFailure(error: unknown): RequestFailure {
	const cause = findAxiosLike(error);
	const response = cause?.response;
	// Thrown with a success status: the body broke off mid-stream. Like a dropped connection, it
	// is retried for a read and reported as "may have been carried out" for a write.
	if (response?.status !== undefined && response.status < 400) {
		return { networkCode: 'ERR_BAD_RESPONSE' };
	}
	if (response?.status !== undefined) {
		return {
			status: response.status,
			body: response.data,
			headers: (response.headers ?? {}) as IDataObject,
		};
	}
	const networkCode = cause?.code ?? (error as { code?: string })?.code;
	if (typeof networkCode === 'string' && /^E[A-Z_]+$|^ERR_/.test(networkCode)) {
		return { networkCode };
	}
	const refusal = oauthRefusal(error);
	if (refusal) return { message: refusal };
	return { message: error instanceof Error ? error.message : String(error) };
}

interface AxiosLike {
	code?: string;
	isAxiosError?: boolean;
	syscall?: string;
	response?: { status?: number; data?: unknown; headers?: unknown };
}

/**
 * The axios error (answered or not) or Node.js socket error under what n8n threw. Only those:
 * the OAuth2 client's errors carry a `code` too (EAUTH), but are no network failure.
 */
function findAxiosLike(error: unknown): AxiosLike | undefined {
	let current: unknown = error;
	for (let depth = 0; depth < 4 && current && typeof current === 'object'; depth++) {
		const candidate = current as AxiosLike & { cause?: unknown };
		if (
			candidate.response ||
			candidate.isAxiosError === true ||
			typeof candidate.syscall === 'string'
		) {
			return candidate;
		}
		current = candidate.cause;
	}
	return undefined;
}

/** RingCentral's answer when n8n's OAuth2 client could not refresh a token (e.g. a changed client secret). */
function oauthRefusal(error: unknown): string | undefined {
	let current: unknown = error;
	for (let depth = 0; depth < 4 && current && typeof current === 'object'; depth++) {
		const body = (current as { body?: unknown }).body as
			| (RingCentralErrorBody & { error?: unknown })
			| undefined;
		if (body && typeof body === 'object' && typeof body.error === 'string') {
			const codes = [body.error, body.errorCode].filter(Boolean).join(' ');
			const reason = body.error_description ?? body.message;
			return `RingCentral refused to renew the OAuth2 access token (${codes})${reason ? `: ${reason}` : ''}. Check the credential's client ID and client secret, then reconnect it.`;
		}
		current = (current as { cause?: unknown }).cause;
	}
	return undefined;
}

export function toApiError(
	node: INode,
	failure: RequestFailure,
	request: ApiRequest,
	baseUrl: string,
	secrets: readonly string[],
): NodeApiError {
	const options = { itemIndex: request.itemIndex };
	const mask = (text: string) => masked(text, secrets, request);
	const retried = failure.retries
		? ` (after ${failure.retries} ${failure.retries === 1 ? 'retry' : 'retries'})`
		: '';
	const mayHaveActed = mayHaveActedNote(request, failure);
	if (failure.status === undefined) {
		const reason = failure.networkCode
			? `Could not complete the request to ${baseUrl}: ${networkFailureText(failure.networkCode) ?? failure.networkCode}${retried}`
			: mask(failure.message ?? 'The request to RingCentral failed');
		const message = mayHaveActed ? `${reason}. ${mayHaveActed.message}` : reason;
		return new NodeApiError(node, { message } as JsonObject, {
			...options,
			message,
			description: mayHaveActed?.description,
		});
	}
	const body = (
		typeof failure.body === 'object' && failure.body !== null ? failure.body : {}
	) as RingCentralErrorBody;
	const code = body.errorCode;
	const text = mask(String(body.message ?? body.error_description ?? statusText(failure.status)));
	const details = (body.errors ?? [])
		.map((entry) => mask(failureReason(entry)))
		.filter((line) => line.length > 0);
	const description = [
		...details,
		failure.status === 401 ? credentialAdvice(node) : '',
		failure.status === 429 ? rateLimitAdvice(request, failure) : '',
		failure.refusedWaitMs !== undefined
			? `RingCentral asked to wait ${Math.round(failure.refusedWaitMs / 1000)} s before trying again: longer than the ${MAX_FAULT_RETRY_WAIT_MS / 60_000} minutes the node waits at most, so it was not retried. Run this again later.`
			: '',
		mayHaveActed?.description ?? '',
	]
		.filter(Boolean)
		.join('\n');
	const message = `RingCentral error ${code ? `${mask(String(code))} ` : ''}(HTTP ${failure.status}): ${text}${retried}`;
	return new NodeApiError(
		node,
		{
			httpCode: String(failure.status),
			errorCode: code === undefined ? null : mask(String(code)),
			message: text,
		} as JsonObject,
		{
			...options,
			httpCode: String(failure.status),
			message: mayHaveActed ? `${message}. ${mayHaveActed.message}` : message,
			description: description || undefined,
		},
	);
}

/** What to do about a 401, by the way in the node uses (its `authentication` parameter). */
const CREDENTIAL_ADVICE: Record<Authentication, string> = {
	accessToken:
		'The access token is wrong or has expired (access tokens last about an hour). Paste a new token into the credential, or switch Authentication to JWT so that n8n gets and renews tokens itself.',
	jwt: "n8n got a new access token with the JWT credential and RingCentral still refused it. Check that the JWT's user is still enabled and allowed to use the API.",
	oAuth2:
		'n8n refreshed the OAuth2 token and RingCentral still refused it. Reconnect the credential.',
};

function credentialAdvice(node: INode): string {
	const authentication = String(node.parameters.authentication ?? 'accessToken');
	return CREDENTIAL_ADVICE[authentication as Authentication] ?? CREDENTIAL_ADVICE.accessToken;
}

function rateLimitAdvice(request: ApiRequest, failure: RequestFailure): string {
	const sent = failure.retries
		? `It was sent ${failure.retries + 1} times, waiting ${seconds(failure.waitedMs ?? 0)} in all. `
		: `It waited ${seconds(failure.waitedMs ?? 0)} before it was sent. `;
	const limit = failure.rateLimit;
	const rest = limit
		? `Waiting the ${seconds(limit.neededMs)} that RingCentral's penalty and the pacing need would go past the node's wait timeout (${seconds(limit.waitTimeoutMs)}, under Rate Limiting). ${sendersNote(limit.view)}`
		: '';
	return `RingCentral's "${request.group}" rate limit for this app and user is exceeded. ${sent}${rest}`.trim();
}

function seconds(ms: number): string {
	return `${Math.round(ms / 1000)} s`;
}

/** What the rate-limit counts RingCentral sent back said about who else is sending. */
function sendersNote(view: RateLimitView): string {
	const limit = view.learned
		? `${view.limit} requests per ${seconds(view.windowMs)}`
		: `RingCentral's documented ${view.limit} requests per ${seconds(view.windowMs)}; no answer said otherwise`;
	const others = view.othersSeen
		? "RingCentral's remaining counts fell faster than this n8n process sent requests: something else uses the same limit (another n8n worker or process, or another app signed in as the same user)."
		: "RingCentral's remaining counts matched this n8n process's own requests: nothing else was seen using the limit.";
	return `The limit is ${limit}. ${others} Run this later, spread the work out, or raise the wait timeout.`;
}

/** The pacing alone would hold a request past the wait timeout (it was never refused with a 429 for it). */
export function rateLimitTimeoutError(
	node: INode,
	request: ApiRequest,
	giveUp: RateLimitGiveUp,
): NodeApiError {
	const message = `Gave up waiting for RingCentral's "${giveUp.view.group}" rate limit after ${seconds(giveUp.waitedMs)}: the request would have to wait ${seconds(giveUp.neededMs)} more, past the node's wait timeout (${seconds(giveUp.waitTimeoutMs)}). It was not sent${giveUp.refusals ? ` again after ${giveUp.refusals} refusal${giveUp.refusals === 1 ? '' : 's'} (HTTP 429)` : ''}.`;
	return new NodeApiError(node, { message } as JsonObject, {
		itemIndex: request.itemIndex,
		message,
		description: sendersNote(giveUp.view),
	});
}

/**
 * A request that changes something and failed without a clear refusal may still have been
 * carried out. It is never repeated; the user has to know that before running it again.
 */
function mayHaveActedNote(
	request: ApiRequest,
	failure: RequestFailure,
): { message: string; description: string } | undefined {
	const unclear =
		failure.networkCode !== undefined || (failure.status !== undefined && failure.status >= 500);
	if (request.method === 'GET' || !unclear) return undefined;
	return MAY_HAVE_ACTED;
}

/** Whether an error says its request may have been carried out (see mayHaveActedNote). */
export function mayHaveActed(error: Error): boolean {
	return error.message.includes(MAY_HAVE_ACTED.message);
}

const MAY_HAVE_ACTED = {
	message:
		'RingCentral may have carried it out (e.g. created the extension or started the bulk update)',
	description:
		'The request was not repeated, because it may have reached RingCentral. Check the account (list the extensions, or read the bulk-update tasks) before running this again, so that nothing is created or updated twice.',
};

function statusText(status: number): string {
	if (status === 401) return 'The credential was rejected: check the token or the app credentials';
	if (status === 403) return 'The credential lacks a permission this operation needs';
	if (status === 404) return 'Not found';
	if (status === 429) return 'Too many requests';
	return status >= 500 ? 'RingCentral could not process the request' : 'The request was rejected';
}

/** `METHOD /restapi/v1.0/account/{accountId}/path`, for messages (no host, no query). */
function requestLabel(request: ApiRequest): string {
	return `${request.method} ${apiPath(request)}`;
}

export function redirectError(
	node: INode,
	request: ApiRequest,
	redirect: { status: number; baseUrl: string; shown: string; tooMany: boolean },
): NodeApiError {
	const message = redirectRefusal(`RingCentral's server (${requestLabel(request)})`, redirect);
	return new NodeApiError(node, { message } as JsonObject, {
		itemIndex: request.itemIndex,
		httpCode: String(redirect.status),
		message,
		description: REDIRECT_ADVICE,
	});
}

/** A write answered 303 See Other: carried out, the server says, so it is not sent again anywhere. */
export function seeOtherError(node: INode, request: ApiRequest, shown: string): NodeApiError {
	const message = `RingCentral's server (${requestLabel(request)}) answered HTTP 303 See Other, pointing to ${shown}: the request was not sent again. ${MAY_HAVE_ACTED.message}`;
	return new NodeApiError(node, { message } as JsonObject, {
		itemIndex: request.itemIndex,
		httpCode: '303',
		message,
		description: MAY_HAVE_ACTED.description,
	});
}

/** An answer that is not RingCentral's (HTML from a proxy, a wrong shape): never output as success. */
export function unexpectedAnswerError(
	node: INode,
	request: ApiRequest,
	status: number,
	problem: string,
	body: unknown,
	secrets: readonly string[],
): NodeApiError {
	const excerpt = excerptOf(body, secrets, request);
	const mayHaveActed = request.method === 'GET' ? undefined : MAY_HAVE_ACTED;
	const reason = `The answer to ${requestLabel(request)} (HTTP ${status}) is not what RingCentral sends: ${problem}`;
	const message = mayHaveActed ? `${reason}. ${mayHaveActed.message}` : reason;
	return new NodeApiError(node, { message } as JsonObject, {
		itemIndex: request.itemIndex,
		httpCode: String(status),
		message,
		description: [
			excerpt ? `The answer began: ${excerpt}` : 'The answer had no body.',
			'A proxy, firewall or wrong server URL may have answered instead of RingCentral.',
			mayHaveActed?.description,
		]
			.filter(Boolean)
			.join('\n'),
	});
}
