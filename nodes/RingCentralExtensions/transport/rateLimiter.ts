import type { IDataObject } from 'n8n-workflow';

import { waitMs } from '../helpers/wait';

/** RingCentral's throttling groups (x-throttling-group in the API specification). */
export type RateLimitGroup = 'Light' | 'Medium' | 'Heavy';

interface GroupState {
	limit?: number;
	windowMs?: number;
	/** What the last answer said is left in the window, less what was sent since. */
	remaining?: number;
	/** When each recent answer arrived: the server counted its request no later than that. */
	answeredAt: number[];
	/** No request of this group before this time (a 429 penalty). */
	blockedUntil: number;
}

/**
 * Paces requests per credential and throttling group from RingCentral's `X-Rate-Limit-*`
 * headers, so that a long run never trips the limit, and honours 429 penalties: a request
 * sent during a penalty would restart it. The state outlives one execution because
 * RingCentral meters the app and user, not the workflow run.
 */
export class RateLimiter {
	private readonly groups = new Map<string, GroupState>();

	async beforeRequest(key: string, signal?: AbortSignal): Promise<void> {
		const state = this.state(key);
		await waitMs(this.delayFor(state, Date.now()), signal);
		if (state.remaining !== undefined) state.remaining = Math.max(0, state.remaining - 1);
	}

	afterResponse(key: string, headers: IDataObject | undefined): void {
		const state = this.state(key);
		const now = Date.now();
		state.answeredAt.push(now);
		const limit = numberHeader(headers, 'x-rate-limit-limit');
		const windowSeconds = numberHeader(headers, 'x-rate-limit-window');
		const remaining = numberHeader(headers, 'x-rate-limit-remaining');
		if (limit !== undefined) state.limit = limit;
		if (windowSeconds !== undefined) state.windowMs = windowSeconds * 1000;
		state.remaining = remaining;
		this.forgetExpired(state, now);
	}

	/** After a 429: nothing of this group goes out until the penalty has passed. */
	penalize(key: string, waitForMs: number): void {
		const state = this.state(key);
		state.blockedUntil = Math.max(state.blockedUntil, Date.now() + waitForMs);
		state.remaining = undefined;
	}

	windowMs(key: string): number | undefined {
		return this.state(key).windowMs;
	}

	private delayFor(state: GroupState, now: number): number {
		const penalty = Math.max(0, state.blockedUntil - now);
		if (state.remaining !== 0 || state.windowMs === undefined) return penalty;
		this.forgetExpired(state, now);
		// The window frees a slot when the oldest request we know of leaves it; if other
		// clients used the quota we know nothing about, a whole window is the safe wait.
		const oldest = state.answeredAt[0];
		const slotFreesAt = oldest === undefined ? now + state.windowMs : oldest + state.windowMs;
		return Math.max(penalty, slotFreesAt - now);
	}

	private forgetExpired(state: GroupState, now: number): void {
		if (state.windowMs === undefined) {
			state.answeredAt.splice(0, Math.max(0, state.answeredAt.length - 1000));
			return;
		}
		const horizon = now - state.windowMs;
		while (state.answeredAt.length > 0 && state.answeredAt[0] <= horizon) state.answeredAt.shift();
	}

	private state(key: string): GroupState {
		let state = this.groups.get(key);
		if (!state) {
			state = { answeredAt: [], blockedUntil: 0 };
			this.groups.set(key, state);
		}
		return state;
	}
}

export function numberHeader(headers: IDataObject | undefined, name: string): number | undefined {
	const raw = headers?.[name];
	const value = Number(Array.isArray(raw) ? raw[0] : raw);
	return raw === undefined || raw === null || raw === '' || !Number.isFinite(value)
		? undefined
		: value;
}
