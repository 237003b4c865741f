import { sleep } from 'n8n-workflow';

/** Waits `ms` milliseconds, or rejects at once when the execution is cancelled. */
export async function waitMs(ms: number, signal?: AbortSignal): Promise<void> {
	if (signal?.aborted) throw cancelledError(signal);
	if (ms <= 0) return;
	if (!signal) return await sleep(ms);
	let onAbort: (() => void) | undefined;
	const cancelled = new Promise<never>((_resolve, reject) => {
		onAbort = () => reject(cancelledError(signal));
		signal.addEventListener('abort', onAbort, { once: true });
	});
	try {
		await Promise.race([sleep(ms), cancelled]);
	} finally {
		if (onAbort) signal.removeEventListener('abort', onAbort);
	}
}

function cancelledError(signal: AbortSignal): Error {
	return signal.reason instanceof Error ? signal.reason : new Error('The execution was cancelled');
}
