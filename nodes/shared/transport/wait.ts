import { sleep } from 'n8n-workflow';

/**
 * n8n's `sleep` cannot be cancelled, so long waits are cut into slices of at most this
 * length: a cancelled execution leaves no timer running for longer than one slice.
 */
const SLICE_MS = 1000;

/** Waits `ms` milliseconds, or rejects at once when the execution is cancelled. */
export async function waitMs(ms: number, signal?: AbortSignal): Promise<void> {
	if (signal?.aborted) throw cancelledError(signal);
	if (!(ms > 0)) return;
	if (!signal) {
		// Sliced here too: a timer over 2^31-1 ms would fire at once, and a caller would spin.
		const until = Date.now() + ms;
		for (let left = ms; left > 0; left = until - Date.now()) await sleep(Math.min(left, SLICE_MS));
		return;
	}
	let onAbort: (() => void) | undefined;
	const cancelled = new Promise<never>((_resolve, reject) => {
		onAbort = () => reject(cancelledError(signal));
		signal.addEventListener('abort', onAbort, { once: true });
	});
	try {
		const until = Date.now() + ms;
		for (let left = ms; left > 0; left = until - Date.now()) {
			await Promise.race([sleep(Math.min(left, SLICE_MS)), cancelled]);
		}
	} finally {
		if (onAbort) signal.removeEventListener('abort', onAbort);
	}
}

function cancelledError(signal: AbortSignal): Error {
	return signal.reason instanceof Error ? signal.reason : new Error('The execution was cancelled');
}
