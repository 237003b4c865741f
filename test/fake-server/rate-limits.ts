import { ApiError, errorBody } from './errors';
import type { RateLimitGroup, RateLimitOptions } from './types';

/**
 * RingCentral-style limits per caller and group: a sliding window of requests, and once it
 * overflows a penalty that every further request of that group during it starts over.
 */
export class RateLimiter {
	/** bucket -> arrival times (ms) inside the current window */
	private readonly windows = new Map<string, number[]>();
	/** bucket -> end of penalty (ms) */
	private readonly penalties = new Map<string, number>();

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
	}

	private penalize(bucket: string, group: RateLimitGroup, now: number): ApiError {
		this.penalties.set(bucket, now + this.options.penaltySeconds * 1000);
		// The window starts afresh once the penalty is served.
		this.windows.delete(bucket);
		const headers = this.headers(group, 0);
		if (this.options.retryAfter) {
			headers['Retry-After'] = String(Math.ceil(this.options.penaltySeconds));
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
