import { parseFault } from './faults';
import type { Incoming, Reply } from './http';
import type { GatewaySettings } from './gateway';
import type { ErrorEntity, ExtensionEventType, FakeRingCentral, ResetOptions } from './types';

export const ADMIN_PREFIX = '/__admin/';

type AdminAction = (fake: FakeRingCentral, body: unknown) => unknown;

const DONE = { ok: true };

/** Control endpoints for tests in other processes; they are not part of the request log. */
const ADMIN_ACTIONS: Record<string, AdminAction> = {
	'GET requests': (fake) => fake.requests,
	'GET violations': (fake) => fake.violations,
	'GET rate-limits': (fake) => fake.rateLimitStats(),
	'GET state': (fake) => ({
		extensions: fake.state.extensions,
		templates: fake.state.templates,
		tasks: [...fake.state.tasks.values()],
	}),
	'POST faults': (fake, body) => {
		// One fault or several: all are validated before any is queued.
		const faults = (Array.isArray(body) ? body : [body]).map(parseFault);
		for (const fault of faults) fake.injectFault(fault);
		return DONE;
	},
	'POST expire-tokens': (fake) => {
		fake.expireAllTokens();
		return DONE;
	},
	'POST revoke-refresh-tokens': (fake) => {
		fake.revokeRefreshTokens();
		return DONE;
	},
	'POST fail-next-task': (fake, body) => {
		fake.failNextTask((body as { errors?: ErrorEntity[] } | undefined)?.errors);
		return DONE;
	},
	'GET subscriptions': (fake) => [...fake.state.subscriptions.values()],
	'GET deliveries': (fake) => fake.deliveries,
	'POST deliveries-settled': async (fake) => {
		await fake.deliveriesSettled();
		return DONE;
	},
	'POST emit-event': (fake, body) => {
		const { eventType, extensionId } = body as {
			eventType: 'Create' | 'Update' | 'Delete';
			extensionId: string;
		};
		if (!['Create', 'Update', 'Delete'].includes(eventType) || extensionId === undefined) {
			throw new Error(
				'Expected { "eventType": "Create" | "Update" | "Delete", "extensionId": "..." }',
			);
		}
		fake.emitExtensionEvent(eventType, extensionId);
		return DONE;
	},
	'POST redeliver': (fake, body) => ({ ok: fake.redeliver((body as { uuid: string }).uuid) }),
	'POST expire-subscription': (fake, body) => {
		fake.expireSubscription((body as { id: string }).id);
		return DONE;
	},
	'POST blacklist-subscription': (fake, body) => {
		fake.blacklistSubscription((body as { id: string }).id);
		return DONE;
	},
	'POST event-body-shape': (fake, body) => {
		fake.setEventBodyShape((body as { shape: 'spec' | 'docs' }).shape);
		return DONE;
	},
	'GET gateway': (fake) => fake.gateway.summary(),
	'POST gateway/configure': (fake, body) => {
		fake.gateway.configure((body ?? {}) as Partial<GatewaySettings>);
		return DONE;
	},
	// Cut every WebSocket connection; with { emit }, an event happens while they are down.
	'POST gateway/drop': (fake, body) => {
		fake.gateway.dropAll();
		const emit = (body as { emit?: { eventType: ExtensionEventType; extensionId: string } })?.emit;
		if (emit) fake.emitExtensionEvent(emit.eventType, emit.extensionId);
		return DONE;
	},
	'POST gateway/timeout': (fake, body) => {
		fake.gateway.timeoutAll((body as { code: 'WSG-902' | 'WSG-903' }).code);
		return DONE;
	},
	'POST reset': (fake, body) => {
		fake.reset(body as ResetOptions | undefined);
		return DONE;
	},
};

export async function handleAdmin(fake: FakeRingCentral, incoming: Incoming): Promise<Reply> {
	const action = ADMIN_ACTIONS[`${incoming.method} ${incoming.path.slice(ADMIN_PREFIX.length)}`];
	if (!action) {
		const message = `No admin endpoint ${incoming.method} ${incoming.path}`;
		return { status: 404, body: { errorCode: 'ADMIN-404', message } };
	}
	try {
		return { status: 200, body: await action(fake, parseJson(incoming.rawBody)) };
	} catch (error) {
		return { status: 400, body: { errorCode: 'ADMIN-400', message: (error as Error).message } };
	}
}

/** Admin bodies are JSON whatever content type the caller declared (curl -d says form). */
function parseJson(rawBody: string): unknown {
	return rawBody === '' ? undefined : JSON.parse(rawBody);
}
