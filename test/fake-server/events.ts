import { randomUUID } from 'node:crypto';

import type { Subscriptions } from './subscriptions';
import type {
	DeliveryRecord,
	EventBodyShape,
	ExtensionEventType,
	SubscriptionRecord,
} from './types';

export interface EventSettings {
	accountId: string;
	ownerId: string;
	bodyShape: EventBodyShape;
}

/**
 * Extension change events: every state change of an extension (create, update, bulk-update
 * record applied, delete) calls `emit`, which posts one notification to each subscribed address,
 * with the subscription's `Verification-Token`. Deliveries run in the background, in order per
 * subscription; `settled()` waits for all of them.
 */
export class ExtensionEvents {
	private readonly queues = new Map<string, Promise<void>>();

	constructor(
		private readonly subscriptions: Subscriptions,
		readonly deliveries: DeliveryRecord[],
		readonly settings: EventSettings,
		/** WebSocket subscribers get the same notifications. */
		private readonly gateway?: { notify(event: string, body: Record<string, unknown>): void },
	) {}

	emit(eventType: ExtensionEventType, extensionId: number | string): void {
		const event = `/restapi/v1.0/account/${this.settings.accountId}/extension`;
		for (const subscription of this.subscriptions.subscribersOf(event)) {
			this.send(subscription, {
				uuid: randomUUID(),
				event,
				timestamp: new Date().toISOString(),
				subscriptionId: subscription.id,
				body: this.body(eventType, String(extensionId)),
			});
		}
		this.gateway?.notify(event, this.body(eventType, String(extensionId)));
	}

	/** Sends a delivered notification once more, unchanged (same uuid), as RingCentral may. */
	redeliver(uuid: string): boolean {
		const original = this.deliveries.find((delivery) => delivery.uuid === uuid);
		const subscription =
			original &&
			this.subscriptions
				.subscribersOf(original.payload.event as string)
				.find((candidate) => candidate.id === original.subscriptionId);
		if (!original || !subscription) return false;
		this.send(subscription, original.payload);
		return true;
	}

	async settled(): Promise<void> {
		while (this.queues.size > 0) await Promise.all(this.queues.values());
	}

	private body(eventType: ExtensionEventType, extensionId: string): Record<string, unknown> {
		if (this.settings.bodyShape === 'spec') {
			return { extensionId, eventType, ownerId: this.settings.ownerId };
		}
		const hints = eventType === 'Update' ? { hints: ['ExtensionInfo'] } : {};
		return { extensions: [{ extensionId, eventType, ...hints }] };
	}

	private send(subscription: SubscriptionRecord, payload: Record<string, unknown>): void {
		const delivery: DeliveryRecord = {
			subscriptionId: subscription.id,
			address: subscription.address,
			uuid: payload.uuid as string,
			payload,
			status: 0,
			at: Date.now(),
		};
		this.deliveries.push(delivery);
		const previous = this.queues.get(subscription.id) ?? Promise.resolve();
		const next = previous.then(() => post(delivery, subscription.verificationToken));
		this.queues.set(subscription.id, next);
		void next.then(() => {
			if (this.queues.get(subscription.id) === next) this.queues.delete(subscription.id);
		});
	}
}

async function post(
	delivery: DeliveryRecord,
	verificationToken: string | undefined,
): Promise<void> {
	try {
		const response = await fetch(delivery.address, {
			method: 'POST',
			headers: {
				'Content-Type': 'application/json',
				...(verificationToken !== undefined && { 'Verification-Token': verificationToken }),
			},
			body: JSON.stringify(delivery.payload),
			signal: AbortSignal.timeout(10_000),
		});
		delivery.status = response.status;
		delivery.response = await response.text();
	} catch (error) {
		delivery.error = (error as Error).message;
	}
}
