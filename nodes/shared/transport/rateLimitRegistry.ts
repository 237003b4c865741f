import { RateLimiter } from './rateLimiter';

/**
 * One limiter per process, shared by every execution and by the JWT token exchange: RingCentral
 * meters per app and user, so everything this process sends on a credential draws on one count.
 */
export const sharedRateLimiter = new RateLimiter();
