import type { IDataObject } from 'n8n-workflow';

import {
	announcedLimit,
	announcedRemaining,
	DOCUMENTED_LIMITS,
	MIN_REFUSAL_WAIT_MS,
	windowWithMargin,
	type RateLimitGroup,
} from './rateLimits';

/**
 * The pure estimate behind the limiter: what one process knows of one throttling group of one
 * app and user, and when its next request may go. No clock and no waiting here: every function
 * takes the time.
 *
 * RingCentral's `X-Rate-Limit-Remaining` counts every sender of the app and user in a sliding
 * window. That count is the shared budget:
 * - A job that fits in what is reported left goes out back to back, less a reserve for the
 *   other senders the answers have revealed (none while none were seen). The reserve is for
 *   growing: a place of ours that left the window is taken again without it (each sender
 *   replaces only what it held, so replacing cannot overfill the window).
 * - Senders share the window: with one other seen, each keeps to half of it; with more, each
 *   keeps to its share of a census (the others counted from how fast their count grows between
 *   two of our requests), and a few places stay free so that a sender starting late is admitted
 *   and told how full the window is instead of drawing a penalty for all.
 * - When nothing is left, the next request waits until one of ours leaves the window (a window
 *   after its answer), so a job longer than the window runs at the rate the window allows, and
 *   with other senders at the share they leave: each replaces only what it held.
 * - Before any answer, or a window after the newest one, one request at a time goes out: its
 *   answer says what is left (no start-up storm when many executions begin together). While
 *   several start together, one place is kept for a while for senders that started alongside,
 *   and with no other sender seen, at most half the window is taken until an answer shows who
 *   came (workers that start together cannot see each other before).
 * - Several requests of this process in flight at once spend at most a share of what is left:
 *   other processes may be spending the same count.
 * - After a 429 nothing of the group goes out until the penalty is served, plus a comeback that
 *   lets the other senders meet it first (none when they had only just started); then, for a
 *   few windows, what is left goes out evenly spaced at the share the others leave, so that a
 *   steady sender finds room again.
 * Each rule was chosen from the pacing simulator's figures (npm run bench:pacing).
 */

/** Re-check at least this often while only unanswered requests hold the next one back. */
export const IN_FLIGHT_RECHECK_MS = 100;
/** Other senders seen are assumed still there this many windows later. */
const OTHERS_KEPT_WINDOWS = 4;
/** With two or more other senders, one place in this many is left for a sender yet to come... */
const NEWCOMER_ROOM_PER = 8;
/** ...in windows of more places than this. */
const NEWCOMER_ROOM_MIN_LIMIT = 10;
/** A request sent this soon after the answer before it went out back to back (the recheck)... */
const BACK_TO_BACK_MS = IN_FLIGHT_RECHECK_MS;
/** ...or, in a longer window, within this share of it (see backToBackMs)... */
const BACK_TO_BACK_WINDOW_SHARE = 1 / 60;
/** ...but never later than this after it. */
const BACK_TO_BACK_MAX_MS = 1000;
/** The census counts the others' rises of this many windows (see censusOf). */
const CENSUS_KEPT_WINDOWS = 8;
/** After a penalty, with this many other senders counted or more... */
const STALE_REPORT_MIN_CENSUS = 4;
/** ...a report older than this share of a window says nothing of what is free (see staleReportDelay). */
const STALE_REPORT_SHARE = 0.1;
/** The start-up place is kept this long after the first report, at most (see startReserveMs). */
const START_RESERVE_MS = 500;
/** The crowd counts at most this many windows' places as senders (one request per this many windows). */
const MAX_CROWD_WINDOWS = 4;
/** A hard bound on the bookkeeping, whatever the answers say. */
const MAX_TICKETS = 1000;
/** Others first seen less than this share of a window before a 429 had only just started. */
const JUST_ARRIVED_SHARE = 0.02;
/** The random part of the comeback after a penalty that only senders just started met. */
const JUST_ARRIVED_SPREAD_SHARE = 0.05;

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
	/** Ours sent before it and unanswered when it came: counted or not, nobody can tell. */
	unsure: number;
}

export interface GroupState {
	group: RateLimitGroup;
	limit: number;
	windowMs: number;
	/** The limit and window came from RingCentral's headers, not from the documentation. */
	learned: boolean;
	report?: Report;
	tickets: RateLimitTicket[];
	nextSeq: number;
	/** Others' requests in the window, as each report of the last windows implied. */
	samples: Array<{ at: number; sentAt: number; others: number }>;
	othersSeenAt?: number;
	/** When the others now seen were first seen, after a window without any. */
	othersSince?: number;
	/** The others' rises between two back-to-back reports of ours, of the last census windows. */
	rises: Array<{ at: number; others: number; demand: number }>;
	/** Other senders the penalties met beside them imply at least (see crowdAfterPenalty). */
	crowd: number;
	/** Whether any report ever showed other senders (for the error message and the spread). */
	othersEverSeen: boolean;
	/** No request of this group before this time (a 429 penalty, plus the spread). */
	blockedUntil: number;
	/** From this time several requests of ours asking may go, before blockedUntil (see penalize). */
	servedAt: number;
	/** After a penalty, one more request kept in reserve until this time. */
	cautiousUntil: number;
	/** 429s in a row without a success in between. */
	refusals: number;
	/** Some request of this group was answered without a 429. */
	answered: boolean;
	/** When the first report of this burst came, after none for a window (see record). */
	burstStartAt?: number;
	/** When the newest report came. */
	lastReportAt?: number;
	/** Requests of this process asking for a place now (kept by the waiting limiter). */
	waiting: number;
	/** No request of this group before this time (see holdAfterTakingTheLast). */
	heldUntil: number;
}

/** What the limiter knows of a group, for error messages. */
export interface RateLimitView {
	group: RateLimitGroup;
	limit: number;
	windowMs: number;
	learned: boolean;
	othersSeen: boolean;
}

export function newGroupState(group: RateLimitGroup): GroupState {
	const documented = DOCUMENTED_LIMITS[group] ?? DOCUMENTED_LIMITS.Light;
	return {
		group,
		limit: documented.limit,
		windowMs: documented.windowMs,
		learned: false,
		tickets: [],
		nextSeq: 1,
		samples: [],
		rises: [],
		othersEverSeen: false,
		crowd: 0,
		blockedUntil: 0,
		servedAt: 0,
		cautiousUntil: 0,
		refusals: 0,
		answered: false,
		waiting: 0,
		heldUntil: 0,
	};
}

export function viewOf(state: GroupState): RateLimitView {
	return {
		group: state.group,
		limit: state.limit,
		windowMs: state.windowMs,
		learned: state.learned,
		othersSeen: state.othersEverSeen,
	};
}

export function take(state: GroupState, now: number, waitedMs: number): RateLimitTicket {
	// Let through as the penalty ended, before the comeback (see penalize): the wait is over for all.
	if (now >= state.servedAt && now < state.blockedUntil) state.blockedUntil = now;
	const ticket: RateLimitTicket = {
		exceeded: false,
		seq: state.nextSeq++,
		sentAt: now,
		waitedMs,
		mayCount: true,
	};
	state.tickets.push(ticket);
	if (state.tickets.length > MAX_TICKETS)
		state.tickets.splice(0, state.tickets.length - MAX_TICKETS);
	return ticket;
}

/** Records the answer to a request: its status (undefined when none came) and headers. */
export function settle(
	state: GroupState,
	ticket: RateLimitTicket,
	status: number | undefined,
	headers: IDataObject | undefined,
	now: number,
): void {
	ticket.answeredAt = now;
	// One impossible value makes the whole answer's counts suspect: none of them is used.
	const announced = announcedLimit(headers);
	if (announced) {
		if (announced.limit !== undefined) state.limit = announced.limit;
		if (announced.windowMs !== undefined) state.windowMs = announced.windowMs;
		if (announced.limit !== undefined || announced.windowMs !== undefined) state.learned = true;
	}
	if (status === 429) {
		// Its Remaining (0) says nothing of the window after the penalty.
		ticket.mayCount = false;
	} else {
		if (status !== undefined && status < 400) state.refusals = 0;
		if (status !== undefined) state.answered = true;
		const remaining = announced ? announcedRemaining(headers, state.limit) : undefined;
		if (remaining !== undefined) {
			// An answer that comes after a later request's still says who else was counted.
			if (!state.report || ticket.seq > state.report.seq) record(state, ticket, remaining, now);
			else noteOthers(state, ticket, remaining, now);
		}
	}
	prune(state, now);
}

/**
 * After a 429: nothing of this group goes out until the penalty has passed, plus a random
 * spread; never sooner than the floor, which doubles with each further 429 in a row. Without
 * `Retry-After`, a window (doubled likewise, in case the penalty is longer). Returns how long
 * from now that is.
 */
export function penalize(
	state: GroupState,
	now: number,
	retryAfterMs: number | undefined,
	random: number,
): number {
	crowdAfterPenalty(state, now);
	const inARow = Math.min(state.refusals, 6);
	const floor = Math.min(MIN_REFUSAL_WAIT_MS * 2 ** inARow, state.windowMs);
	const penalty = Math.max(floor, retryAfterMs ?? state.windowMs * 2 ** Math.min(inARow, 4));
	state.refusals++;
	const until = now + penalty + spreadMs(state, now, penalty, random, inARow);
	state.blockedUntil = Math.max(state.blockedUntil, until);
	// Refused before any answer (the first request of the group this process sent) while several
	// of ours ask when the penalty ends: this process started with the others (queue mode's
	// workers, the other's first execution alone a moment and taking the window), so back as the
	// penalty ends, when the sender that filled the window holds back (see
	// holdAfterTakingTheLast). One request alone may be a sender starting late beside senders
	// that have run for long: two windows, as spreadMs says. The first request let through ends
	// the wait for every later one (take).
	const window = windowWithMargin(state.windowMs);
	state.servedAt =
		!state.answered && inARow === 0
			? now + penalty + window - state.windowMs + window * JUST_ARRIVED_SPREAD_SHARE * random
			: state.blockedUntil;
	state.cautiousUntil = state.blockedUntil + OTHERS_KEPT_WINDOWS * window;
	othersBehindPenalty(state, now);
	// RingCentral starts the window afresh once a penalty is served: nothing of ours counts.
	for (const ticket of state.tickets) ticket.mayCount = false;
	state.report = undefined;
	return state.blockedUntil - now;
}

/**
 * How long after `now` a request just refused may go again at the earliest: as the penalty ends
 * when other requests of ours ask too (see penalize), else after the whole comeback.
 */
export function earliestComebackMs(state: GroupState, now: number): number {
	const othersOfOurs = askingOrOut(state) > 0;
	return (othersOfOurs ? Math.min(state.servedAt, state.blockedUntil) : state.blockedUntil) - now;
}

/**
 * How long from `now` until a request of this group may go out (0 or less: at once); `askedAt`:
 * when the request first asked (the start-up's rules hold only requests that asked during it).
 */
export function delayFor(state: GroupState, now: number, askedAt = now): number {
	const penalty = state.blockedUntil - now;
	if (penalty > 0) {
		if (!startingSeveral(state)) return penalty;
		if (state.servedAt > now) return state.servedAt - now;
	}
	if (state.heldUntil > now && startingSeveral(state)) return state.heldUntil - now;
	const window = windowWithMargin(state.windowMs);
	const own = Math.max(ownWindowDelay(state, window, now), crowdSpacing(state, window, now));
	if (own > 0) return own;
	const { report } = state;
	const inFlight = state.tickets.filter(
		(ticket) => ticket.answeredAt === undefined && ticket.mayCount && ticket.sentAt + window > now,
	);
	if (!report || now >= report.at + window) {
		// Nothing known of the window: one at a time until an answer says what is left.
		return inFlight.length > 0 ? IN_FLIGHT_RECHECK_MS : 0;
	}
	if (startReserve(state, now) > 0 && inFlight.some((ticket) => ticket.seq < report.seq))
		return IN_FLIGHT_RECHECK_MS;
	const blind = blindStartDelay(state, report, inFlight, window, now, askedAt);
	if (blind > 0) return blind;
	const others = othersOf(state, now);
	const { free, ownLeft } = freeAtServer(state, report, window, now);
	// A place of ours that left the window is ours to take again: the reserve is for growing.
	const reserve = others.reserve + startReserve(state, now);
	const kept = Math.min(free, ownLeft + Math.max(0, free - ownLeft - reserve));
	const usable = shareUsable(state, others.peak, free, kept, window, now);
	if (usable >= 1) {
		const unanswered = inFlight.filter((ticket) => ticket.seq > report.seq).length;
		// Requests in flight together spend at most a share of what was left: the other
		// senders (one at least, until answers show how many) may be spending it too.
		const share = 1 + Math.max(1, others.active);
		if (unanswered > 0 && unanswered >= Math.floor((usable + unanswered) / share))
			return IN_FLIGHT_RECHECK_MS;
		const stale = staleReportDelay(state, report, window, now);
		if (stale > 0) return stale;
		return now < state.cautiousUntil ? cautiousSpacing(state, others.peak, window, now) : 0;
	}
	// Full: until enough of ours leave the window, the report is a window old, or the start-up
	// place is given up.
	const leaving = countedByReport(state, report)
		.map((ticket) => (ticket.answeredAt as number) + window)
		.filter((time) => time > now)
		.sort((a, b) => a - b);
	const freeAt = leaving[Math.ceil(1 - usable) - 1] ?? report.at + window;
	return Math.min(freeAt, report.at + window, startReserveEnd(state, now)) - now;
}

/**
 * For a while after the first report of a burst (startReserveMs), a sender that has seen no
 * other lately and has several requests going or asking (executions started together, as in
 * queue mode) keeps one place:
 * senders that started with it have their first requests on the way, and no report shows them
 * yet (measured on the simulated test:queue, medians: A 1.29–1.45 × → 1.04–1.29, B 1.39–1.42 →
 * 1.27–1.38). Not for one request at a time: a lone job at Heavy 2 per window would lose a window
 * (1.05 → 1.17 ×). Meanwhile a report that overtook an earlier request of ours is not acted on
 * until that one is answered: the earlier one may have arrived after a worker alongside, and
 * only its answer shows it (simulated test:queue A at a 150 ms round trip, the worst of ten runs
 * on seeds 1, 1000, 2000, 3000, 4000, 5000: 2.18, 1.31, 1.31, 1.98, 1.70, 1.58 × →
 * 1.10, 1.31, 1.31, 1.33, 1.09, 1.33 ×, no 429 left; every other figure unchanged).
 */
/** When the start-up place is no longer kept (never, while it is not kept now). */
function startReserveEnd(state: GroupState, now: number): number {
	return startReserve(state, now) > 0 ? startUpEnd(state) : Number.POSITIVE_INFINITY;
}

function startReserve(state: GroupState, now: number): number {
	return inStartUp(state, now) && startingSeveral(state) ? 1 : 0;
}

/**
 * How long the start-up place is kept: half a second after the first report (the simulated
 * workers start within half a second of each other, like n8n's picking up executions queued
 * together), or half the window when that is shorter. Kept half a window, it cost one process
 * running ten executions alone half a window at the end of its job, since a place not used stays
 * lost in a sliding window; at RingCentral's 60 s windows it was kept 30 s. Simulated test:queue
 * medians on seeds 1, 1000 and 2000: one process 1.18–1.19 → 1.11 ×, its bulk update 1.11 →
 * 1.06 ×, queue B 1.20–1.22 → 1.16–1.17 ×, queue A 1.08 × unchanged; the matrix unchanged. At
 * 1 s, 1.5 s and 2 s one process ran at 1.10, 1.12 and 1.14 ×, queue B at 1.17–1.20 ×.
 */
function startReserveMs(state: GroupState): number {
	return Math.min(START_RESERVE_MS, state.windowMs / 2);
}

/**
 * While several executions start together and no other sender shows (queue mode's workers, each
 * blind to the others until an answer shows them): at most half the window less one place until
 * the start-up place is given up, then one request, whose answer says who came meanwhile, and
 * only then the rest of the window as the answers show it. Two workers whose executions overlap
 * so cannot fill the window blind. Traced in test:queue A (Medium 6 per 6 s): a worker whose
 * reports all came before the other worker's first requests took a fourth and a fifth place,
 * and either the other's next request was refused (1.51–1.56 ×, one 429) or the pair's halves
 * kept the uneven start for the whole job (1.31 ×); the first runs of five deployments: 1.08,
 * 1.31, 1.51, 1.08, 1.06 × → 1.31, 1.06, 1.07, 1.07, 1.07 ×, none with a 429. A place not used now
 * is used later in the same window: one process running ten executions alone, 1.05–1.06 →
 * 1.06–1.09 ×. Not in windows of fewer than four places, where half less one leaves none.
 * Simulator: the matrix unchanged (its senders run one execution each); queue A's worst run on
 * seed 2000 2.19 → 1.09 ×.
 */
function blindStartDelay(
	state: GroupState,
	report: Report,
	inFlight: RateLimitTicket[],
	window: number,
	now: number,
	askedAt: number,
): number {
	if (state.limit < 4 || othersLately(state, now) || !startingSeveral(state)) return 0;
	const end = startUpEnd(state);
	if (report.sentAt >= end) return 0;
	if (now < end) {
		const cap = Math.floor(state.limit / 2) - 1;
		return ownOccupying(state, window, now).length >= cap ? end - now : 0;
	}
	if (inFlight.some((ticket) => ticket.sentAt >= end)) return IN_FLIGHT_RECHECK_MS;
	return askedAt < end + startReserveMs(state) ? halfHeldDelay(state, window, now) : 0;
}

/**
 * The request after the start-up, asked by then, while half the window or more is ours and no
 * other sender has shown: a worker alongside that saw those places keeps to the other half
 * (floor(limit / 2)) and may have filled it, so this one goes once fewer than ceil(limit / 2) are
 * ours (one of ours leaving, at an even limit), not at once. Happens when the first
 * execution, alone a moment, took half the window before the others asked (the blind cap applies
 * only once several ask). Traced in test:queue A: the probe was refused, the worker alongside
 * renewed that penalty with its next page, and this worker's comeback renewed it again (2.20 ×,
 * three 429s, one of six first runs on fresh deployments). Simulated queue A at a 5 ms round trip
 * (row P), ten runs on seeds 1 / 1000 / 2000: medians 1.49 / 1.49 / 1.49 → 1.49 / 1.29 / 1.31 ×,
 * the four runs at 2.25–2.30 × with three 429s → 1.79 × with one, 1.04, 1.04 ×, and one left at
 * 2.27 × (there the executions never overlapped: no several asking); every other row and cell
 * unchanged.
 * Alone, the cost is the rest of the first window once: a few seconds at the queue test's 6 s
 * window, up to a minute at RingCentral's, where a lone execution takes half the window in the
 * half-second start-up only at ten places or fewer. Not below four places, like the cap: at Heavy
 * 2 per window one process's requests go a window apart, each answer begins a burst, and the hold
 * halved its rate (simulated one process, 10 executions × 2 POSTs: 1.06 → 2.10 ×; queue B 1.19 →
 * 1.13 ×).
 */
function halfHeldDelay(state: GroupState, window: number, now: number): number {
	return untilOursBelow(state, Math.ceil(state.limit / 2), window, now);
}

/**
 * Within the half second after the first report of a burst, no other sender seen: a report that
 * shows the window full then may also mean a place taken that a worker alongside kept (see
 * holdAfterTakingTheLast), whether it is the burst's first report or a later one.
 */
function inStartUp(state: GroupState, now: number): boolean {
	return !othersLately(state, now) && now < startUpEnd(state);
}

/** When the start-up place of this burst is given up (never started: long past). */
function startUpEnd(state: GroupState): number {
	return state.burstStartAt === undefined
		? Number.NEGATIVE_INFINITY
		: state.burstStartAt + startReserveMs(state);
}

/** Several requests of this process going or asking (executions started together, queue mode). */
function startingSeveral(state: GroupState): boolean {
	return ownDemand(state) >= 2;
}

/**
 * Free places in the server's window as far as this process can tell: the reported remaining,
 * less ours sent since, plus ours it counted that have left the window since. Others are taken
 * to free as many as they take; the reserve is for when they take more.
 */
function freeAtServer(
	state: GroupState,
	report: Report,
	window: number,
	now: number,
): { free: number; ownLeft: number } {
	const sentSince = state.tickets.filter((ticket) => ticket.seq > report.seq).length;
	const left = countedByReport(state, report).filter(
		(ticket) => (ticket.answeredAt as number) + window <= now,
	).length;
	return { free: report.remaining - sentSince + left, ownLeft: left };
}

/**
 * Ours in the report's count: those answered before it was sent and sent inside its window; and,
 * while no other sender is seen, as many of those sent just before that window as the count has
 * no other explanation for (alone, every request the server counted was ours). Without them, a
 * place of ours still counted when the report's request arrived, and leaving the window just
 * after, was not taken again until the report was a window old: one process running ten
 * executions alone, traced in test:queue at 1.29 ×, sent its last page a window late.
 */
function countedByReport(state: GroupState, report: Report): RateLimitTicket[] {
	const answeredBefore = state.tickets.filter(
		(ticket) =>
			ticket.mayCount &&
			ticket.answeredAt !== undefined &&
			ticket.seq <= report.seq &&
			(ticket.answeredAt <= report.sentAt || ticket.seq === report.seq),
	);
	// Inside the window as noteOthers counts them too (each placed halfway through its round
	// trip): else beside another worker a place of ours that the others' count left out was never
	// taken back as it left, sent a window apart from the next (test:queue A traced at 1.30 ×).
	const countedAt = (report.sentAt + report.at) / 2;
	const inWindow = answeredBefore.filter(
		(ticket) =>
			ticket.sentAt > report.at - state.windowMs ||
			(ticket.sentAt + (ticket.answeredAt as number)) / 2 > countedAt - state.windowMs,
	);
	// What the server counted (the limit less the reported remaining), less what ours explain.
	const unexplained = state.limit - report.remaining - 2 * report.unsure - inWindow.length;
	if (unexplained <= 0 || othersLately(state, report.at)) return inWindow;
	const justBefore = answeredBefore.filter(
		(ticket) => !inWindow.includes(ticket) && mayStillBeCounted(state, ticket, report.sentAt),
	);
	return [...justBefore.slice(-unexplained), ...inWindow];
}

/**
 * Whether a request of ours may still have been in the server's window when a request sent at
 * `sentAt` arrived: it was answered less than a window before that one was sent.
 */
function mayStillBeCounted(state: GroupState, ours: RateLimitTicket, sentAt: number): boolean {
	return ours.answeredAt !== undefined && ours.answeredAt > sentAt - state.windowMs;
}

/** Some report of the last few windows before `at` showed requests that were not ours. */
function othersLately(state: GroupState, at: number): boolean {
	const window = windowWithMargin(state.windowMs);
	return state.othersSeenAt !== undefined && at < state.othersSeenAt + OTHERS_KEPT_WINDOWS * window;
}

/**
 * What the reports of the last window say of the other senders: the most they held (`peak`),
 * how many new requests of theirs came between two reports at most (`active`: senders that may
 * each have one request on the way that no report shows yet), and the places this process
 * leaves them: what they held and may take back, and one per active sender.
 */
function othersOf(
	state: GroupState,
	now: number,
): { peak: number; active: number; reserve: number } {
	const window = windowWithMargin(state.windowMs);
	const recent = state.samples.filter((sample) => sample.at > now - window);
	if (recent.length === 0)
		return { peak: 0, active: 0, reserve: now < state.cautiousUntil ? 1 : 0 };
	const peak = recent.reduce((most, sample) => Math.max(most, sample.others), 0);
	let active = 0;
	for (let index = 0; index < recent.length; index++) {
		// The first report of the window shows what others hold, not how fast they add to it.
		const rise = index > 0 ? recent[index].others - recent[index - 1].others : 0;
		active = Math.max(active, rise);
	}
	// A sender seen in the last few windows may be only waiting out a penalty or its window.
	if (othersLately(state, now)) active = Math.max(active, 1);
	active = Math.min(active, Math.max(1, Math.floor(state.limit / 4)));
	const current = recent[recent.length - 1].others;
	const reserve = peak - current + active + (now < state.cautiousUntil ? 1 : 0);
	return { peak, active, reserve };
}

/**
 * Places no sender of ours takes while more than one other shares the window (outside the pair
 * rule), one in eight of a limit above ten: a sender that starts late finds them free, so its
 * first request is admitted and its answer tells it how full the window is, where a full window
 * would answer with a penalty that every sender then meets. Not under the pair rule: two senders
 * whose jobs fill the window together would wait a window for its last places (measured: two
 * staggered half-window jobs 1.0 → 3.9–4.8 ×). Not in windows of ten places or fewer: there the
 * places are what the senders need to keep going (Heavy 10/60 s, two senders and the foreign
 * app: one more penalty). Alone, none: one sender uses every place.
 */
function newcomerRoom(state: GroupState, now: number): number {
	if (!othersLately(state, now) || state.limit <= NEWCOMER_ROOM_MIN_LIMIT) return 0;
	return Math.floor(state.limit / NEWCOMER_ROOM_PER);
}

/**
 * What the senders' shares leave of what is free: with two other senders or more counted, at
 * most the census share, and the reserve still held; with one, the pair's half, to the last place.
 */
function shareUsable(
	state: GroupState,
	othersPeak: number,
	free: number,
	kept: number,
	window: number,
	now: number,
): number {
	const pair = pairShareLeft(state, othersPeak, window, now);
	const census = censusOf(state, now);
	if (pair !== undefined && census < 2) return Math.min(free, pair);
	const roomy = Math.min(kept, free - newcomerRoom(state, now));
	return census >= 2 ? Math.min(roomy, censusShareLeft(state, census, window, now)) : roomy;
}

/**
 * How many other senders the reports of the last few windows reveal: the median rise of the
 * others' count between two reports of ours sent back to back (a request sent as the one before
 * was answered). In one round trip each other sequential sender adds about one request; a single
 * rise can see one sender's request twice (jitter), and the median is robust to that, where the
 * largest rise counted three senders for two and slowed pairs down. A sender that only waits
 * adds no rise, and after a penalty requests go out spaced, never back to back: so the rises of
 * the eight windows before the newest report are kept (twice the samples' four), while others are
 * still seen. Kept only as long as the samples, the census read 0 a few windows after a penalty
 * and three senders fell back on the pair's half each (Medium 6/6 s, ten windows, 3 at once, seed
 * 1: 16 penalties, 2.30 × → 1, 1.29 ×). Four, six, twelve windows or for as long as others are
 * seen each cost a pair beside the foreign app a cell it met (a rise of two at its start then
 * outlives the others' steady share); eight measured best (docs/benchmarks.md).
 */
function censusOf(state: GroupState, now: number): number {
	if (!othersLately(state, now)) return 0;
	return Math.max(state.crowd, risesCensus(state));
}

/** The median rise of the census windows, divided by this process's demand (see ownDemand). */
function risesCensus(state: GroupState): number {
	if (state.rises.length === 0) return 0;
	const demand = ownDemand(state);
	const rises = state.rises
		.map((rise) => Math.ceil(rise.others / Math.max(rise.demand, demand)))
		.sort((a, b) => a - b);
	return rises[Math.floor((rises.length - 1) / 2)];
}

/**
 * A penalty met beside other senders (not in the crossing of a start-up) keeps them counted: the
 * reports stop during it, and a penalty and its comeback can outlast the windows others are
 * remembered for, so the comeback took the whole window as if alone and the next 429 came back
 * after a request's share of the window, into the others' renewals. A second penalty in the
 * windows after the first says the shares are still too large: the census counted too few
 * senders (those that send a place a window never send back to back, so no rise shows them), and
 * it counts one more, for as long as others are seen. Measured on the simulator's matrix, seeds 1,
 * 1000 and 2000: cells met 235 → 237 (none lost), failed executions 70 → 40, 429s 13,861 → 8,123
 * ('Medium 6/6 s, ten windows, 5 at once': 220 429s, 2.74 × → 8, 1.35 ×); seeds 3000–5000: 225 →
 * 226, failed 77 → 51, 429s 15,522 → 7,720. Counting one more at the first penalty too met 5 more
 * cells beside the foreign app but lost 4 without it (three senders that had counted right then
 * kept to a quarter of the window each; 1.18 → 1.36 ×), and one more failed execution. At least
 * two others after a second penalty (the first version) cost a lone sender beside the foreign app
 * a third of the window once othersBehindPenalty counted that app (1.72 → 2.63 × on one seed,
 * 1.8 → 2.5 × on two spare seeds); without that floor, no one-sender cell changes.
 */
function crowdAfterPenalty(state: GroupState, now: number): void {
	if (!othersLately(state, now) || othersJustStarted(state, now, windowWithMargin(state.windowMs)))
		return;
	state.othersSeenAt = now;
	// The census already counts at least the crowd.
	const census = censusOf(state, now);
	if (now < state.cautiousUntil)
		state.crowd = Math.min(census + 1, MAX_CROWD_WINDOWS * state.limit - 1);
	else if (census < 2 && othersHeldAThird(state)) state.crowd = 2;
}

/**
 * Whether the newest report showed the others holding a third of the window or more. A first
 * penalty met beside others while counting at most one (the pair's half, or the whole window)
 * then counts two: two senders keeping to their halves cannot overfill the window, so a third
 * was there, sending a place a window without rises the census could see. Traced at Heavy
 * 10/60 s, ten windows, 3 at once: every sender counted one other and took half the window, and
 * the one refused came back into a window the two others had refilled. Simulator, seeds 1, 1000
 * and 2000: cells met 240 → 243 (5 gained, 2 lost), failed executions 36 → 31, 429s 6,225 →
 * 6,384; seeds 3000–5000: 228 → 231, failed 40 → 37; one-sender cells and test:queue medians
 * unchanged. With any other request in the report, a lone sender beside the foreign app (one
 * other request in its report) kept to a third of the window after its start-up penalty (1.70 →
 * 2.43 ×); with half the window, 240 cells and 33 failed.
 */
function othersHeldAThird(state: GroupState): boolean {
	const newest = state.samples[state.samples.length - 1];
	return newest !== undefined && newest.others >= Math.ceil(state.limit / 3);
}

/**
 * A 429 to a sender that has seen no other lately, while its own requests in the window were fewer
 * than the limit: someone else filled it, or began the penalty. From then on the others are
 * counted (after the comeback, which stays the lone sender's). Traced at Heavy 10/60 s, ten
 * windows, 5 staggered: the first sender filled the window alone, each later one met the penalty
 * with its first request, and the first sender, still alone in its eyes, refilled the window
 * after it; the newcomers came back blind into it and two executions failed. Simulator, seeds 1,
 * 1000 and 2000, with crowdAfterPenalty as it is: cells met 237 → 240, failed executions 40 → 36,
 * 429s 8,123 → 6,225; seeds 3000–5000: 226 → 228, failed 51 → 40; test:queue rows and one-sender
 * cells unchanged. Marking the others before the comeback (a window after the penalty instead of a
 * request's share of it) cost 6 cells and put queue B at 1.45–1.71 × with 3 429s.
 */
function othersBehindPenalty(state: GroupState, now: number): void {
	if (othersLately(state, now) || !state.answered) return;
	if (ownOccupying(state, windowWithMargin(state.windowMs), now).length >= state.limit) return;
	state.othersSeenAt = now;
	state.othersEverSeen = true;
}

/**
 * With more senders counted than places (five workers at Heavy 2 per window), a share of at
 * least one place each overfills every window: one request of ours per (senders ÷ limit) windows.
 * The crowd counts at most four windows' places (MAX_CROWD_WINDOWS), so a run of penalties never
 * spaces a request beyond a Wait Timeout of a few windows. Measured: 243 cells either way, failed
 * executions 31 → 28 (the Heavy 2/6 s cells had counted past eight senders).
 */
function crowdSpacing(state: GroupState, window: number, now: number): number {
	const senders = 1 + censusOf(state, now);
	if (senders <= state.limit) return 0;
	const last = state.tickets[state.tickets.length - 1];
	return last ? last.sentAt + (window * senders) / state.limit - now : 0;
}

/** Keeps the others' rise since the report before, when this one's request went out back to back. */
function noteRise(state: GroupState, sample: { at: number; sentAt: number; others: number }): void {
	const since = sample.at - CENSUS_KEPT_WINDOWS * windowWithMargin(state.windowMs);
	state.rises = state.rises.filter((rise) => rise.at > since);
	const before = state.samples[state.samples.length - 1];
	if (!before) return;
	const rise = sample.others - before.others;
	if (rise > 0 && sample.sentAt <= before.at + backToBackMs(state))
		keepNewest(state.rises, { at: sample.at, others: rise, demand: ownDemand(state) });
}

/**
 * How many requests of this process want to go at once (in flight or asking): the others are
 * taken to be like it, so one other worker running as many executions as this one counts as one
 * sender, not as the several requests it adds in a round trip (simulated test:queue A at a 150 ms
 * round trip: half the runs at 1.84 × with no 429, one worker keeping to a third of the window;
 * now 1.08–1.10 ×, with every cell of the matrix, whose senders send one at a time, unchanged).
 * A rise is divided by the larger of the demand when it was read and the demand now: read while
 * this worker's first execution was still alone, a rise of two from the other worker's several
 * counted two senders, and for the rest of the job this worker kept to a third of the window
 * (traced in test:queue at 1.80 ×, five requests a window instead of six).
 */
function ownDemand(state: GroupState): number {
	return Math.max(1, askingOrOut(state));
}

/** Requests of this process asking for a place or sent and not yet answered. */
function askingOrOut(state: GroupState): number {
	const unanswered = state.tickets.filter((ticket) => ticket.answeredAt === undefined).length;
	return state.waiting + unanswered;
}

/**
 * How soon after the answer before a request went out for the rise between their reports to
 * count: a sixtieth of the window (1 s at RingCentral's 60 s), at least the recheck's 100 ms. In
 * a long job each sender's next request waits for its own place to leave the window, and the
 * waiting limiter looks again every 250 ms, so after the first windows requests go out 0.2–1 s
 * after the answer before, not within 100 ms: no new rise came, the census expired eight windows
 * in, and five senders at Heavy 10/60 s fell back on the pair's half and overfilled the window
 * (a penalty at 490 s, executions failed). In the queue test's 6 s windows it stays 100 ms: there
 * a longer gap sees the twin worker's requests as more senders (test:queue A runs 1.29 → 1.81 ×).
 */
function backToBackMs(state: GroupState): number {
	const share = Math.min(BACK_TO_BACK_MAX_MS, state.windowMs * BACK_TO_BACK_WINDOW_SHARE);
	return Math.max(BACK_TO_BACK_MS, share);
}

/**
 * With more than one other sender counted, each keeps to floor(limit / senders) of the window,
 * less what it holds: shares that add up to the limit cannot overfill the window together. The
 * pair's half would let three senders take half each. At least one place, so a sender is never
 * shut out by a count that is too high.
 */
function censusShareLeft(state: GroupState, others: number, window: number, now: number): number {
	const share = Math.max(1, Math.floor(state.limit / (1 + others)));
	return share - ownOccupying(state, window, now).length;
}

/**
 * With one other sender seen (it holds at most half the window), each keeps to half the window:
 * what is left of this process's half. Two senders keeping to their halves cannot overfill the
 * window together, so no place is held in reserve and the window is used to the last place (a
 * reserve of one is a sixth of the queue test's Medium 6 per 6 s). With more, who holds what
 * cannot be told from the counts: undefined, and the reserve applies.
 */
function pairShareLeft(
	state: GroupState,
	othersPeak: number,
	window: number,
	now: number,
): number | undefined {
	if (othersPeak === 0 || othersPeak > Math.ceil(state.limit / 2)) return undefined;
	return Math.floor(state.limit / 2) - ownOccupying(state, window, now).length;
}

/**
 * For a few windows after a penalty, what is left goes out evenly spaced at the share the
 * others leave, not at once: a sender that sends steadily (another app) must find room as its
 * count grows back, or the penalty comes again.
 */
function cautiousSpacing(
	state: GroupState,
	othersPeak: number,
	window: number,
	now: number,
): number {
	const last = state.tickets[state.tickets.length - 1];
	if (!last) return 0;
	const share = Math.max(1, state.limit - othersPeak - 1);
	return last.sentAt + window / share - now;
}

/**
 * For the few windows after a penalty, with four other senders or more counted, a report older
 * than a tenth of the window no longer says what is free: every sender came back into a window
 * the penalty emptied and refills it, and their comebacks since are not in the report. Such a
 * sender waits until its report is a window old, then asks one request at a time. Traced at
 * Heavy 10/60 s, half a window, 5 at once beside the foreign app: a sender sent 20 s after an
 * answer that left 3 places, into a window the others had filled since, and each sender's spaced
 * request renewed the penalty until executions failed (now one penalty on each of nine seeds).
 * A fifth or a twentieth of the window, or three others counted, lost ten-window cells.
 */
function staleReportDelay(state: GroupState, report: Report, window: number, now: number): number {
	if (now >= state.cautiousUntil || now <= report.at + window * STALE_REPORT_SHARE) return 0;
	if (censusOf(state, now) < STALE_REPORT_MIN_CENSUS) return 0;
	return report.at + window - now;
}

/** Never more of ours in any window than the limit (a request leaves it a window after its answer). */
function ownWindowDelay(state: GroupState, window: number, now: number): number {
	return untilOursBelow(state, state.limit, window, now);
}

/** How long until fewer than `cap` of ours are in the window (0 or less: already). */
function untilOursBelow(state: GroupState, cap: number, window: number, now: number): number {
	const occupying = ownOccupying(state, window, now);
	if (occupying.length < cap) return 0;
	const leaving = occupying
		.filter((ticket) => ticket.answeredAt !== undefined)
		.map((ticket) => (ticket.answeredAt as number) + window)
		.sort((a, b) => a - b);
	const freeAt = leaving[occupying.length - cap];
	return freeAt === undefined ? IN_FLIGHT_RECHECK_MS : freeAt - now;
}

/** Ours the server may still count: unanswered, or answered less than a window ago. */
function ownOccupying(state: GroupState, window: number, now: number): RateLimitTicket[] {
	return state.tickets.filter(
		(ticket) =>
			ticket.mayCount && (ticket.answeredAt === undefined || ticket.answeredAt + window > now),
	);
}

/** A new report: what the server counted, and how much of it was not ours. */
function record(state: GroupState, ticket: RateLimitTicket, remaining: number, now: number): void {
	const unsure = state.tickets.filter(
		(other) => other.seq < ticket.seq && other.answeredAt === undefined,
	).length;
	state.report = {
		seq: ticket.seq,
		sentAt: ticket.sentAt,
		at: now,
		remaining: remaining - unsure,
		unsure,
	};
	if (startsABurst(state, now)) {
		holdAfterTakingTheLast(state, remaining, now);
		state.burstStartAt = now;
	} else if (inStartUp(state, now)) holdAfterTakingTheLast(state, remaining, now);
	state.lastReportAt = now;
	noteOthers(state, ticket, remaining, now);
}

/**
 * The first report ever, or the first after a window without any (and not in the windows after
 * a penalty): executions that start together now, like a nightly workflow on an n8n that has run
 * for weeks, meet the same start-up as at boot. Kept only for the first report a process ever
 * had, the start-up place and its hold applied to a worker's first burst after it started and
 * never again (test:queue's second and third bulk updates, 2 and 3 429s, against 1 in the first).
 * A job at one place a window also sends a window apart, so each of its reports begins a burst:
 * the worker that takes the window's last place is held half a second every window, but the one
 * whose request comes first keeps a start-up place, which leaves room for a worker it never sees.
 * Counted from a window with nothing asked instead, real test:queue B went from 1.11–1.53 × to
 * 1.48–2.00 × with 3 429s (docs/benchmarks.md, "Traced runs"): kept as it is.
 */
function startsABurst(state: GroupState, now: number): boolean {
	if (state.lastReportAt === undefined) return true;
	return now - state.lastReportAt > windowWithMargin(state.windowMs) && now >= state.cautiousUntil;
}

/** What an answer says of the other senders: how many requests in the window were not ours. */
function noteOthers(
	state: GroupState,
	ticket: RateLimitTicket,
	remaining: number,
	now: number,
): void {
	// Ours in the server's window when it counted this one, each taken to have arrived halfway
	// through its round trip (those still unanswered, as if they had arrived). While no other
	// sender is seen, one that may still have been in the window counts too: in a busy n8n the
	// round trips are long and uneven, and a request of ours that the server still counted,
	// placed halfway through its round trip, fell a millisecond outside the window; the sender
	// alone then saw another, kept to half the window, and a traced run took 1.31 × for 1.06 ×.
	const countedAt = (ticket.sentAt + now) / 2;
	const alone = !othersLately(state, now);
	const ours = state.tickets.filter((other) => {
		if (!other.mayCount) return false;
		const arrived =
			other.answeredAt === undefined ? other.sentAt : (other.sentAt + other.answeredAt) / 2;
		// Alone so far, one at the window's far edge is ours if it may still have been counted.
		const atTheEdge = alone && mayStillBeCounted(state, other, ticket.sentAt);
		return arrived <= countedAt && (arrived > countedAt - state.windowMs || atTheEdge);
	}).length;
	const others = Math.max(0, state.limit - remaining - ours);
	const since = now - OTHERS_KEPT_WINDOWS * windowWithMargin(state.windowMs);
	state.samples = state.samples.filter((sample) => sample.at > since);
	const sample = { at: now, sentAt: ticket.sentAt, others };
	noteRise(state, sample);
	keepNewest(state.samples, sample);
	if (others > 0) {
		const window = windowWithMargin(state.windowMs);
		if (!othersLately(state, now)) state.crowd = 0;
		if (state.othersSeenAt === undefined || now > state.othersSeenAt + window)
			state.othersSince = now;
		state.othersSeenAt = now;
		state.othersEverSeen = true;
	}
}

/**
 * The random part of the wait after a 429. Every other sender learns of the penalty only with
 * its own next request, and that 429 renews it; a sender waiting for its requests to leave the
 * window sends its next one up to a window later. So once others were seen lately, or when the
 * last comeback was refused too (someone renewed the penalty meanwhile), come back a window
 * after the penalty (plus a random part, so that senders come back out of step): by then every
 * sender has learned of it and waits too. Measured in the pacing simulator, a shorter comeback
 * lands in another sender's renewal and repeats the penalty. Refused before any answer (a sender
 * that starts into another's penalty), come back after those: two windows and up to half of one
 * more, or twice the penalty when that is shorter (measured: 1–1.5 windows kept renewing it in
 * staggered starts). Alone, a request's share of the window, spread over two more, and never more
 * than the penalty itself. First refused just after the others first showed (senders that started
 * together and overfilled the window by their crossing requests), come back as the penalty ends:
 * their places came in just now and leave the window only as it ends, so none of them renews it;
 * the spread is a margin (their answers come a little later) and a twentieth of a window (measured:
 * 'Heavy 10/60 s, half a window, 3 at once' 2.2–2.5 × → 1.2 ×; a window's comeback had cost a window).
 */
function spreadMs(
	state: GroupState,
	now: number,
	penaltyMs: number,
	random: number,
	inARow: number,
): number {
	const window = windowWithMargin(state.windowMs);
	if (othersJustStarted(state, now, window) && inARow === 0)
		return window - state.windowMs + window * JUST_ARRIVED_SPREAD_SHARE * random;
	if (othersLately(state, now) || inARow > 0) return window * (1 + random / 2);
	if (!state.answered) return Math.min(window, penaltyMs) * (2 + random / 2);
	return Math.min(penaltyMs, (window / state.limit) * (1 + 2 * random));
}

/**
 * A sender whose first answer of a burst shows the window full took its last place: when the
 * others started alongside (several executions, as in queue mode), that place was one a sender kept in
 * reserve (startReserve), which it takes back blind a while after its own first answer and
 * so draws a penalty of a window. Coming back a window after this answer lands in that penalty
 * and renews it; so this sender waits until it has been served: that while and a window.
 * Only while several requests of its own ask (delayFor), like the reserve: a lone request holds
 * no place of anyone's. Not after a 429 of its own: that sender was refused, not the keeper's
 * neighbour. Measured on the simulated test:queue (seeds 1 / 1000 / 2000): A's worst runs 2.20 /
 * 2.19 / 1.54 → 1.65 / 1.59 / 1.54 × (429s 3 → 1), B's medians 1.30 / 1.38 / 1.27 → 1.19 / 1.38
 * / 1.19; the matrix unchanged. For every sender whose first answer was full: 229 cells and
 * 17 more failed executions.
 * A later answer of the burst's first half second counts too (inStartUp): a worker's first
 * execution, alone for a moment, takes both Heavy places with two answers, the other worker's
 * first POST is refused, and this worker's next POST as its first place left the window renewed
 * that penalty. With the refused worker back as the penalty ends (penalize), simulated queue B
 * at a 5 ms round trip (row Q, medians on seeds 1 / 1000 / 2000): 1.41 / 1.41 / 1.43 → 1.15 ×
 * with one 429; real test:queue B, six runs on three deployments: 1.13–1.18 × with 0–1 429s,
 * against 1.11–1.53 × with 0–3 before; the matrix unchanged. The hold alone left Q at
 * 1.28–1.43 ×: the refused worker came back two windows later, into a window refilled meanwhile.
 */
function holdAfterTakingTheLast(state: GroupState, remaining: number, now: number): void {
	// Not after a 429 of ours in this burst: that sender was refused, not the one keeping a place.
	if (remaining > 0 || state.blockedUntil > (state.lastReportAt ?? 0)) return;
	state.heldUntil = now + startReserveMs(state) + windowWithMargin(state.windowMs);
}

/** The other senders seen were first seen only just now (they started with this one). */
function othersJustStarted(state: GroupState, now: number, window: number): boolean {
	return state.othersSince !== undefined && now - state.othersSince < window * JUST_ARRIVED_SHARE;
}

/** Adds to a list of what the answers said, keeping it bounded whatever they say. */
function keepNewest<T>(list: T[], entry: T): void {
	list.push(entry);
	if (list.length > MAX_TICKETS) list.splice(0, list.length - MAX_TICKETS);
}

/** Forgets answered requests that can no longer matter to any estimate. */
function prune(state: GroupState, now: number): void {
	const horizon = now - 2 * windowWithMargin(state.windowMs);
	state.tickets = state.tickets.filter(
		(ticket) => ticket.answeredAt === undefined || ticket.answeredAt > horizon,
	);
}
