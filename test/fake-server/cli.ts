/**
 * Starts a fake RingCentral server for other processes (an n8n under test, a benchmark).
 * Every flag can also come from an environment variable: --seed-extensions=10 or FAKE_RC_SEED_EXTENSIONS=10.
 * Prints one JSON line, {"url":"http://127.0.0.1:<port>"}, once it listens; stops on SIGINT/SIGTERM.
 */
import { parseArgs } from 'node:util';

import { startFakeRingCentral } from './index';
import { DOCUMENTED_RATE_LIMITS } from './options';
import type { AffectedItemsShape, FakeRingCentralOptions, RateLimitOptions } from './types';

const FLAGS = [
	'port',
	'seed-extensions',
	'seed-templates',
	'access-token',
	'account-id',
	'token-lifetime-seconds',
	'task-complete-after-polls',
	'task-complete-after-ms',
	// Documented RingCentral limits with window and penalty multiplied by this (0.05 -> 3 s); absent = no limits.
	'rate-limit-scale',
	// Or exact limits: --rate-limits Medium:6,Heavy:2 (others as documented), window and penalty in seconds.
	'rate-limits',
	'rate-limit-window-seconds',
	'rate-limit-penalty-seconds',
	'affected-items-shape',
	'navigation-base-url',
] as const;

type Flag = (typeof FLAGS)[number];
type FlagValues = Partial<Record<Flag, string>>;

function environmentName(flag: Flag): string {
	return `FAKE_RC_${flag.toUpperCase().replace(/-/g, '_')}`;
}

function readFlags(argv: string[]): FlagValues {
	const { values } = parseArgs({
		args: argv,
		options: Object.fromEntries(FLAGS.map((flag) => [flag, { type: 'string' as const }])),
	});
	const flags: FlagValues = {};
	for (const flag of FLAGS) {
		const value = (values[flag] as string | undefined) ?? process.env[environmentName(flag)];
		if (value !== undefined) flags[flag] = value;
	}
	return flags;
}

function numberFlag(flags: FlagValues, flag: Flag): number | undefined {
	const text = flags[flag];
	if (text === undefined) return undefined;
	const value = Number(text);
	if (!Number.isFinite(value) || value < 0) {
		throw new Error(`--${flag} must be a non-negative number, not ${text}`);
	}
	return value;
}

function shapeFlag(flags: FlagValues): AffectedItemsShape | undefined {
	const shape = flags['affected-items-shape'];
	if (shape === undefined || shape === 'object' || shape === 'array') return shape;
	throw new Error(`--affected-items-shape must be object or array, not ${shape}`);
}

function rateLimitsFrom(flags: FlagValues): RateLimitOptions | false {
	const window = numberFlag(flags, 'rate-limit-window-seconds');
	const penalty = numberFlag(flags, 'rate-limit-penalty-seconds');
	const given = flags['rate-limits'];
	if (given === undefined && window === undefined && penalty === undefined) {
		return scaledRateLimits(numberFlag(flags, 'rate-limit-scale'));
	}
	const limits = { ...DOCUMENTED_RATE_LIMITS.limits };
	for (const entry of (given ?? '').split(',').filter(Boolean)) {
		const [group, count] = entry.split(':');
		if (!(group in limits) || !(Number(count) >= 1)) {
			throw new Error(
				`--rate-limits takes Group:count pairs (Light, Medium, Heavy, Auth), not ${entry}`,
			);
		}
		limits[group as keyof typeof limits] = Number(count);
	}
	const windowSeconds = window ?? DOCUMENTED_RATE_LIMITS.windowSeconds;
	return { windowSeconds, penaltySeconds: penalty ?? windowSeconds, limits };
}

function scaledRateLimits(scale: number | undefined): RateLimitOptions | false {
	if (!scale) return false;
	return {
		...DOCUMENTED_RATE_LIMITS,
		windowSeconds: DOCUMENTED_RATE_LIMITS.windowSeconds * scale,
		penaltySeconds: DOCUMENTED_RATE_LIMITS.penaltySeconds * scale,
	};
}

function optionsFrom(flags: FlagValues): FakeRingCentralOptions {
	const completeAfterMs = numberFlag(flags, 'task-complete-after-ms');
	const completeAfterPolls = numberFlag(flags, 'task-complete-after-polls');
	return {
		port: numberFlag(flags, 'port'),
		seedExtensions: numberFlag(flags, 'seed-extensions'),
		seedTemplates: numberFlag(flags, 'seed-templates'),
		accessToken: flags['access-token'],
		accountId: flags['account-id'],
		tokenLifetimeSeconds: numberFlag(flags, 'token-lifetime-seconds'),
		task:
			completeAfterMs !== undefined
				? { completeAfterMs }
				: { completeAfterPolls: completeAfterPolls ?? 2 },
		rateLimits: rateLimitsFrom(flags),
		affectedItemsShape: shapeFlag(flags),
		navigationBaseUrl: flags['navigation-base-url'],
	};
}

async function main(): Promise<void> {
	const fake = await startFakeRingCentral(optionsFrom(readFlags(process.argv.slice(2))));
	process.stdout.write(`${JSON.stringify({ url: fake.url })}\n`);
	const stop = () => {
		void fake.close().then(() => process.exit(0));
	};
	process.once('SIGINT', stop);
	process.once('SIGTERM', stop);
}

main().catch((error: unknown) => {
	process.stderr.write(`${(error as Error).message}\n`);
	process.exit(1);
});
