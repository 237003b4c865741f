/**
 * A deterministic pacing simulator: the node's own rate limiter (not a copy) on a virtual clock,
 * N senders each with its own limiter (n8n processes: one, or queue-mode workers), against
 * RingCentral's limit model: a sliding window per app and user counted at arrival across every
 * sender, a penalty that any request during it renews, and answers that come back after a latency.
 */
import type { IDataObject } from 'n8n-workflow';

/** The limiter's surface the simulator drives: what the transport calls, nothing more. */
export interface SimPacer {
	acquire(deadline: number): Promise<{ exceeded: true } | { exceeded: false; ticket: unknown }>;
	settle(ticket: unknown, status: number, headers: IDataObject): void;
	/** After a 429: how long until the retry, or 'give up' (the run fails with an error). */
	refused(headers: IDataObject, deadline: number): number | 'give up';
}

/** The limiter's methods the transport calls (nodes/shared/transport/rateLimiter.ts). */
export interface TransportLimiter {
	acquire(
		scope: string,
		group: 'Light' | 'Medium' | 'Heavy' | 'Auth',
		options: { deadline?: number },
	): Promise<{ exceeded: boolean }>;
	settle(
		scope: string,
		group: 'Light' | 'Medium' | 'Heavy' | 'Auth',
		ticket: never,
		status: number,
		headers: IDataObject,
	): void;
	refused(
		scope: string,
		group: 'Light' | 'Medium' | 'Heavy' | 'Auth',
		headers: IDataObject | undefined,
		deadline: number,
	): { retryInMs: number } | { giveUp: unknown };
}

/** The limiter driven as the transport drives it: acquire, send, settle, after a 429 `refused`. */
export function simulatorPacer(
	limiter: TransportLimiter,
	_clock: VirtualClock,
	group: 'Light' | 'Medium' | 'Heavy' | 'Auth' = 'Medium',
): SimPacer {
	const scope = 'sim|credential';
	return {
		acquire: async (deadline) => {
			const ticket = await limiter.acquire(scope, group, { deadline });
			return ticket.exceeded ? { exceeded: true } : { exceeded: false, ticket };
		},
		settle: (ticket, status, headers) =>
			limiter.settle(scope, group, ticket as never, status, headers),
		refused: (headers, deadline) => {
			const decision = limiter.refused(scope, group, headers, deadline);
			return 'retryInMs' in decision ? decision.retryInMs : 'give up';
		},
	};
}

/** Virtual time: `sleep` resolves when the run loop reaches its moment; nothing waits for real. */
export class VirtualClock {
	private time = 0;
	private order = 0;
	private readonly queue: Array<{ at: number; order: number; resolve: () => void }> = [];
	private seed: number;

	constructor(seed = 1) {
		this.seed = seed;
	}

	now(): number {
		return this.time;
	}

	/** A seeded generator (mulberry32): the same cell gives the same figures on every run. */
	random(): number {
		let t = (this.seed = (this.seed + 0x6d2b79f5) | 0);
		t = Math.imul(t ^ (t >>> 15), t | 1);
		t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
		return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
	}

	sleep(ms: number): Promise<void> {
		return new Promise((resolve) => {
			// As with real timers, a wait is a whole number of milliseconds, at least one.
			const entry = {
				at: this.time + (ms > 0 ? Math.max(1, Math.ceil(ms)) : 0),
				order: this.order++,
				resolve,
			};
			let index = this.queue.length;
			while (
				index > 0 &&
				(this.queue[index - 1].at > entry.at ||
					(this.queue[index - 1].at === entry.at && this.queue[index - 1].order > entry.order))
			)
				index--;
			this.queue.splice(index, 0, entry);
		});
	}

	/** Runs until nothing is left to wake (or a bound on events, against a pacer that spins). */
	async run(maxEvents = 2_000_000): Promise<void> {
		for (let events = 0; events < maxEvents; events++) {
			// Every promise chain runs to its next sleep before time moves on.
			await new Promise<void>((resolve) => setImmediate(resolve));
			const next = this.queue.shift();
			if (!next) return;
			this.time = Math.max(this.time, next.at);
			next.resolve();
		}
		throw new Error(`still running after ${maxEvents} events, at ${this.time} ms`);
	}
}

export interface ModelLimits {
	limit: number;
	windowMs: number;
	penaltyMs: number;
}

/** RingCentral's model of one throttling group for one app and user. */
export class ModelServer {
	private arrivals: number[] = [];
	private penaltyEnd = -Infinity;
	refusals = 0;
	penaltyMs = 0;
	admitted = 0;

	constructor(private readonly limits: ModelLimits) {}

	admit(now: number): { status: number; headers: IDataObject } {
		const { limit, windowMs, penaltyMs } = this.limits;
		const start = now - windowMs;
		this.arrivals = this.arrivals.filter((time) => time > start);
		if (now < this.penaltyEnd || this.arrivals.length >= limit) {
			this.refusals++;
			const end = now + penaltyMs;
			this.penaltyMs += end - Math.max(now, this.penaltyEnd);
			this.penaltyEnd = end;
			this.arrivals = [];
			return {
				status: 429,
				headers: { ...this.headers(0), 'retry-after': String(Math.ceil(penaltyMs / 1000)) },
			};
		}
		this.arrivals.push(now);
		this.admitted++;
		return { status: 200, headers: this.headers(limit - this.arrivals.length) };
	}

	private headers(remaining: number): IDataObject {
		return {
			'x-rate-limit-limit': String(this.limits.limit),
			'x-rate-limit-remaining': String(remaining),
			'x-rate-limit-window': String(Math.ceil(this.limits.windowMs / 1000)),
		};
	}
}

export interface SenderJob {
	/** Requests each execution sends, one after the other (list pages, bulk-update POSTs). */
	requests: number;
	/** Executions running at once in this process (n8n's concurrency). */
	executions: number;
	startAt: number;
	/** Each execution starts up to this much later than `startAt` (n8n picking up queued jobs). */
	startSpreadMs?: number;
}

export interface CellSpec {
	limits: ModelLimits;
	senders: SenderJob[];
	/** Another app of the same user spending this share of the limit steadily (honouring Retry-After). */
	foreignShare: number;
	/** One request's round trip: out in half of it, back in the other half, plus jitter. */
	latencyMs: number;
	waitTimeoutMs: number;
	seed: number;
}

export interface CellResult {
	wallMs: number;
	minimumMs: number;
	refusals: number;
	/** 429s our senders got (the foreign app's are in `refusals` too). */
	ourRefusals: number;
	penaltyMs: number;
	failed: number;
	/** Penalties: 429s more than a penalty apart count as separate ones. */
	penalties: number;
}

/** Runs one cell; `pacerFor` builds one sender's limiter on the cell's clock. */
export async function simulate(
	spec: CellSpec,
	pacerFor: (clock: VirtualClock) => SimPacer,
): Promise<CellResult> {
	const clock = new VirtualClock(spec.seed);
	const server = new ModelServer(spec.limits);
	const refusalTimes: number[] = [];
	let ourRefusals = 0;
	let failed = 0;
	let running = 0;
	let lastDone = 0;
	const roundTrip = async (who: string): Promise<{ status: number; headers: IDataObject }> => {
		const jitter = clock.random() * spec.latencyMs * 0.5;
		await clock.sleep(spec.latencyMs / 2 + jitter / 2);
		const answer = server.admit(clock.now());
		if (answer.status === 429) refusalTimes.push(clock.now());
		if (process.env.PACING_TRACE)
			process.stderr.write(
				`${(clock.now() / 1000).toFixed(2)} ${who} ${answer.status} ${String(answer.headers['x-rate-limit-remaining'])}\n`,
			);
		await clock.sleep(spec.latencyMs / 2 + jitter / 2);
		return answer;
	};

	const execution = async (pacer: SimPacer, requests: number, name: string): Promise<void> => {
		const deadlineAfter = spec.waitTimeoutMs;
		for (let sent = 0; sent < requests; sent++) {
			const deadline = clock.now() + deadlineAfter;
			for (;;) {
				const outcome = await pacer.acquire(deadline);
				if (outcome.exceeded) {
					failed++;
					return;
				}
				const answer = await roundTrip(name);
				pacer.settle(outcome.ticket, answer.status, answer.headers);
				if (answer.status !== 429) break;
				ourRefusals++;
				const wait = pacer.refused(answer.headers, deadline);
				if (wait === 'give up') {
					failed++;
					return;
				}
			}
		}
	};

	const sender = async (job: SenderJob, index: number): Promise<void> => {
		const pacer = pacerFor(clock);
		await clock.sleep(job.startAt);
		await Promise.all(
			Array.from({ length: job.executions }, async (_, run) => {
				if (job.startSpreadMs) await clock.sleep(clock.random() * job.startSpreadMs);
				await execution(pacer, job.requests, `s${index}.${run}`);
			}),
		);
	};

	const foreign = async (): Promise<void> => {
		if (spec.foreignShare <= 0) return;
		const interval = spec.limits.windowMs / (spec.foreignShare * spec.limits.limit);
		await clock.sleep(interval * clock.random());
		while (running > 0) {
			const answer = await roundTrip('foreign');
			const retryAfter = Number(answer.headers['retry-after']);
			await clock.sleep(answer.status === 429 ? retryAfter * 1000 : interval);
		}
	};

	running = spec.senders.length;
	const senders = spec.senders.map(async (job, index) => {
		await sender(job, index);
		running--;
		lastDone = Math.max(lastDone, clock.now());
	});
	const background = foreign();
	const loop = clock.run();
	await Promise.all([...senders, background, loop]);
	return {
		wallMs: lastDone,
		minimumMs: minimumMs(spec),
		refusals: server.refusals,
		ourRefusals,
		penaltyMs: server.penaltyMs,
		failed,
		penalties: countPenalties(refusalTimes, spec.limits.penaltyMs),
	};
}

/**
 * The least time the cell's work can take: every execution's requests one after the other, and
 * the sliding window: T requests with L a window cannot all be sent before floor((T - 1) / L)
 * windows have passed. The foreign app takes its places as it sends them: by time t, the share
 * × L × t / W it has sent (not its share of every window from the start, which would make the
 * minimum of a short job a whole window, longer than the job can take).
 */
export function minimumMs(spec: CellSpec): number {
	const { limit, windowMs } = spec.limits;
	const total = spec.senders.reduce((sum, job) => sum + job.requests * job.executions, 0);
	// The round trip's mean: half the latency each way, plus a jitter of up to half of it.
	const roundTrip = spec.latencyMs * 1.25;
	const sequential = Math.max(...spec.senders.map((job) => job.startAt + job.requests * roundTrip));
	let windows = Math.floor((total - 1) / limit);
	for (;;) {
		const elapsed = Math.max(windows * windowMs, sequential);
		const foreign = Math.floor((spec.foreignShare * limit * elapsed) / windowMs);
		const next = Math.floor((total - 1 + foreign) / limit);
		if (next <= windows) break;
		windows = next;
	}
	const sliding = windows * windowMs + roundTrip;
	return Math.max(sliding, sequential);
}

function countPenalties(times: number[], penaltyMs: number): number {
	let count = 0;
	let last = -Infinity;
	for (const time of times) {
		if (time > last + penaltyMs) count++;
		last = time;
	}
	return count;
}
