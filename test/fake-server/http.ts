import type { IncomingMessage, ServerResponse } from 'node:http';

export interface Reply {
	status: number;
	body: unknown;
	headers?: Record<string, string>;
}

/** A received request, read and parsed once. */
export interface Incoming {
	method: string;
	path: string;
	rawQuery: string;
	query: Record<string, string[]>;
	headers: Record<string, string | string[] | undefined>;
	contentType: string;
	rawBody: string;
	/** Parsed JSON or form body; the raw text when it does not parse; undefined when empty. */
	body: unknown;
	bodyParseError?: string;
	at: number;
}

export async function readIncoming(request: IncomingMessage): Promise<Incoming> {
	const rawBody = await readBody(request);
	const target = request.url ?? '/';
	const queryStart = target.indexOf('?');
	const rawQuery = queryStart === -1 ? '' : target.slice(queryStart + 1);
	const contentType = String(request.headers['content-type'] ?? '')
		.split(';')[0]
		.trim()
		.toLowerCase();
	return {
		method: request.method ?? 'GET',
		path: queryStart === -1 ? target : target.slice(0, queryStart),
		rawQuery,
		query: parseQuery(rawQuery),
		headers: { ...request.headers },
		contentType,
		rawBody,
		...parseBody(rawBody, contentType),
		at: Date.now(),
	};
}

/** A request's body as text, read to its end. */
export function readBody(request: IncomingMessage): Promise<string> {
	return new Promise((resolve, reject) => {
		const chunks: Buffer[] = [];
		request.on('data', (chunk: Buffer) => chunks.push(chunk));
		request.on('end', () => resolve(Buffer.concat(chunks).toString('utf8')));
		request.on('error', reject);
	});
}

export function parseQuery(rawQuery: string): Record<string, string[]> {
	const query: Record<string, string[]> = {};
	for (const [key, value] of new URLSearchParams(rawQuery)) {
		(query[key] ??= []).push(value);
	}
	return query;
}

function parseBody(
	rawBody: string,
	contentType: string,
): Pick<Incoming, 'body' | 'bodyParseError'> {
	if (rawBody === '') return { body: undefined };
	if (contentType === 'application/x-www-form-urlencoded') {
		return { body: Object.fromEntries(new URLSearchParams(rawBody)) };
	}
	if (contentType === 'application/json') {
		try {
			return { body: JSON.parse(rawBody) as unknown };
		} catch (error) {
			return { body: rawBody, bodyParseError: (error as Error).message };
		}
	}
	return { body: rawBody };
}

export function sendReply(response: ServerResponse, reply: Reply): void {
	const payload = reply.body === undefined ? '' : JSON.stringify(reply.body);
	response.writeHead(reply.status, {
		'Content-Type': 'application/json',
		'Content-Length': Buffer.byteLength(payload),
		...reply.headers,
	});
	response.end(payload);
}

export function headerValue(incoming: Incoming, name: string): string | undefined {
	const value = incoming.headers[name.toLowerCase()];
	return Array.isArray(value) ? value[0] : value;
}
