import type { IDataObject } from 'n8n-workflow';

import { waitMs } from './wait';

/** RingCentral's throttling groups (x-throttling-group in the API specification; Auth: the token endpoint). */
export type RateLimitGroup = 'Light' | 'Medium' | 'Heavy' | 'Auth';

interface Limit {
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
/** Re-check at least this often while only unanswered requests fill the window. */
const IN_FLIGHT_RECHECK_MS = 100;
/**
 * Other senders seen are assumed still there this many windows later: at one request per
 * window each, a report misses the others' request now and then.
 */
const OTHERS_KEPT_WINDOWS = 4;
/** A hard bound on the bookkeeping, whatever the answers say. */
const MAX_TICKETS = 1000;

export interface Clock {
	now(): number;
	/** A number in [0, 1), for the spread after a 429. */
	random(): number;
}

const systemClock: Clock = { now: () => Date.now(), random: () => Math.random() };

/** One request of ours, from the moment it was let through until it was answered. */
export interface RateLimitTicket {
	readonly exceeded: false;
	readonly seq: number;
	readonly sentAt: number;
	/** How long it waited to be let through. */
	readonly waitedMs: number;
	answeredAt?: number;
	/** The server may still count it in its window (not refused, not wiped by a penalty). */
	mayCount: boolean;
}

/** What the newest answer with a usable `X-Rate-Limit-Remaining` said. */
interface Report {
	seq: number;
	sentAt: number;
	at: number;
	/** The reported remaining, less our requests that were in flight and may not be counted in it. */
	remaining: number;
}

interface GroupState {
	group: RateLimitGroup;
	limit: number;
	windowMs: number;
	/** The limit and window came from RingCentral's headers, not from the documentation. */
	learned: boolean;
	report?: Report;
	tickets: RateLimitTicket[];
	nextSeq: number;
	firstSentAt?: number;
	/** Requests that may go out back to back (a token bucket, refilled at the allowance's rate), as of `creditAt`. */
	credit: number;
	creditAt: number;
	/** Requests of other senders in the window, as the newest report implies, and when. */
	others: number;
	ownAtReport: number;
	othersSeenAt?: number;
	/** Whether any report ever showed other senders (for the error message). */
	othersEverSeen: boolean;
	/** No request of this group before this time (a 429 penalty, plus the spread). */
	blockedUntil: number;
	/** After a penalty, half the allowance until this time. */
	cautiousUntil: number;
	/** 429s in a row without a success in between. */
	refusals: number;
}

/** What the limiter knows of a group, for error messages. */
export interface RateLimitView {
	group: RateLimitGroup;
	limit: number;
	windowMs: number;
	learned: boolean;
	othersSeen: boolean;
}

/** What `acquire` answers when the group would not let a request through before the deadline. */
export interface RateLimitWaitExceeded {
	exceeded: true;
	view: RateLimitView;
	waitedMs: number;
	/** How much longer it would have had to wait. */
	neededMs: number;
}

/**
 * Paces requests per credential and throttling group across every sender of an app and user,
 * with nothing shared but RingCentral's answers (each n8n worker has its own limiter):
 *
 * - Requests go out evenly spaced at the rate the limit allows this process, never in a burst:
 *   with RingCentral's documented limit until an answer gives the real one, and at half of it for
 *   the first window, before the answers could have shown whether anyone else is sending.
 * - `X-Rate-Limit-Remaining` is the server's count for all senders. When it falls faster than
 *   this process sent, the difference is other senders: the allowance becomes a share of the
 *   limit in proportion, and no more than the reported remaining is spent.
 * - After a 429 the whole group waits Retry-After plus a random spread (a whole window of
 *   spacing when others were seen), so that workers come back out of step instead of renewing
 *   each other's penalty, then runs at half its allowance for a window.
 * - Headers no real limit can produce (a limit of 0, a window of days) are ignored.
 */
export class RateLimiter {
	private readonly groups = new Map<string, GroupState>();

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
		const start = this.clock.now();
		for (;;) {
			const now = this.clock.now();
			const delay = this.delayFor(state, now);
			if (delay <= 0) return this.take(state, now, now - start);
			if (options.deadline !== undefined && now + delay > options.deadline) {
				return { exceeded: true, view: this.view(state), waitedMs: now - start, neededMs: delay };
			}
			await waitMs(delay, options.signal);
		}
	}

	/** How long from now until a request of this group may go out (0: at once). */
	delay(scope: string, group: RateLimitGroup): number {
		return Math.max(0, this.delayFor(this.state(scope, group), this.clock.now()));
	}

	/** Takes a slot now, without waiting (for tests and for callers that waited themselves). */
	takeNow(scope: string, group: RateLimitGroup): RateLimitTicket {
		return this.take(this.state(scope, group), this.clock.now(), 0);
	}

	/** Records the answer to a request: its status (undefined when none came) and headers. */
	settle(
		scope: string,
		group: RateLimitGroup,
		ticket: RateLimitTicket,
		status: number | undefined,
		headers: IDataObject | undefined,
	): void {
		const state = this.state(scope, group);
		const now = this.clock.now();
		ticket.answeredAt = now;
		// One impossible value makes the whole answer's counts suspect: none of them is used.
		const trusted = this.learn(state, headers);
		if (status === 429) {
			// Its Remaining (0) says nothing of the window after the penalty.
			ticket.mayCount = false;
		} else {
			if (status !== undefined && status < 400) state.refusals = 0;
			const remaining = trusted ? plausibleRemaining(headers, state.limit) : undefined;
			if (remaining !== undefined && (!state.report || ticket.seq > state.report.seq)) {
				this.report(state, ticket, remaining, now);
			}
		}
		this.prune(state, now);
	}

	/**
	 * After a 429: nothing of this group goes out until the penalty has passed, plus a random
	 * spread. Returns how long from now that is. Without `Retry-After`, a window (doubled for
	 * each further 429 in a row, in case the penalty is longer).
	 */
	penalize(scope: string, group: RateLimitGroup, retryAfterMs: number | undefined): number {
		const state = this.state(scope, group);
		const now = this.clock.now();
		const penalty = retryAfterMs ?? state.windowMs * 2 ** Math.min(state.refusals, 4);
		state.refusals++;
		const until = now + penalty + this.spreadMs(state, penalty);
		state.blockedUntil = Math.max(state.blockedUntil, until);
		state.cautiousUntil = state.blockedUntil + windowWithMargin(state.windowMs);
		// Back from the penalty, one request may go at once.
		state.credit = 1;
		state.creditAt = state.blockedUntil;
		// RingCentral starts the window afresh once a penalty is served: nothing of ours counts.
		for (const ticket of state.tickets) ticket.mayCount = false;
		state.report = undefined;
		return state.blockedUntil - now;
	}

	view(scopeOrState: string | GroupState, group?: RateLimitGroup): RateLimitView {
		const state =
			typeof scopeOrState === 'string' ? this.state(scopeOrState, group ?? 'Light') : scopeOrState;
		return {
			group: state.group,
			limit: state.limit,
			windowMs: state.windowMs,
			learned: state.learned,
			othersSeen: state.othersEverSeen,
		};
	}

	/** How many requests the limiter keeps track of (bounded, whatever the answers carry). */
	trackedRequests(scope: string, group: RateLimitGroup): number {
		return this.state(scope, group).tickets.length;
	}

	/** How many requests per window this process allows itself now. */
	allowance(scope: string, group: RateLimitGroup): number {
		return this.allowanceOf(this.state(scope, group), this.clock.now());
	}

	private take(state: GroupState, now: number, waitedMs: number): RateLimitTicket {
		const ticket: RateLimitTicket = {
			exceeded: false,
			seq: state.nextSeq++,
			sentAt: now,
			waitedMs,
			mayCount: true,
		};
		state.tickets.push(ticket);
		state.firstSentAt ??= now;
		state.credit = this.creditOf(state, now) - 1;
		state.creditAt = now;
		if (state.tickets.length > MAX_TICKETS)
			state.tickets.splice(0, state.tickets.length - MAX_TICKETS);
		return ticket;
	}

	/** Takes the limit and window from an answer; false when either is one no real limit has. */
	private learn(state: GroupState, headers: IDataObject | undefined): boolean {
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
		if (limit === null || windowSeconds === null) return false;
		if (limit !== undefined) state.limit = limit;
		if (windowSeconds !== undefined) state.windowMs = windowSeconds * 1000;
		if (limit !== undefined || windowSeconds !== undefined) state.learned = true;
		return true;
	}

	/** A new report: what the server counted, and how much of it was not ours. */
	private report(state: GroupState, ticket: RateLimitTicket, remaining: number, now: number): void {
		const unsure = state.tickets.filter(
			(other) => other.seq < ticket.seq && other.answeredAt === undefined,
		).length;
		state.report = {
			seq: ticket.seq,
			sentAt: ticket.sentAt,
			at: now,
			remaining: remaining - unsure,
		};
		// Ours that the server may have had in its window when it counted this one: at most these.
		const ours = state.tickets.filter(
			(other) =>
				other.mayCount &&
				other.sentAt <= now &&
				(other.answeredAt ?? Infinity) > ticket.sentAt - state.windowMs,
		).length;
		const others = Math.max(0, state.limit - remaining - ours);
		state.ownAtReport = Math.max(1, ours);
		// Kept for a few windows: a report in which the others' requests happen to have left
		// the window must not hand this process the whole limit.
		if (others > 0) {
			state.others = others;
			state.othersSeenAt = now;
			state.othersEverSeen = true;
		}
	}

	private delayFor(state: GroupState, now: number): number {
		const penalty = state.blockedUntil - now;
		if (penalty > 0) return penalty;
		const allowance = this.allowanceOf(state, now);
		// Sharing the limit, the others' latency is not ours to see: a little more room.
		const window = windowWithMargin(state.windowMs) * (this.othersFresh(state, now) ? 1.04 : 1);
		return Math.max(
			this.spacingDelay(state, allowance, window, now),
			this.ownWindowDelay(state, allowance, window, now),
			this.reportDelay(state, window, now),
		);
	}

	/**
	 * Requests per window this process allows itself: the limit when alone; with other senders
	 * in the newest reports, a share (at least as many of the senders as the counts imply, each
	 * taken to send as much as this one), or what this one sends plus half of what is left free.
	 */
	private allowanceOf(state: GroupState, now: number): number {
		const window = windowWithMargin(state.windowMs);
		const { limit } = state;
		let allowance = limit;
		if (this.othersFresh(state, now)) {
			// Each other sender taken to send at least as much as this one, and at least half the
			// limit: then two workers settle on half each, whatever share they started from.
			const perSender = Math.max(state.ownAtReport, limit / 2);
			const senders = 1 + Math.ceil(state.others / perSender);
			allowance = Math.floor(limit / senders);
		} else if (state.firstSentAt === undefined || now < state.firstSentAt + window) {
			// The first window: the answers cannot yet tell whether another worker is sending too.
			allowance = Math.ceil(limit / 2);
		}
		if (now < state.cautiousUntil) allowance = Math.floor(allowance / 2);
		return Math.max(1, Math.min(limit, allowance));
	}

	private othersFresh(state: GroupState, now: number): boolean {
		const window = windowWithMargin(state.windowMs);
		return (
			state.othersSeenAt !== undefined && now < state.othersSeenAt + OTHERS_KEPT_WINDOWS * window
		);
	}

	/**
	 * Evenly spaced, with at most a quarter of the allowance back to back: a burst is what
	 * overflows a window that another sender is also using.
	 */
	private spacingDelay(state: GroupState, allowance: number, window: number, now: number): number {
		const credit = this.creditOf(state, now);
		return credit >= 1 ? 0 : ((1 - credit) * window) / allowance;
	}

	private creditOf(state: GroupState, now: number): number {
		const allowance = this.allowanceOf(state, now);
		const burst = Math.max(1, Math.floor(allowance / 4));
		const refill =
			(Math.max(0, now - state.creditAt) * allowance) / windowWithMargin(state.windowMs);
		return Math.min(burst, state.credit + refill);
	}

	/** No more of ours in any window than the allowance (a request leaves it a window after its answer). */
	private ownWindowDelay(
		state: GroupState,
		allowance: number,
		window: number,
		now: number,
	): number {
		const occupying = state.tickets.filter(
			(ticket) =>
				ticket.mayCount && (ticket.answeredAt === undefined || ticket.answeredAt + window > now),
		);
		if (occupying.length < allowance) return 0;
		const leaving = occupying
			.filter((ticket) => ticket.answeredAt !== undefined)
			.map((ticket) => (ticket.answeredAt as number) + window)
			.sort((a, b) => a - b);
		const freeAt = leaving[occupying.length - allowance];
		return freeAt === undefined ? IN_FLIGHT_RECHECK_MS : freeAt - now;
	}

	/**
	 * Within a window of the newest report: its remaining, less what we sent since, plus ours that
	 * have left the window since (other senders are taken to free as many as they take).
	 */
	private reportDelay(state: GroupState, window: number, now: number): number {
		const { report } = state;
		if (!report || now >= report.at + window) return 0;
		const sentSince = state.tickets.filter((ticket) => ticket.seq > report.seq).length;
		const leaving = state.tickets
			.filter(
				(ticket) =>
					ticket.mayCount &&
					ticket.answeredAt !== undefined &&
					ticket.answeredAt <= report.sentAt &&
					ticket.sentAt > report.at - state.windowMs,
			)
			.map((ticket) => (ticket.answeredAt as number) + window)
			.sort((a, b) => a - b);
		const available = report.remaining - sentSince + leaving.filter((time) => time <= now).length;
		if (available > 0) return 0;
		const rolled = report.at + window;
		const freeAt = leaving.filter((time) => time > now)[-available] ?? rolled;
		return Math.min(freeAt, rolled) - now;
	}

	/**
	 * The random part of the wait after a 429. Another sender learns of the penalty only with its
	 * own next request, and that 429 renews the penalty: when others were seen, come back at
	 * least the time in which they send one request (a window over their count) later, spread
	 * over as much again. Never more than the penalty itself.
	 */
	private spreadMs(state: GroupState, penaltyMs: number): number {
		const window = windowWithMargin(state.windowMs);
		const base = state.othersEverSeen ? window / Math.max(1, state.others) : window / state.limit;
		const spread = base * (1 + (state.othersEverSeen ? 1 : 2) * this.clock.random());
		return Math.min(penaltyMs, spread);
	}

	/** Forgets answered requests that can no longer matter to any estimate. */
	private prune(state: GroupState, now: number): void {
		const horizon = now - 2 * windowWithMargin(state.windowMs);
		state.tickets = state.tickets.filter(
			(ticket) => ticket.answeredAt === undefined || ticket.answeredAt > horizon,
		);
	}

	private state(scope: string, group: RateLimitGroup): GroupState {
		const key = `${scope}|${group}`;
		let state = this.groups.get(key);
		if (!state) {
			const documented = DOCUMENTED_LIMITS[group] ?? DOCUMENTED_LIMITS.Light;
			state = {
				group,
				limit: documented.limit,
				windowMs: documented.windowMs,
				learned: false,
				tickets: [],
				nextSeq: 1,
				credit: 1,
				creditAt: this.clock.now(),
				others: 0,
				ownAtReport: 1,
				othersEverSeen: false,
				blockedUntil: 0,
				cautiousUntil: 0,
				refusals: 0,
			};
			this.groups.set(key, state);
		}
		return state;
	}
}

/** Timers, clocks and the network are not exact: leave a little room (2%, 100 ms to 1 s). */
function windowWithMargin(windowMs: number): number {
	return windowMs + Math.min(1000, Math.max(100, Math.ceil(windowMs / 50)));
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

function plausibleRemaining(headers: IDataObject | undefined, limit: number): number | undefined {
	const remaining = numberHeader(headers, 'x-rate-limit-remaining');
	if (remaining === undefined || !Number.isInteger(remaining)) return undefined;
	return remaining >= 0 && remaining <= limit ? remaining : undefined;
}

/** `Retry-After` in seconds or as an HTTP date, in milliseconds from now. */
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

/** One limiter per process: shared by every execution, and by the JWT credential's token fetch. */
export const sharedRateLimiter = new RateLimiter();
