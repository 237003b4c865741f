import type { IDataObject } from 'n8n-workflow';

import { waitMs } from './wait';

/** RingCentral's throttling groups (x-throttling-group in the API specification). */
export type RateLimitGroup = 'Light' | 'Medium' | 'Heavy';

/** One request, from the moment it was let through until it was answered. */
interface RateLimitTicket {
	readonly seq: number;
	/** Before the request left: no earlier than this did the server count it. */
	readonly sentAt: number;
	/** When the answer (or the failure) arrived: no later than this did the server count it. */
	answeredAt?: number;
	/** The server may have counted it (anything but a 429). */
	mayCount?: boolean;
	/** The server certainly counted it: it answered with the rate-limit headers, not with a 429. */
	counted?: boolean;
}

/** What the newest answer with an `X-Rate-Limit-Remaining` header said. */
interface Report {
	/** Of the ticket that carried it; older answers arriving later are not reports. */
	seq: number;
	sentAt: number;
	at: number;
	/** The reported remaining, less our requests that were in flight and may not be counted in it. */
	remaining: number;
}

interface GroupState {
	limit?: number;
	windowMs?: number;
	report?: Report;
	tickets: RateLimitTicket[];
	nextSeq: number;
	/** No request of this group before this time (a 429 penalty). */
	blockedUntil: number;
}

/** Re-check at least this often while only unanswered requests fill the window. */
const IN_FLIGHT_RECHECK_MS = 100;
const MAX_TICKETS_WITHOUT_WINDOW = 1000;

/**
 * Paces requests per credential and throttling group so that a run never trips RingCentral's
 * sliding-window limit, and holds every request back during a 429 penalty (a request sent
 * during the penalty would restart it). The state outlives one execution because RingCentral
 * meters the app and user, not the workflow run; concurrent executions share it safely
 * because a slot is checked and taken without yielding in between.
 *
 * The model: the newest answer's `X-Rate-Limit-Remaining` is the truth at the moment the
 * server counted that request. Since then, our own later requests used slots, and our own
 * earlier requests that were certainly inside that window freed one each when they left it.
 * Arrival times are unknown, so each request is taken to have arrived as late as its answer
 * (for when it leaves the window) and as early as its sending (for whether it was inside).
 * Once a whole window has passed since the report, only our own recent requests count.
 */
export class RateLimiter {
	private readonly groups = new Map<string, GroupState>();

	/** Waits until a request of this group may go out, and takes its slot. */
	async acquire(key: string, signal?: AbortSignal): Promise<RateLimitTicket> {
		const state = this.state(key);
		for (;;) {
			const now = Date.now();
			const delay = this.delayFor(state, now);
			if (delay <= 0) {
				const ticket: RateLimitTicket = { seq: state.nextSeq++, sentAt: now };
				state.tickets.push(ticket);
				return ticket;
			}
			await waitMs(delay, signal);
		}
	}

	/** Records the answer to a request: its status (undefined when none came) and headers. */
	settle(
		key: string,
		ticket: RateLimitTicket,
		status: number | undefined,
		headers: IDataObject | undefined,
	): void {
		const state = this.state(key);
		const now = Date.now();
		ticket.answeredAt = now;
		ticket.mayCount = status !== 429;
		const limit = numberHeader(headers, 'x-rate-limit-limit');
		const windowSeconds = numberHeader(headers, 'x-rate-limit-window');
		const remaining = numberHeader(headers, 'x-rate-limit-remaining');
		if (limit !== undefined) state.limit = limit;
		if (windowSeconds !== undefined && windowSeconds > 0) state.windowMs = windowSeconds * 1000;
		ticket.counted = remaining !== undefined && status !== 429;
		if (remaining !== undefined && (!state.report || ticket.seq > state.report.seq)) {
			const unsure = state.tickets.filter(
				(other) => other.seq < ticket.seq && other.answeredAt === undefined,
			).length;
			state.report = {
				seq: ticket.seq,
				sentAt: ticket.sentAt,
				at: now,
				remaining: remaining - unsure,
			};
		}
		this.prune(state, now);
	}

	/** After a 429: nothing of this group goes out until the penalty has passed. */
	penalize(key: string, waitForMs: number): void {
		const state = this.state(key);
		state.blockedUntil = Math.max(state.blockedUntil, Date.now() + waitForMs);
	}

	windowMs(key: string): number | undefined {
		return this.state(key).windowMs;
	}

	private delayFor(state: GroupState, now: number): number {
		const penalty = state.blockedUntil - now;
		if (penalty > 0) return penalty;
		const { limit, windowMs, report } = state;
		if (limit === undefined || windowMs === undefined || report === undefined) return 0;
		const window = windowMs + safetyMarginMs(windowMs);
		return now >= report.at + window
			? this.delayAfterWindowRolled(state, limit, window, now)
			: this.delaySinceReport(state, report, windowMs, now);
	}

	/** Within a window of the report: its remaining, less what we sent since, plus what left. */
	private delaySinceReport(
		state: GroupState,
		report: Report,
		windowMs: number,
		now: number,
	): number {
		const window = windowMs + safetyMarginMs(windowMs);
		const sentSince = state.tickets.filter((ticket) => ticket.seq > report.seq).length;
		const leaving = state.tickets
			.filter(
				(ticket) =>
					ticket.counted &&
					ticket.answeredAt !== undefined &&
					ticket.answeredAt <= report.sentAt &&
					ticket.sentAt > report.at - windowMs,
			)
			.map((ticket) => (ticket.answeredAt as number) + window)
			.sort((a, b) => a - b);
		const available = report.remaining - sentSince + leaving.filter((time) => time <= now).length;
		if (available > 0) return 0;
		const rolled = report.at + window;
		const freeAt = leaving.filter((time) => time > now)[-available] ?? rolled;
		return Math.min(freeAt, rolled) - now;
	}

	/** A window after the report everything it counted has left; only our own recent requests remain. */
	private delayAfterWindowRolled(
		state: GroupState,
		limit: number,
		window: number,
		now: number,
	): number {
		const occupying = state.tickets.filter(
			(ticket) =>
				ticket.answeredAt === undefined || (ticket.mayCount && ticket.answeredAt + window > now),
		);
		if (occupying.length < limit) return 0;
		const leaving = occupying
			.filter((ticket) => ticket.answeredAt !== undefined)
			.map((ticket) => (ticket.answeredAt as number) + window)
			.sort((a, b) => a - b);
		const freeAt = leaving[occupying.length - limit];
		return freeAt === undefined ? IN_FLIGHT_RECHECK_MS : freeAt - now;
	}

	/** Forgets answered requests that can no longer matter to either estimate. */
	private prune(state: GroupState, now: number): void {
		const { windowMs, report } = state;
		if (windowMs === undefined) {
			const excess = state.tickets.length - MAX_TICKETS_WITHOUT_WINDOW;
			if (excess > 0) state.tickets.splice(0, excess);
			return;
		}
		const window = windowMs + safetyMarginMs(windowMs);
		const horizon = Math.min(now, report?.at ?? now) - window;
		state.tickets = state.tickets.filter(
			(ticket) =>
				ticket.answeredAt === undefined ||
				ticket.seq >= (report?.seq ?? 0) ||
				ticket.answeredAt > horizon,
		);
	}

	private state(key: string): GroupState {
		let state = this.groups.get(key);
		if (!state) {
			state = { tickets: [], nextSeq: 1, blockedUntil: 0 };
			this.groups.set(key, state);
		}
		return state;
	}
}

/** Timers and clocks are not exact: leave a little room (1% of the window, at most 250 ms). */
function safetyMarginMs(windowMs: number): number {
	return Math.min(250, Math.ceil(windowMs / 100));
}

export function numberHeader(headers: IDataObject | undefined, name: string): number | undefined {
	const raw = headers?.[name];
	const value = Number(Array.isArray(raw) ? raw[0] : raw);
	return raw === undefined || raw === null || raw === '' || !Number.isFinite(value)
		? undefined
		: value;
}
