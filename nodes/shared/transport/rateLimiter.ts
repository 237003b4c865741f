import type { IDataObject } from 'n8n-workflow';

import {
	delayFor,
	earliestComebackMs,
	newGroupState,
	penalize,
	settle,
	take,
	viewOf,
	type GroupState,
	type RateLimitTicket,
	type RateLimitView,
} from './pacingEstimate';
import { MAX_RETRY_AFTER_MS, retryAfterMs, type RateLimitGroup } from './rateLimits';
import { waitMs } from './wait';

export type { RateLimitTicket, RateLimitView } from './pacingEstimate';
export { DOCUMENTED_LIMITS, retryAfterMs, type RateLimitGroup } from './rateLimits';

export interface Clock {
	now(): number;
	/** A number in [0, 1), for the spread after a 429. */
	random(): number;
	/** Waits (the pacing simulator's virtual time; real timers when absent). */
	sleep?(ms: number, signal?: AbortSignal): Promise<void>;
}

/** A waiting request looks again at least this often (answers change the estimate). */
const RECHECK_MS = 250;

const systemClock: Clock = { now: () => Date.now(), random: () => Math.random() };

/** A request waiting in `acquire`; `wake` ends its current nap early. */
interface Waiter {
	wake?: () => void;
}

/** What `acquire` answers when the group would not let a request through before the deadline. */
export interface RateLimitWaitExceeded {
	exceeded: true;
	view: RateLimitView;
	waitedMs: number;
	/** How much longer it would have had to wait. */
	neededMs: number;
}

/** After a 429: wait this long and send again, or give up with an error for this request. */
export type RefusalDecision =
	| { retryInMs: number }
	| {
			giveUp: {
				/** The wait the request would need (for an absurd Retry-After, what the server asked). */
				neededMs: number;
				/** The server asked for a wait no real penalty has (the group is not held back that long). */
				absurd: boolean;
			};
	  };

/**
 * Paces requests per credential and throttling group across every sender of an app and user,
 * with nothing shared but RingCentral's answers (each n8n worker has its own limiter). The
 * estimate is in pacingEstimate.ts; this class keeps one per scope and group, and waits.
 */
export class RateLimiter {
	private readonly groups = new Map<string, GroupState>();
	private readonly queues = new Map<string, Waiter[]>();

	constructor(private readonly clock: Clock = systemClock) {}

	/**
	 * Waits until a request of this group may go out, and takes its slot; or, when that would be
	 * after the deadline, says so at once without waiting.
	 */
	async acquire(
		scope: string,
		group: RateLimitGroup,
		options: { signal?: AbortSignal; deadline?: number } = {},
	): Promise<RateLimitTicket | RateLimitWaitExceeded> {
		const state = this.state(scope, group);
		const queue = this.queueOf(scope, group);
		const start = this.clock.now();
		const me: Waiter = {};
		queue.push(me);
		// At start-up the estimate keeps a place only while more than one request asks for it.
		state.waiting++;
		try {
			for (;;) {
				const now = this.clock.now();
				const delay = delayFor(state, now, start);
				if (delay <= 0 && queue[0] === me) return take(state, now, now - start);
				if (delay > 0 && options.deadline !== undefined && now + delay > options.deadline) {
					return { exceeded: true, view: viewOf(state), waitedMs: now - start, neededMs: delay };
				}
				// A place is free but an earlier request asked first: it goes now, then wakes this one.
				if (delay <= 0) queue[0].wake?.();
				// Looked at again soon: an answer to another request may free a place before then.
				await this.nap(me, delay <= 0 ? RECHECK_MS : Math.min(delay, RECHECK_MS), options.signal);
			}
		} finally {
			state.waiting--;
			queue.splice(queue.indexOf(me), 1);
			queue[0]?.wake?.();
		}
	}

	/** How long from now until a request of this group may go out (0: at once). */
	delay(scope: string, group: RateLimitGroup): number {
		return Math.max(0, delayFor(this.state(scope, group), this.clock.now()));
	}

	/** Takes a slot now, without waiting (for tests and for callers that waited themselves). */
	takeNow(scope: string, group: RateLimitGroup): RateLimitTicket {
		return take(this.state(scope, group), this.clock.now(), 0);
	}

	/** Records the answer to a request: its status (undefined when none came) and headers. */
	settle(
		scope: string,
		group: RateLimitGroup,
		ticket: RateLimitTicket,
		status: number | undefined,
		headers: IDataObject | undefined,
	): void {
		settle(this.state(scope, group), ticket, status, headers, this.clock.now());
	}

	/** After a 429: holds the whole group back; returns how long from now (see `penalize`). */
	penalize(scope: string, group: RateLimitGroup, retryAfter: number | undefined): number {
		return penalize(this.state(scope, group), this.clock.now(), retryAfter, this.clock.random());
	}

	/**
	 * After a 429 (its headers): the group is held back, and the request either waits that out
	 * and goes again, or, when the wait would pass the deadline or the server asked for a wait no
	 * real penalty has, fails now. An absurd Retry-After holds the group back only as long as no
	 * Retry-After would, so the next run tries again instead of failing at once.
	 */
	refused(
		scope: string,
		group: RateLimitGroup,
		headers: IDataObject | undefined,
		deadline: number,
	): RefusalDecision {
		const asked = retryAfterMs(headers);
		if (asked !== undefined && asked > MAX_RETRY_AFTER_MS) {
			this.penalize(scope, group, undefined);
			return { giveUp: { neededMs: asked, absurd: true } };
		}
		const wait = this.penalize(scope, group, asked);
		// Gone again as early as the estimate may let several requests go; it waits there for the rest.
		const earliest = earliestComebackMs(this.state(scope, group), this.clock.now());
		return this.clock.now() + earliest <= deadline
			? { retryInMs: wait }
			: { giveUp: { neededMs: wait, absurd: false } };
	}

	view(scope: string, group: RateLimitGroup): RateLimitView {
		return viewOf(this.state(scope, group));
	}

	/** How many requests the limiter keeps track of (bounded, whatever the answers carry). */
	trackedRequests(scope: string, group: RateLimitGroup): number {
		return this.state(scope, group).tickets.length;
	}

	/** Sleeps up to `ms`, or until an earlier request of the group has gone and wakes this one. */
	private async nap(me: Waiter, ms: number, signal?: AbortSignal): Promise<void> {
		const woken = new Promise<void>((resolve) => (me.wake = resolve));
		const slept = this.clock.sleep ? this.clock.sleep(ms, signal) : waitMs(ms, signal);
		// Woken first, the nap's end (or its cancellation) comes later, to nobody.
		slept.catch(() => undefined);
		try {
			await Promise.race([slept, woken]);
		} finally {
			me.wake = undefined;
		}
	}

	/** This process's requests asking for a place in a group, in the order they asked: first asked, first sent. */
	private queueOf(scope: string, group: RateLimitGroup): Waiter[] {
		const key = `${scope}|${group}`;
		let queue = this.queues.get(key);
		if (!queue) {
			queue = [];
			this.queues.set(key, queue);
		}
		return queue;
	}

	private state(scope: string, group: RateLimitGroup): GroupState {
		const key = `${scope}|${group}`;
		let state = this.groups.get(key);
		if (!state) {
			state = newGroupState(group);
			this.groups.set(key, state);
		}
		return state;
	}
}
