import { settle } from '../helpers/values';

function httpCodeOf(error: unknown): unknown {
	return (error as { httpCode?: unknown }).httpCode;
}

/**
 * The request's answer, or undefined when RingCentral answered 404 (the thing is gone, or
 * never was: no extension has that id). One home for "404 means none", for both nodes.
 * Every other failure is the transport's NodeApiError and passes through unchanged.
 */
export async function unlessNotFound<T>(request: Promise<T>): Promise<T | undefined> {
	const outcome = await settle(request);
	if (outcome.ok) return outcome.value;
	if (httpCodeOf(outcome.error) === '404') return undefined;
	throw outcome.error;
}

/**
 * Why a subscription cannot be read or deleted with the trigger's credential: `gone` (404) or
 * `notOurs` (403: it belongs to another app or user, e.g. the one of the trigger's previous credential).
 */
export type Unmanageable = 'gone' | 'notOurs';

/** A subscription request's answer, or why that subscription cannot be managed with this credential. */
export async function subscriptionAnswer<T>(
	request: Promise<T>,
): Promise<{ value: T } | { unmanageable: Unmanageable }> {
	const outcome = await settle(request);
	if (outcome.ok) return { value: outcome.value };
	const httpCode = httpCodeOf(outcome.error);
	if (httpCode === '404') return { unmanageable: 'gone' };
	if (httpCode === '403') return { unmanageable: 'notOurs' };
	throw outcome.error;
}
