/**
 * The request's answer, or undefined when RingCentral answered 404 (the thing is gone).
 * Every other failure is the transport's NodeApiError and passes through unchanged.
 */
export async function unlessNotFound<T>(request: Promise<T>): Promise<T | undefined> {
	const outcome = await request.then(
		(value) => ({ ok: true as const, value }),
		(error: unknown) => ({ ok: false as const, error }),
	);
	if (outcome.ok) return outcome.value;
	if ((outcome.error as { httpCode?: unknown }).httpCode === '404') return undefined;
	throw outcome.error;
}
