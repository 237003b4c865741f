import type { IDataObject } from 'n8n-workflow';

import {
	RateLimiter,
	type Clock,
	type RateLimitGroup,
	type RateLimitTicket,
} from '../nodes/shared/transport/rateLimiter';

/**
 * The limiter's decisions with an injected clock: what it lets through, when, and what it
 * concludes from RingCentral's headers. Nothing here waits for real time.
 */
class TestClock implements Clock {
	time = 1_000_000;
	nextRandom = 0.5;
	now(): number {
		return this.time;
	}
	random(): number {
		return this.nextRandom;
	}
	advance(ms: number): void {
		this.time += ms;
	}
}

const SCOPE = 'http://rc|cred:1';

function limiterWithClock(): { limiter: RateLimiter; clock: TestClock } {
	const clock = new TestClock();
	return { limiter: new RateLimiter(clock), clock };
}

function headers(limit: number | string, windowS: number | string, remaining?: number | string) {
	const result: IDataObject = {
		'x-rate-limit-limit': String(limit),
		'x-rate-limit-window': String(windowS),
	};
	if (remaining !== undefined) result['x-rate-limit-remaining'] = String(remaining);
	return result;
}

/** Sends whenever the limiter allows, answering at once; returns when each request went out. */
function sendWhenAllowed(
	limiter: RateLimiter,
	clock: TestClock,
	group: RateLimitGroup,
	count: number,
	answer: (ticket: RateLimitTicket, index: number) => IDataObject | undefined,
	status = 200,
): number[] {
	const sentAt: number[] = [];
	for (let index = 0; index < count; index++) {
		clock.advance(limiter.delay(SCOPE, group));
		const ticket = limiter.takeNow(SCOPE, group);
		sentAt.push(clock.now());
		limiter.settle(SCOPE, group, ticket, status, answer(ticket, index));
	}
	return sentAt;
}

describe('before any answer: RingCentral’s documented limits, and no burst', () => {
	test.each([
		['Heavy', 10],
		['Medium', 40],
		['Light', 50],
		['Auth', 5],
	] as const)('%s: the first request goes at once, the next ones evenly spaced', (group, limit) => {
		const { limiter } = limiterWithClock();
		expect(limiter.delay(SCOPE, group)).toBe(0);
		limiter.takeNow(SCOPE, group);
		// Ten requests queued at the same instant: only the first may go; the second waits for
		// its share of the documented window (at half the limit in the first window).
		const spacing = limiter.delay(SCOPE, group);
		expect(spacing).toBeGreaterThanOrEqual(60_000 / Math.ceil(limit / 2));
		expect(spacing).toBeLessThanOrEqual(61_000 / Math.ceil(limit / 2));
	});

	test('ten bulk updates queued at once in one process are sent one at a time', () => {
		const { limiter, clock } = limiterWithClock();
		const sentAt = sendWhenAllowed(limiter, clock, 'Heavy', 10, () => headers(2, 6, 1));
		const gaps = sentAt.slice(1).map((time, index) => time - sentAt[index]);
		expect(gaps.every((gap) => gap >= 3000)).toBe(true);
	});
});

describe('headers no real limit can produce are ignored', () => {
	test.each([
		['a limit of 0', headers(0, 60, 0)],
		['a limit of -1', headers(-1, 60, 0)],
		['a limit that is not a number', headers('abc', 60, 5)],
		['a fractional limit', headers(2.5, 60, 1)],
	])('%s: the documented limit stays', (_name, answer) => {
		const { limiter } = limiterWithClock();
		const ticket = limiter.takeNow(SCOPE, 'Medium');
		limiter.settle(SCOPE, 'Medium', ticket, 200, answer);
		expect(limiter.view(SCOPE, 'Medium')).toMatchObject({ limit: 40, windowMs: 60_000 });
		// Nothing blocks for longer than the documented window's spacing.
		expect(limiter.delay(SCOPE, 'Medium')).toBeLessThanOrEqual(61_000 / 20);
	});

	test('0 remaining with a window of 10^9 s: the window is ignored, the wait is at most a documented window', () => {
		const { limiter, clock } = limiterWithClock();
		const ticket = limiter.takeNow(SCOPE, 'Medium');
		limiter.settle(SCOPE, 'Medium', ticket, 200, headers(40, 1e9, 0));
		expect(limiter.view(SCOPE, 'Medium').windowMs).toBe(60_000);
		const delay = limiter.delay(SCOPE, 'Medium');
		expect(delay).toBeGreaterThan(0);
		expect(delay).toBeLessThanOrEqual(61_000);
		clock.advance(delay);
		expect(limiter.delay(SCOPE, 'Medium')).toBe(0);
	});

	test('a remaining above the limit or negative is not a report', () => {
		const { limiter } = limiterWithClock();
		for (const remaining of [-1, 41, 'x']) {
			const ticket = limiter.takeNow(SCOPE, 'Medium');
			limiter.settle(SCOPE, 'Medium', ticket, 200, headers(40, 60, remaining));
		}
		expect(limiter.view(SCOPE, 'Medium').othersSeen).toBe(false);
	});

	test('answers without X-Rate-Limit-Remaining: the bookkeeping stays bounded', () => {
		const { limiter, clock } = limiterWithClock();
		for (let index = 0; index < 20_000; index++) {
			const ticket = limiter.takeNow(SCOPE, 'Light');
			clock.advance(50);
			limiter.settle(SCOPE, 'Light', ticket, 200, {});
		}
		// Two documented windows of requests at most (20 per second here), never all 20,000.
		expect(limiter.trackedRequests(SCOPE, 'Light')).toBeLessThanOrEqual(2 * 61 * 20 + 1);
	});

	test('with no answers at all the bookkeeping is capped', () => {
		const { limiter } = limiterWithClock();
		for (let index = 0; index < 5000; index++) limiter.takeNow(SCOPE, 'Light');
		expect(limiter.trackedRequests(SCOPE, 'Light')).toBeLessThanOrEqual(1000);
	});
});

describe('after a 429', () => {
	test('a Retry-After shorter than the window is honoured as given (2 s, not the 60 s window)', () => {
		const { limiter, clock } = limiterWithClock();
		clock.nextRandom = 0.99;
		const ticket = limiter.takeNow(SCOPE, 'Medium');
		limiter.settle(SCOPE, 'Medium', ticket, 429, {
			...headers(40, 60, 0),
			'retry-after': '2',
		});
		const wait = limiter.penalize(SCOPE, 'Medium', 2000);
		expect(wait).toBeGreaterThanOrEqual(2000);
		// The spread never exceeds the penalty itself.
		expect(wait).toBeLessThanOrEqual(4000);
		clock.advance(wait);
		expect(limiter.delay(SCOPE, 'Medium')).toBe(0);
	});

	test('the group comes back after Retry-After plus a random spread: two workers fall out of step', () => {
		const comebacks = [0, 0.5, 0.99].map((random) => {
			const { limiter, clock } = limiterWithClock();
			clock.nextRandom = random;
			const ticket = limiter.takeNow(SCOPE, 'Medium');
			limiter.settle(SCOPE, 'Medium', ticket, 429, headers(6, 6, 0));
			return limiter.penalize(SCOPE, 'Medium', 6000);
		});
		expect(new Set(comebacks).size).toBe(3);
		expect(Math.min(...comebacks)).toBeGreaterThan(6000);
		expect([...comebacks].sort((a, b) => a - b)).toEqual(comebacks);
	});

	test('once other senders were seen, the spread is at least the time they take to send one request: they learn of the penalty only then', () => {
		const { limiter, clock } = limiterWithClock();
		clock.nextRandom = 0;
		// Remaining falls by two for each request of ours: someone else sends as much.
		sendWhenAllowed(limiter, clock, 'Heavy', 2, (_ticket, index) => headers(4, 6, 2 - 2 * index));
		expect(limiter.view(SCOPE, 'Heavy').othersSeen).toBe(true);
		const ticket = limiter.takeNow(SCOPE, 'Heavy');
		limiter.settle(SCOPE, 'Heavy', ticket, 429, headers(4, 6, 0));
		// Two others in the window: they send one request in half a window.
		expect(limiter.penalize(SCOPE, 'Heavy', 6000)).toBeGreaterThanOrEqual(6000 + 3000);
	});

	test('nothing of the group goes out before the comeback, and the allowance is halved for a window', () => {
		const { limiter, clock } = limiterWithClock();
		sendWhenAllowed(limiter, clock, 'Medium', 8, () => headers(8, 6, 7));
		clock.advance(7000);
		const before = limiter.allowance(SCOPE, 'Medium');
		const ticket = limiter.takeNow(SCOPE, 'Medium');
		limiter.settle(SCOPE, 'Medium', ticket, 429, headers(8, 6, 0));
		const wait = limiter.penalize(SCOPE, 'Medium', 6000);
		clock.advance(wait - 1);
		expect(limiter.delay(SCOPE, 'Medium')).toBe(1);
		clock.advance(1);
		expect(limiter.allowance(SCOPE, 'Medium')).toBe(Math.floor(before / 2));
	});

	test('without Retry-After: a window, doubled for each further 429 in a row', () => {
		const { limiter, clock } = limiterWithClock();
		clock.nextRandom = 0;
		const waits = [0, 1, 2].map(() => {
			const ticket = limiter.takeNow(SCOPE, 'Light');
			limiter.settle(SCOPE, 'Light', ticket, 429, headers(50, 10));
			const wait = limiter.penalize(SCOPE, 'Light', undefined);
			clock.advance(wait);
			return wait;
		});
		const spread = 10_200 / 50;
		expect(waits).toEqual([10_000 + spread, 20_000 + spread, 40_000 + spread]);
	});

	test('a deadline the wait would pass is answered at once, without waiting', async () => {
		const { limiter, clock } = limiterWithClock();
		const ticket = limiter.takeNow(SCOPE, 'Light');
		limiter.settle(SCOPE, 'Light', ticket, 429, headers(50, 60, 0));
		limiter.penalize(SCOPE, 'Light', 30_000);
		const outcome = await limiter.acquire(SCOPE, 'Light', { deadline: clock.now() + 10_000 });
		expect(outcome).toMatchObject({ exceeded: true, view: { group: 'Light', limit: 50 } });
		expect(outcome.exceeded && outcome.neededMs).toBeGreaterThanOrEqual(30_000);
	});

	test('a wait is cancelled by the execution’s signal', async () => {
		const { limiter } = limiterWithClock();
		limiter.takeNow(SCOPE, 'Heavy');
		const controller = new AbortController();
		controller.abort(new Error('cancelled by the user'));
		await expect(limiter.acquire(SCOPE, 'Heavy', { signal: controller.signal })).rejects.toThrow(
			'cancelled by the user',
		);
	});
});

describe('other senders, inferred from X-Rate-Limit-Remaining', () => {
	test('alone: Remaining falls by one per request, nobody else is seen, the whole limit is used after the first window', () => {
		const { limiter, clock } = limiterWithClock();
		sendWhenAllowed(limiter, clock, 'Medium', 3, (_ticket, index) => headers(6, 6, 5 - index));
		expect(limiter.view(SCOPE, 'Medium').othersSeen).toBe(false);
		clock.advance(7000);
		expect(limiter.allowance(SCOPE, 'Medium')).toBe(6);
	});

	test('the first window runs at half the limit, before the answers could show another worker', () => {
		const { limiter } = limiterWithClock();
		const ticket = limiter.takeNow(SCOPE, 'Medium');
		limiter.settle(SCOPE, 'Medium', ticket, 200, headers(6, 6, 5));
		expect(limiter.allowance(SCOPE, 'Medium')).toBe(3);
	});

	test('Remaining falls twice as fast as our sends: a share of half the limit', () => {
		const { limiter, clock } = limiterWithClock();
		clock.advance(1);
		sendWhenAllowed(limiter, clock, 'Medium', 3, (_ticket, index) => headers(6, 6, 4 - 2 * index));
		expect(limiter.view(SCOPE, 'Medium').othersSeen).toBe(true);
		clock.advance(7000);
		expect(limiter.allowance(SCOPE, 'Medium')).toBe(3);
	});

	test('another sender that used the whole window: nothing goes out until the window has rolled', () => {
		const { limiter, clock } = limiterWithClock();
		const ticket = limiter.takeNow(SCOPE, 'Heavy');
		limiter.settle(SCOPE, 'Heavy', ticket, 200, headers(2, 6, 0));
		expect(limiter.view(SCOPE, 'Heavy').othersSeen).toBe(true);
		const delay = limiter.delay(SCOPE, 'Heavy');
		expect(delay).toBeGreaterThanOrEqual(6000);
		clock.advance(delay);
		expect(limiter.delay(SCOPE, 'Heavy')).toBe(0);
	});

	test('two workers that see only the server’s counts never overfill the window together', () => {
		// Two limiters, one server: a sliding window of 6 per 6 s, counted at arrival.
		const clock = new TestClock();
		const workers = [new RateLimiter(clock), new RateLimiter(clock)];
		const arrivals: number[] = [];
		const refused: number[] = [];
		const until = clock.now() + 120_000;
		while (clock.now() < until) {
			const delays = workers.map((worker) => worker.delay(SCOPE, 'Medium'));
			const next = Math.min(...delays);
			clock.advance(Math.max(next, 1));
			workers.forEach((worker, index) => {
				if (delays[index] > next) return;
				const ticket = worker.takeNow(SCOPE, 'Medium');
				const recent = arrivals.filter((time) => time > clock.now() - 6000);
				if (recent.length >= 6) {
					refused.push(clock.now());
					worker.settle(SCOPE, 'Medium', ticket, 429, headers(6, 6, 0));
					worker.penalize(SCOPE, 'Medium', 6000);
					return;
				}
				arrivals.push(clock.now());
				worker.settle(SCOPE, 'Medium', ticket, 200, headers(6, 6, 5 - recent.length));
			});
		}
		expect(refused).toEqual([]);
		expect(workers.map((worker) => worker.view(SCOPE, 'Medium').othersSeen)).toEqual([true, true]);
		// And they still use most of the limit: 120 s at 6 per 6 s allow 120 requests.
		expect(arrivals.length).toBeGreaterThanOrEqual(90);
	});
});
