import type { IDataObject } from 'n8n-workflow';

/** RingCentral's throttling groups (x-throttling-group in the API specification; Auth: the token endpoint). */
export type RateLimitGroup = 'Light' | 'Medium' | 'Heavy' | 'Auth';

export interface Limit {
	limit: number;
	windowMs: number;
}

/** RingCentral's documented limits per app and user: in force until an answer says otherwise. */
export const DOCUMENTED_LIMITS: Readonly<Record<RateLimitGroup, Limit>> = {
	Light: { limit: 50, windowMs: 60_000 },
	Medium: { limit: 40, windowMs: 60_000 },
	Heavy: { limit: 10, windowMs: 60_000 },
	Auth: { limit: 5, windowMs: 60_000 },
};

/** Headers beyond these cannot come from a real limit (RingCentral's are tens per minute). */
const MAX_PLAUSIBLE_LIMIT = 10_000;
const MAX_PLAUSIBLE_WINDOW_S = 3600;

/**
 * A Retry-After longer than this is no real penalty (RingCentral's is a minute): the request
 * fails at once with an error, and the group is held back only as long as without the header.
 */
export const MAX_RETRY_AFTER_MS = MAX_PLAUSIBLE_WINDOW_S * 1000;

/**
 * The least wait after a 429, doubled for each further 429 in a row (up to a window): a
 * Retry-After of 0 or less must not turn a refusing server into a busy loop.
 */
export const MIN_REFUSAL_WAIT_MS = 1000;

/** Timers, clocks and the network are not exact: leave a little room (2%, 100 ms to 1 s). */
export function windowWithMargin(windowMs: number): number {
	return windowMs + Math.min(1000, Math.max(100, Math.ceil(windowMs / 50)));
}

/**
 * The limit and window an answer announces: each undefined when absent; null when either is
 * one no real limit has (then none of the answer's counts can be trusted).
 */
export function announcedLimit(
	headers: IDataObject | undefined,
): { limit?: number; windowMs?: number } | null {
	const limit = plausibleHeader(
		headers,
		'x-rate-limit-limit',
		(value) => Number.isInteger(value) && value >= 1 && value <= MAX_PLAUSIBLE_LIMIT,
	);
	const windowSeconds = plausibleHeader(
		headers,
		'x-rate-limit-window',
		(value) => value > 0 && value <= MAX_PLAUSIBLE_WINDOW_S,
	);
	if (limit === null || windowSeconds === null) return null;
	return { limit, windowMs: windowSeconds === undefined ? undefined : windowSeconds * 1000 };
}

/** `X-Rate-Limit-Remaining`, when it is a count the limit allows. */
export function announcedRemaining(
	headers: IDataObject | undefined,
	limit: number,
): number | undefined {
	const remaining = numberHeader(headers, 'x-rate-limit-remaining');
	if (remaining === undefined || !Number.isInteger(remaining)) return undefined;
	return remaining >= 0 && remaining <= limit ? remaining : undefined;
}

/** A header's number: undefined when absent, null when present but impossible. */
function plausibleHeader(
	headers: IDataObject | undefined,
	name: string,
	plausible: (value: number) => boolean,
): number | undefined | null {
	const raw = headers?.[name];
	if (raw === undefined || raw === null || raw === '') return undefined;
	const value = numberHeader(headers, name);
	return value !== undefined && plausible(value) ? value : null;
}

/** `Retry-After` in seconds or as an HTTP date, in milliseconds from now (0 for the past). */
export function retryAfterMs(headers: IDataObject | undefined): number | undefined {
	const seconds = numberHeader(headers, 'retry-after');
	if (seconds !== undefined) return Math.max(0, seconds * 1000);
	const raw = headers?.['retry-after'];
	const date = typeof raw === 'string' ? Date.parse(raw) : NaN;
	return Number.isFinite(date) ? Math.max(0, date - Date.now()) : undefined;
}

export function numberHeader(headers: IDataObject | undefined, name: string): number | undefined {
	const raw = headers?.[name];
	const value = Number(Array.isArray(raw) ? raw[0] : raw);
	return raw === undefined || raw === null || raw === '' || !Number.isFinite(value)
		? undefined
		: value;
}
