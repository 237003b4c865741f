import { ApiError, errorBody } from './errors';
import type { RateLimitGroup, RateLimitOptions, RateLimitStats } from './types';

/**
 * RingCentral-style limits per caller and group: a sliding window of requests, and once it
 * overflows a penalty that every further request of that group during it starts over.
 */
export class RateLimiter {
	/** bucket -> arrival times (ms) inside the current window */
	private readonly windows = new Map<string, number[]>();
	/** bucket -> end of penalty (ms) */
	private readonly penalties = new Map<string, number>();
	/** group -> 429s and time under penalty, every caller together */
	private readonly totals = new Map<RateLimitGroup, RateLimitStats>();

	constructor(private readonly options: Required<RateLimitOptions>) {}

	/** Counts one request; returns the headers to answer with, or throws the 429. */
	admit(caller: string, group: RateLimitGroup, now = Date.now()): Record<string, string> {
		const bucket = `${group}\u0000${caller}`;
		const limit = this.options.limits[group];
		const penaltyEnd = this.penalties.get(bucket);
		if (penaltyEnd !== undefined && now < penaltyEnd) throw this.penalize(bucket, group, now);

		const windowStart = now - this.options.windowSeconds * 1000;
		const recent = (this.windows.get(bucket) ?? []).filter((time) => time > windowStart);
		if (recent.length >= limit) throw this.penalize(bucket, group, now);

		recent.push(now);
		this.windows.set(bucket, recent);
		return this.headers(group, limit - recent.length);
	}

	reset(): void {
		this.windows.clear();
		this.penalties.clear();
		this.totals.clear();
	}

	stats(): Partial<Record<RateLimitGroup, RateLimitStats>> {
		return Object.fromEntries(
			[...this.totals].map(([group, totals]) => [group, { ...totals }]),
		) as Partial<Record<RateLimitGroup, RateLimitStats>>;
	}

	private penalize(bucket: string, group: RateLimitGroup, now: number): ApiError {
		const end = now + this.options.penaltySeconds * 1000;
		const previousEnd = this.penalties.get(bucket) ?? 0;
		const totals = this.totals.get(group) ?? { refused: 0, penaltyMs: 0 };
		totals.refused++;
		// Time under penalty: a renewal adds only what it extends.
		totals.penaltyMs += end - Math.max(now, previousEnd);
		this.totals.set(group, totals);
		this.penalties.set(bucket, end);
		// The window starts afresh once the penalty is served.
		this.windows.delete(bucket);
		const headers = this.headers(group, 0);
		if (this.options.retryAfter) {
			// What is left of the penalty: all of it, since this very request restarted it.
			headers['Retry-After'] = String(Math.ceil((end - now) / 1000));
		}
		return new ApiError(429, errorBody('CMN-301', 'Request rate exceeded'), headers);
	}

	private headers(group: RateLimitGroup, remaining: number): Record<string, string> {
		if (!this.options.headers) return {};
		return {
			'X-Rate-Limit-Group': group,
			'X-Rate-Limit-Limit': String(this.options.limits[group]),
			'X-Rate-Limit-Remaining': String(remaining),
			'X-Rate-Limit-Window': String(Math.ceil(this.options.windowSeconds)),
		};
	}
}
