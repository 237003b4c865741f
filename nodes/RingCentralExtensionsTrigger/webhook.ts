import { createHash, timingSafeEqual } from 'node:crypto';

import type { IWebhookFunctions, IWebhookResponseData } from 'n8n-workflow';

import { accountIdOf, booleanParameter } from '../shared/helpers/parameters';
import { pathSegments, ringCentralApiRequest } from '../shared/transport';
import {
	isFilterFor,
	parseDelivery,
	type Delivery,
	type ExtensionChange,
	type ExtensionEvent,
} from '../shared/extensionEvents/events';
import { envelopeOf, itemsForChanges, type ReadExtension } from '../shared/extensionEvents/items';
import { unlessNotFound } from '../shared/transport/notFound';
import { claimDelivery, releaseDelivery } from './recentDeliveries';
import { subscriptionState, type SubscriptionState } from './subscription';

const NO_EXECUTION: IWebhookResponseData = { noWebhookResponse: true };

/**
 * Answers one request from RingCentral: the validation request when subscribing, or a delivery
 * of extension events, which becomes one item per changed extension.
 */
export async function receiveDelivery(ctx: IWebhookFunctions): Promise<IWebhookResponseData> {
	const validationToken = headerOf(ctx, 'validation-token');
	if (validationToken !== undefined) {
		// RingCentral wants it echoed within 3 s, with a body under 1 KB: nothing else happens here.
		respond(ctx, 200, { 'Validation-Token': validationToken });
		return NO_EXECUTION;
	}
	const state = subscriptionState(ctx);
	if (!isVerified(headerOf(ctx, 'verification-token'), state.verificationToken)) {
		respond(ctx, 401, {}, '{"message":"Verification-Token does not match"}');
		return NO_EXECUTION;
	}
	const delivery = parseDelivery(ctx.getBodyData());
	if (!isForThisSubscription(delivery, state, accountIdOf(ctx))) {
		respond(ctx, 200, {});
		return NO_EXECUTION;
	}
	const selected = new Set(ctx.getNodeParameter('events', []) as ExtensionEvent[]);
	const changes = delivery.changes.filter((change) => selected.has(change.event));
	const dedupKey = state.subscriptionId ?? ctx.getNode().id;
	if (changes.length === 0 || (delivery.uuid && !claimDelivery(dedupKey, delivery.uuid))) {
		respond(ctx, 200, {});
		return NO_EXECUTION;
	}
	return await startExecution(ctx, delivery, changes, dedupKey);
}

/**
 * Answers RingCentral before the records are read: a bulk update notifies once per extension,
 * and reading hundreds of records at RingCentral's pace would keep RingCentral waiting long
 * enough to count the deliveries as failed (and, in the end, blacklist the subscription).
 */
async function startExecution(
	ctx: IWebhookFunctions,
	delivery: Delivery,
	changes: ExtensionChange[],
	dedupKey: string,
): Promise<IWebhookResponseData> {
	respond(ctx, 200, {});
	let built = false;
	try {
		const includeDetails = booleanParameter(ctx, 'includeDetails', 0, true);
		const items = await itemsForChanges(
			changes,
			envelopeOf(delivery),
			includeDetails,
			extensionReader(ctx),
		);
		built = true;
		return { ...NO_EXECUTION, workflowData: [items] };
	} finally {
		// Not carried out. RingCentral has its 200 and does not resend, but should the same uuid
		// come again (resent by hand or by a proxy), it runs.
		if (!built && delivery.uuid) releaseDelivery(dedupKey, delivery.uuid);
	}
}

/** The extension's record; undefined when it is gone again (deleted right after the change). */
function extensionReader(ctx: IWebhookFunctions): ReadExtension {
	const accountId = accountIdOf(ctx);
	return async (extensionId) =>
		await unlessNotFound(
			ringCentralApiRequest(ctx, {
				method: 'GET',
				path: `/extension${pathSegments(extensionId)}`,
				accountId,
				group: 'Light',
				expect: 'record',
			}),
		);
}

/**
 * Only this trigger's own subscription and account are believed, even with the right secret:
 * the delivery must name the subscription and the event filter it was made with.
 */
function isForThisSubscription(
	delivery: Delivery,
	state: SubscriptionState,
	accountId: string,
): boolean {
	if (!state.subscriptionId || delivery.subscriptionId !== state.subscriptionId) return false;
	if (delivery.event === undefined) return false;
	return state.eventFilter
		? delivery.event === state.eventFilter
		: isFilterFor(delivery.event, accountId);
}

/** Compared as digests, so neither the content nor the length of the secret leaks through timing. */
function isVerified(received: string | undefined, secret: string | undefined): boolean {
	if (!received || !secret) return false;
	const digest = (value: string) => createHash('sha256').update(value).digest();
	return timingSafeEqual(digest(received), digest(secret));
}

function headerOf(ctx: IWebhookFunctions, name: string): string | undefined {
	const value = ctx.getHeaderData()[name];
	return Array.isArray(value) ? value[0] : value;
}

function respond(
	ctx: IWebhookFunctions,
	status: number,
	headers: Record<string, string>,
	body = '',
): void {
	const response = ctx.getResponseObject();
	response.writeHead(status, {
		...headers,
		'Content-Type': 'application/json',
		'Content-Length': Buffer.byteLength(body),
	});
	response.end(body);
}
